"""After training: the summary lines, the metrics document, the saved network, safe writes.

Files are written through a temporary file in the same folder and a rename,
so a run that fails never leaves a half-written file nor destroys an old one.
"""

from __future__ import annotations

import json
import os
import tempfile

from nnref.reference import serialize
from nnref.reference.datasets.parse import Dataset
from nnref.reference.errors import DataError, NetworkError
from nnref.reference.serialize import save_network
from nnref.reference.training.loop import TrainResult

METRICS_FORMAT = "nnref-train-metrics"


def network_text(result: TrainResult) -> str:
    """e.g. '4-32-32-3 (relu hidden, softmax output)'."""
    sizes = [len(result.layers[0]["W"])] + [len(layer["b"]) for layer in result.layers]
    return f"{'-'.join(map(str, sizes))} ({result.config.activation} hidden, softmax output)"


def summary(data: Dataset, result: TrainResult) -> list[str]:
    """The closing lines of a run: data, network, accuracy beside the majority baseline."""
    c = result.config
    lines = [
        f"data: {data.name}, {len(data)} samples ({result.n_train} train, {result.n_test} test), "
        f"{len(data.feature_names)} features, {len(data.classes)} classes of {data.target_name!r}",
        f"network: {network_text(result)}; {c.optimizer} lr {c.lr:g}, {c.epochs} epochs, "
        f"batch size {c.batch_size}, seed {c.seed}",
    ]
    if result.history:
        seconds = sum(e["seconds"] for e in result.history) / len(result.history)
        lines.append(
            f"final training loss {result.history[-1]['loss']:.4f}; {seconds:.3f} s per epoch"
        )
    lines.append(
        f"accuracy: train {_percent(result.train_accuracy)}, test {_percent(result.test_accuracy)} "
        f"(majority-class baseline {_percent(result.baseline)})"
    )
    return lines


def _percent(value: float) -> str:
    return f"{100 * value:.1f}%"


def metrics(data: Dataset, result: TrainResult) -> dict:
    """Everything about a run as a JSON-ready dict (final figures, per-epoch curves, options)."""
    history = result.history
    return {
        "format": METRICS_FORMAT,
        "version": 1,
        "data": {
            "name": data.name,
            "samples": len(data),
            "features": data.feature_names,
            "target": data.target_name,
            "classes": result.classes,
            "train_samples": result.n_train,
            "test_samples": result.n_test,
        },
        "network": network_text(result),
        "options": result.config.to_json(),
        "train_accuracy": result.train_accuracy,
        "test_accuracy": result.test_accuracy,
        "majority_baseline": result.baseline,
        "loss_per_epoch": [e["loss"] for e in history],
        "train_accuracy_per_epoch": [e["train_accuracy"] for e in history],
        "test_accuracy_per_epoch": [e["test_accuracy"] for e in history],
        "seconds_per_epoch": [e["seconds"] for e in history],
    }


def metrics_json(data: Dataset, result: TrainResult) -> str:
    return json.dumps(metrics(data, result), indent=1, allow_nan=False) + "\n"


def save(path: str, data: Dataset, result: TrainResult) -> None:
    """The trained network, optimizer state, standardization and class labels as JSON (S22/S23).

    Read it back with ``nnref.reference.serialize.load_network``: ``extra`` holds
    what turns a raw sample into a prediction (z = (x - mean) / std, then the
    network, then ``classes[argmax]``).
    """
    extra = {
        "task": "classification",
        "features": data.feature_names,
        "target": data.target_name,
        "classes": result.classes,
        "standardization": result.standardizer.to_json(),
        "options": result.config.to_json(),
    }
    save_network(path, result.layers, result.optimizer.state(), extra)


def check_writable(path: str) -> None:
    """Raise DataError unless a file can be created at ``path`` (tried, then removed)."""
    if os.path.isdir(path):
        raise DataError(f"cannot write {path}: it is a directory")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise DataError(f"cannot write {path}: no such folder {folder}")
    try:
        fd, probe = tempfile.mkstemp(prefix=".nnref-", suffix=".probe", dir=folder)
    except OSError as exc:
        raise DataError(f"cannot write {path}: {exc.strerror or exc}") from None
    os.close(fd)
    os.unlink(probe)


def write_atomically(path: str, content: bytes) -> None:
    """``nnref.reference.serialize.write_atomically``, failing with DataError (same message)."""
    try:
        serialize.write_atomically(path, content)
    except NetworkError as exc:
        raise DataError(str(exc)) from None
