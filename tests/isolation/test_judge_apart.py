"""The judge never imports the implementation; Ctrl-C stops a run with a partial summary."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import nnref.conformance.judge.compare as compare
from nnref.conformance.check.options import CheckOptions
from nnref.conformance.check.pipeline import check_implementation

ROOT = Path(__file__).resolve().parents[2]


def test_the_judge_never_imports_the_implementation():
    import nnref.conformance.judge.verdict as run_vectors

    before = compare.compare_leaves, run_vectors.compare_leaves
    report = check_implementation(
        "tests.isolation.patch_judge", CheckOptions(only=["sigmoid"], properties=False)
    )
    assert "tests.isolation.patch_judge" not in sys.modules
    assert (compare.compare_leaves, run_vectors.compare_leaves) == before
    assert report.summary()["failed"] == report.summary()["total"] > 0


@pytest.mark.slow
def test_in_process_the_same_patch_would_pass_every_sigmoid_case():
    """Why the judge runs apart: in one process, the patched comparison passes a wrong sigmoid."""
    code = (
        "from nnref.conformance.check.pipeline import CheckOptions, check_implementation as c;"
        "r = c('tests.isolation.patch_judge', CheckOptions(only=['sigmoid'], properties=False,"
        " in_process=True)); print(r.summary()['passed'], r.summary()['total'])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    passed, total = done.stdout.split()
    assert passed == total != "0"


@pytest.mark.slow
def test_ctrl_c_prints_the_partial_summary_and_exits_130(tmp_path):
    command = [
        sys.executable,
        "-m",
        "nnref.conformance.cli",
        "check",
        "tests.isolation.hostile:LOOP",
    ]
    command += ["--no-properties", "--only=sigmoid", "--only=tanh", "--timeout=60"]
    command += ["--json", str(tmp_path / "r.json")]
    marker = tmp_path / "hanging"
    env = {**os.environ, "NNREF_TEST_HANG_MARKER": str(marker)}
    proc = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not marker.exists():  # sigmoid done, tanh hangs
        time.sleep(0.05)
    time.sleep(1.0)  # the child began tanh; give the judge, on a loaded machine, sigmoid's answer
    os.kill(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    text = out.decode()
    assert "interrupted: the summary below counts only the checks that finished" in text
    assert "PASS   sigmoid-000" in text
    summary = text.splitlines()[-1]
    assert summary.startswith("summary: ") and " 0 failed, 0 errors" in summary, summary
    assert not summary.startswith("summary: 0 passed"), summary
    assert (tmp_path / "r.json").exists()


def _has_child(pid: int) -> bool:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return True  # not Linux: just wait the second below
    return bool(children.strip())
