"""Save and load a network (and its optimizer's state) as JSON.

Python's ``json`` writes floats with ``repr``, the shortest text that reads
back to the same double, so a round trip is bit-exact. Files are written to
a temporary file first and then renamed, so a failed save never destroys a
file that was already there.
"""

from __future__ import annotations

import json
import math
import os
import tempfile

from nnref.reference.errors import NetworkError
from nnref.reference.network import check_network

FORMAT = "nnref-network"
VERSION = 1


def save_network(
    path: str, layers: list[dict], optimizer: dict | None = None, extra: dict | None = None
) -> None:
    """Write ``layers`` to ``path``, with an optimizer's ``state()`` and extra metadata if given."""
    check_network(layers, len(layers[0]["W"]) if layers else 0)
    document = {
        "format": FORMAT,
        "version": VERSION,
        "layers": [
            {
                "activation": layer["activation"],
                "W": [list(map(float, row)) for row in layer["W"]],
                "b": list(map(float, layer["b"])),
            }
            for layer in layers
        ],
        "optimizer": optimizer,
        "extra": extra or {},
    }
    try:
        text = json.dumps(document, allow_nan=False)
    except ValueError:
        raise NetworkError("cannot save a network with NaN or infinite parameters") from None
    write_atomically(path, text)


def load_network(path: str) -> dict:
    """Read a file written by ``save_network``: {"layers", "optimizer", "extra"}."""
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle, parse_constant=_reject_constant)
    except FileNotFoundError:
        raise NetworkError(f"no such network file: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise NetworkError(f"cannot read network file {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise NetworkError(f"network file {path} is not valid JSON: {exc}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise NetworkError(f"{path} is not an nnref network file (missing format {FORMAT!r})")
    if document.get("version") != VERSION:
        raise NetworkError(f"{path}: unsupported network file version {document.get('version')!r}")
    layers = document.get("layers")
    if not isinstance(layers, list) or not layers or not isinstance(layers[0], dict):
        raise NetworkError(f"{path}: 'layers' must be a non-empty list of layers")
    try:
        check_network(layers, len(layers[0].get("W", [])))
        _check_numbers(layers)
    except NetworkError as exc:
        raise NetworkError(f"{path}: {exc}") from None
    return {
        "layers": layers,
        "optimizer": document.get("optimizer"),
        "extra": document.get("extra") or {},
    }


def write_atomically(path: str, content: str | bytes) -> None:
    """Write ``content`` (text as UTF-8, bytes as they are) to ``path`` via a temporary file.

    The temporary file sits in the same folder and is renamed over ``path``, so a
    failed write leaves an existing file untouched. Raises NetworkError
    ("cannot write PATH: reason") when the folder or the disk refuses.
    """
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".nnref-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise NetworkError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        if isinstance(content, bytes):
            handle = os.fdopen(fd, "wb")
        else:
            handle = os.fdopen(fd, "w", encoding="utf-8")
        with handle:
            handle.write(content)
        os.replace(tmp, path)
    except OSError as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise NetworkError(f"cannot write {path}: {exc.strerror or exc}") from None


def _reject_constant(name: str) -> float:
    raise NetworkError(f"network files may not contain {name}")


def _check_numbers(layers: list[dict]) -> None:
    for index, layer in enumerate(layers):
        values = [v for row in layer["W"] for v in row] + list(layer["b"])
        for v in values:
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
                raise NetworkError(
                    f"layer {index} holds a value that is not a finite number: {v!r}"
                )
