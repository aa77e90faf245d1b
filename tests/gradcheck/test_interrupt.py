"""Ctrl-C during ``nnref gradcheck`` prints the cases finished so far, their summary, exit 130."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.spec("S20")
def test_S20_ctrl_c_prints_the_partial_summary_and_exits_130(tmp_path):
    marker, report = tmp_path / "hanging", tmp_path / "r.json"
    command = [
        sys.executable,
        "-m",
        "nnref.conformance.cli",
        "gradcheck",
        "tests.gradcheck.slow_impl",
    ]
    command += ["--timeout=60", "--json", str(report)]
    env = {**os.environ, "NNREF_TEST_HANGING": str(marker)}
    proc = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not marker.exists() and proc.poll() is None:
        time.sleep(0.05)
    assert marker.exists(), "the tanh cases never started"
    os.kill(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    lines = out.decode().splitlines()
    assert sum(line.startswith("PASS ") and "sigmoid->" in line for line in lines) == 5
    assert not any("tanh->" in line for line in lines)  # the case in flight is not counted
    assert lines[-2] == "interrupted: the summary below counts only the checks that finished"
    assert lines[-1] == "summary: 5 passed, 0 failed, 0 errors, 0 not provided (5 checks)"
    saved = json.loads(report.read_text())
    assert saved["interrupted"] is True and saved["summary"]["total"] == 5
