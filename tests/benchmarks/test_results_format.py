"""Every benchmark's ``--json`` file is one the docs' Benchmarks page accepts.

Each script runs in its ``--smoke`` mode (a tiny problem, seconds) and writes
its results; the file must pass ``benchmarks.results.validate`` and name only
figures the page knows (``docs/nnref_docs/bench_labels.JA``). The committed
full runs are checked by ``tests/docs/test_benchmarks_page.py``. Nothing here
asserts a speed: performance is measured, never asserted in tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from nnref_docs.bench_labels import JA

from benchmarks import results

REPO = Path(__file__).resolve().parents[2]

SCRIPTS = sorted(p.stem[len("bench_") :] for p in (REPO / "benchmarks").glob("bench_*.py"))


@pytest.mark.slow
@pytest.mark.parametrize("name", SCRIPTS)
def test_smoke_json_is_what_the_page_reads(name, tmp_path):
    if name == "reference":
        pytest.importorskip(
            "micrograd", reason="micrograd is not installed (pip install 'nnref[bench]')"
        )
    out = tmp_path / f"{name}.json"
    proc = subprocess.run(
        [sys.executable, f"benchmarks/bench_{name}.py", "--smoke", "--json", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    data = results.load(out, name)
    assert data["mode"] == "smoke"
    assert data["command"] == f"python benchmarks/bench_{name}.py --smoke --json {out}"
    unknown = [f["name"] for f in data["figures"] if f["name"] not in JA[name]]
    assert not unknown, f"figures the docs page cannot name: {unknown}"
    assert len(data["machine"]["load_average"]) == 3


def _good() -> dict:
    rec = results.Recorder("demo", "full", "python benchmarks/bench_demo.py")
    rec.add("speedup", "reference over micrograd", 150.0, "x", (">=", 100))
    rec.add("seconds", "a time", 0.5, "s")
    return rec.data


BROKEN = {
    "met disagrees with the goal": (
        lambda d: d["figures"][0].update(met=False),
        "met is False but 150.0 >= 100 is True",
    ),
    "value not finite": (lambda d: d["figures"][1].update(value=float("nan")), "not a finite"),
    "value a string": (lambda d: d["figures"][1].update(value="0.5"), "not a finite"),
    "unknown goal op": (lambda d: d["figures"][0]["goal"].update(op="~"), "goal must be"),
    "met without goal": (lambda d: d["figures"][1].update(met=True), "met must be null"),
    "no figures": (lambda d: d.update(figures=[]), "figures is not a non-empty list"),
    "repeated name": (lambda d: d["figures"][1].update(name="speedup"), "names repeat"),
    "no date": (lambda d: d["machine"].pop("date"), "machine.date"),
    "bad load average": (lambda d: d["machine"].update(load_average=[1.0]), "load_average"),
    "wrong format": (lambda d: d.update(format="nnref-benchmark/0"), "format is"),
    "unknown mode": (lambda d: d.update(mode="fast"), "mode is"),
}


def test_a_good_document_validates():
    assert results.validate(_good(), "demo")


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_malformed_results_are_rejected_in_one_line(case, tmp_path):
    data = _good()
    breaks, message = BROKEN[case]
    breaks(data)
    path = tmp_path / "demo.json"
    path.write_text(json.dumps(data))
    with pytest.raises(
        results.ResultsError, match="demo.json: .*" + message.replace("(", r"\(")
    ) as exc:
        results.load(path, "demo")
    assert "\n" not in str(exc.value)


def test_writing_never_saves_a_malformed_file(tmp_path):
    rec = results.Recorder("demo", "full", "python x")
    with pytest.raises(results.ResultsError, match="figures is not a non-empty list"):
        rec.write(tmp_path / "out.json")
    assert not (tmp_path / "out.json").exists()


def test_missing_and_non_json_files_name_the_file(tmp_path):
    with pytest.raises(results.ResultsError, match=r"nope\.json: missing"):
        results.load(tmp_path / "nope.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": ')
    with pytest.raises(results.ResultsError, match=r"bad\.json: not readable JSON"):
        results.load(bad)
    with pytest.raises(results.ResultsError, match="benchmark is 'demo', expected 'other'"):
        results.validate(_good(), "other")
