"""`nnref train`: built-in data, CSV files, outputs written atomically, one-line errors (exit 2)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from nnref.conformance.cli import main
from nnref.reference.serialize import load_network
from nnref.reference.training.loop import predict

ROOT = Path(__file__).resolve().parents[2]
QUICK = ["--epochs", "2", "--hidden", "8"]

# Synthetic data in the tutorial code's red wine-quality format (semicolons, quoted header,
# target 'quality'): quality is 5, 6 or 7 according to alcohol, with noise columns.
HEADER = '"fixed acidity";"volatile acidity";"alcohol";"quality"\n'


def _wine_quality_text(n: int = 90) -> str:
    import random

    rng = random.Random(7)
    lines = [HEADER]
    for i in range(n):
        quality = 5 + i % 3
        alcohol = 9.0 + 1.5 * (quality - 5) + rng.uniform(-0.4, 0.4)
        lines.append(
            f"{rng.uniform(6, 12):.2f};{rng.uniform(0.2, 1.0):.3f};{alcohol:.2f};{quality}\n"
        )
    return "".join(lines)


@pytest.fixture
def wine_quality(tmp_path):
    path = tmp_path / "winequality-red.csv"
    path.write_text(_wine_quality_text(), encoding="utf-8")
    return path


def _run(capsys, *argv):
    code = main(["train", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_train_iris_prints_accuracy_beside_the_baseline(capsys):
    code, out, err = _run(capsys, "iris", *QUICK)
    assert code == 0
    assert err == ""  # not a terminal: no progress display
    assert "data: iris, 150 samples (90 train, 60 test), 4 features, 3 classes" in out
    assert "(majority-class baseline 33.3%)" in out
    assert "network: 4-8-3 (relu hidden, softmax output); adam" in out


def test_csv_in_the_wine_quality_format_beats_the_majority_baseline(capsys, tmp_path, wine_quality):
    metrics = tmp_path / "m.json"
    code, out, _ = _run(capsys, wine_quality, "--target", "quality", "--json", metrics)
    assert code == 0, out
    report = json.loads(metrics.read_text())
    assert report["data"]["classes"] == ["5", "6", "7"]
    assert report["data"]["features"] == ["fixed acidity", "volatile acidity", "alcohol"]
    assert report["test_accuracy"] > report["majority_baseline"] + 0.3
    assert f"baseline {100 * report['majority_baseline']:.1f}%" in out


def test_json_holds_final_metrics_and_per_epoch_curves(capsys, tmp_path):
    metrics = tmp_path / "m.json"
    code, out, _ = _run(capsys, "wine", *QUICK, "--batch-size", "4", "--json", metrics)
    assert code == 0
    report = json.loads(metrics.read_text())
    for key in (
        "loss_per_epoch",
        "train_accuracy_per_epoch",
        "test_accuracy_per_epoch",
        "seconds_per_epoch",
    ):
        assert len(report[key]) == 2, key
    assert report["options"]["batch_size"] == 4 and report["options"]["hidden"] == [8]
    assert report["test_accuracy"] == report["test_accuracy_per_epoch"][-1]
    assert 0 < report["majority_baseline"] < 0.5
    assert f"wrote {metrics}" in out


def test_same_seed_gives_bit_identical_runs(capsys, tmp_path):
    reports = []
    for name in ("a.json", "b.json"):
        assert _run(capsys, "iris", *QUICK, "--seed", "3", "--json", tmp_path / name)[0] == 0
        report = json.loads((tmp_path / name).read_text())
        report.pop("seconds_per_epoch")
        reports.append(report)
    assert reports[0] == reports[1]


def test_save_holds_network_optimizer_scaling_and_classes(capsys, tmp_path):
    saved = tmp_path / "net.json"
    assert _run(capsys, "iris", *QUICK, "--save", saved)[0] == 0
    document = load_network(str(saved))
    extra = document["extra"]
    assert extra["classes"] == ["setosa", "versicolor", "virginica"]
    assert document["optimizer"]["name"] == "adam" and document["optimizer"]["t"] == 2 * 90
    assert len(extra["standardization"]["mean"]) == 4
    # The saved file alone classifies raw samples: standardize, forward, argmax.
    from nnref.reference.datasets import load
    from nnref.reference.training.prepare import Standardizer

    data = load("iris")
    z = Standardizer(extra["standardization"]["mean"], extra["standardization"]["std"])
    predicted = [extra["classes"][predict(document["layers"], z(row))] for row in data.rows]
    assert sum(p == label for p, label in zip(predicted, data.labels)) > 100


def test_plot_writes_an_svg_with_both_panels_and_three_curves(capsys, tmp_path):
    svg = tmp_path / "curves.svg"
    assert _run(capsys, "iris", *QUICK, "--plot", svg)[0] == 0
    root = ElementTree.fromstring(svg.read_text(encoding="utf-8"))  # well-formed XML
    ns = "{http://www.w3.org/2000/svg}"
    assert len(root.findall(f"{ns}polyline")) == 3  # loss, train and test accuracy
    texts = [t.text for t in root.iter(f"{ns}text")]
    assert {"training loss", "accuracy", "majority class", "epoch"} <= set(texts)
    epochs = int(QUICK[QUICK.index("--epochs") + 1])
    assert len(root.findall(f"{ns}polyline")[0].get("points").split()) == epochs


def test_plot_to_another_format_is_refused_before_training(capsys, tmp_path):
    metrics = tmp_path / "m.json"
    code, out, err = _run(capsys, "iris", *QUICK, "--plot", tmp_path / "p.png", "--json", metrics)
    assert code == 2 and out == ""
    assert "--plot" in err and "give a file ending in .svg" in err
    assert len(err.strip().splitlines()) == 1
    assert not metrics.exists()  # checked before training: nothing written


def test_progress_is_shown_on_a_terminal(capsys, monkeypatch):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    code, _, err = _run(capsys, "iris", *QUICK)
    assert code == 0
    assert "\repoch 1/2  loss " in err and "\repoch 2/2" in err and "train accuracy" in err


def _bad_csv(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("a;b;quality\n1;2;5\n3;oops;6\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["irsi"], "unknown data set 'irsi': give one of iris, wine"),
        (["missing.csv", "--target", "q"], "no such file: missing.csv"),
        (["{bad}", "--target", "quality"], "non-numeric value 'oops' in column 'b', line 3"),
        (
            ["{bad}", "--target", "Quality"],
            "no target column 'Quality'; the columns are: a, b, quality",
        ),
        (["{bad}"], "name its class column with --target COLUMN"),
        (["iris", "--hidden", "10,,x"], "--hidden '10,,x': '' is not a positive integer"),
        (["iris", "--epochs", "-1"], "epochs must be >= 0, got -1"),
        (["iris", "--activation", "softplus"], "unknown hidden activation 'softplus'"),
        (["iris", "--optimizer", "rmsprop"], "unknown optimizer 'rmsprop'"),
        (["iris", "--save", "{tmp}/no/such/dir/net.json"], "no such folder"),
        (["iris", "--save", "{tmp}"], "it is a directory"),
        (["iris", "--test-fraction", "0"], "test fraction must lie strictly between 0 and 1"),
        (["iris", "--test-fraction", "1.5"], "test fraction must lie strictly between 0 and 1"),
        (["iris", "--target", "species"], "has the target column 'class', not 'species'"),
        (["iris", "--json", "{tmp}/x.json", "--save", "{tmp}/x.json"], "different files"),
        (["{bad}", "--target", "quality", "--save", "{bad}"], "would overwrite the data file"),
    ],
)
def test_bad_input_is_one_line_exit_2(capsys, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    bad = _bad_csv(tmp_path)
    argv = [a.replace("{bad}", str(bad)).replace("{tmp}", str(tmp_path)) for a in argv]
    code, out, err = _run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.startswith("nnref: error: ") and err.count("\n") == 1, err
    assert message in err
    assert "Traceback" not in err


def test_argparse_type_errors_are_one_line(capsys):
    with pytest.raises(SystemExit) as info:
        main(["train", "iris", "--epochs", "many"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "expected int, got 'many'" in err and err.count("\n") == 1


def test_a_failed_run_leaves_earlier_outputs_untouched(capsys, tmp_path):
    metrics, saved = tmp_path / "m.json", tmp_path / "net.json"
    metrics.write_text("old metrics")
    saved.write_text("old network")
    bad = _bad_csv(tmp_path)
    code, _, _ = _run(capsys, bad, "--target", "quality", "--json", metrics, "--save", saved)
    assert code == 2
    code, _, _ = _run(capsys, "iris", "--hidden", "10,,x", "--json", metrics, "--save", saved)
    assert code == 2
    assert metrics.read_text() == "old metrics" and saved.read_text() == "old network"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "m.json", "net.json"]


def test_the_real_command_prints_no_traceback():
    result = subprocess.run(
        [sys.executable, "-m", "nnref.conformance.cli", "train", "nosuchset"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("nnref: error: unknown data set 'nosuchset'")
    assert "Traceback" not in result.stderr


def test_building_the_nnref_parser_imports_neither_numpy_nor_sympy():
    """``nnref --help`` and ``nnref train`` stay fast: the heavy libraries load in ``func`` only."""
    code = (
        "import sys; from nnref.conformance.cli import build_parser; build_parser(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('numpy', 'sympy')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_train_help_shows_the_defaults_of_TrainConfig(capsys):
    from nnref.reference.training.config import HIDDEN_ACTIVATIONS, TrainConfig

    with pytest.raises(SystemExit) as info:
        main(["train", "--help"])
    assert info.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    d = TrainConfig()
    assert f"(default {','.join(map(str, d.hidden))})" in out
    assert f"hidden activation: {', '.join(HIDDEN_ACTIVATIONS)} (default {d.activation})" in out
    for default in (d.lr, d.epochs, d.batch_size, d.seed, d.test_fraction):
        assert f"(default {default})" in out
    assert "{" not in out
