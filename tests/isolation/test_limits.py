"""The limits the judge keeps: a crash limit, a worker that failed to import is never reused,
``--budget``, one timeout for a hang inside a batched call, and every process killed.

Each test asserts the verdict of the misbehaving callable's cases, the exit status, the
message, what else still passes, and that nothing is left running.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nnref.conformance.isolation import reaper
from nnref.conformance.isolation.remote import remote_fns
from nnref.conformance.isolation.session import Call, Session
from nnref.conformance.judge.faults import ImplementationError
from tests.conformance.helpers import lines_with, nnref
from tests.isolation.leftovers import running

ROOT = Path(__file__).resolve().parents[2]
H = (0.5 + 2.220446049250313e-16 ** (1 / 3)) - 0.5  # the usual central step at 0.5
LIMITS = "tests.isolation.limits_hostile"
REIMPORT = (
    f"not run: the implementation could not be imported again: implementation '{LIMITS}:CRASHES'"
    ": importing it raised RuntimeError: this import fails the second time"
)


def test_a_callable_that_crashed_three_times_is_not_called_again(capsys):
    status, out, _ = nnref(
        capsys, "check", f"{LIMITS}:CRASHES", "--no-properties", "--only=tanh-*", "--only=sigmoid-*"
    )
    assert status == 1
    errors = lines_with(out, "ERROR")
    assert len(errors) == 11 and all(" tanh-" in e for e in errors), errors
    ended = "the implementation exited with status 3 while computing tanh (case tanh-00"
    assert all(ended in e for e in errors[:3]), errors
    assert all(e.endswith("not run: tanh crashed 3 times") for e in errors[3:]), errors
    assert len(lines_with(out, "PASS   sigmoid-")) == 11
    assert running() == []


def test_a_crash_limit_counts_fresh_children_not_calls():
    calls = [Call("tanh", [[0.5]]) for _ in range(5)] + [Call("sigmoid", [[0.0]])]
    with Session(f"{LIMITS}:CRASHES", ["tanh", "sigmoid"]) as session:
        session.start()
        outcomes = [o for _, o in session.run(calls)]
        assert [o.kind or "ok" for o in outcomes] == ["ended"] * 3 + ["not_run"] * 2 + ["ok"]
        assert outcomes[-1].value == [0.5]
        assert session.children_started == 4  # the first, then one after each crash
    assert running() == []


def test_a_worker_whose_import_failed_is_never_reused(tmp_path, monkeypatch):
    monkeypatch.setenv("NNREF_TEST_MARKER", str(tmp_path / "imported"))
    calls = [Call(n, [[0.5]]) for n in ("sigmoid", "tanh", "sigmoid", "tanh", "sigmoid")]
    with Session(f"{LIMITS}:CRASHES", ["tanh", "sigmoid"]) as session:
        session.start()
        outcomes = [o for _, o in session.run(calls)]
        assert [o.kind or "ok" for o in outcomes] == ["ok", "ended"] + ["not_run"] * 3
        assert all(o.message == REIMPORT for o in outcomes[2:]), outcomes[2].message
        assert session.children_started == 2  # no third try
    assert running() == []


def test_a_second_import_that_fails_is_an_error_of_the_cases_left_and_status_1(
    capsys, tmp_path, monkeypatch
):
    monkeypatch.setenv("NNREF_TEST_MARKER", str(tmp_path / "imported"))
    status, out, err = nnref(
        capsys, "check", f"{LIMITS}:CRASHES", "--no-properties",
        "--only=sigmoid-000", "--only=tanh-000", "--only=tanh-001", "--only=identity-000",
    )  # fmt: skip
    assert status == 1 and err == ""  # checking had begun: never status 2
    assert lines_with(out, "PASS   sigmoid-000")
    errors = lines_with(out, "ERROR")
    assert "exited with status 3 while computing tanh (case tanh-000)" in errors[0]
    assert [e.split()[1] for e in errors[1:]] == ["tanh-001", "identity-000"]
    assert all(e.endswith(REIMPORT) for e in errors[1:]), errors
    assert running() == []


def test_the_plugin_never_reuses_a_worker_whose_import_failed(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NNREF_TEST_MARKER": str(tmp_path / "imp")}
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-o", "addopts=",
               "--nnref-impl", f"{LIMITS}:CRASHES", "-k", "sigmoid-000 or tanh-00 or identity-000",
               "-q", "-rN", "-p", "no:randomly"]  # fmt: skip
    # -rN: no short summary, whose lines are cut to the terminal's width (CI's is wider)
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    out = done.stdout
    assert done.returncode == 1, out
    assert "11 failed, 1 passed" in out, out  # sigmoid-000 passed, before the crash
    assert "exited with status 3 while computing tanh (case tanh-000)" in out
    assert out.count(f"ERROR tanh-009 (S7): {REIMPORT}") == 1, out
    assert out.count(f"ERROR identity-000 (S9): {REIMPORT}") == 1, out
    assert "KeyError" not in out


@pytest.mark.slow
def test_budget_spent_leaves_the_remaining_cases_not_run(capsys):
    start = time.monotonic()
    status, out, _ = nnref(
        capsys, "check", f"{LIMITS}:SLOW", "--no-properties", "--only=sigmoid-*", "--only=tanh-*",
        "--only=identity-*", "--timeout=0.5", "--budget=2",
    )  # fmt: skip
    took = time.monotonic() - start
    assert status == 1
    assert len(lines_with(out, "PASS   sigmoid-")) == 10  # fast: within the budget
    errors = lines_with(out, "ERROR")
    cut = [e for e in errors if "not run: budget spent (2s) while computing tanh (case " in e]
    later = [e for e in errors if e.endswith("not run: budget spent (2s)")]
    assert len(cut) == 1 and len(cut) + len(later) == len(errors), errors
    lines = [ln for ln in out.splitlines() if ln.startswith(("PASS", "ERROR"))]
    after = lines[lines.index(cut[0]) + 1 :]
    assert after == later and len(later) >= 10, after  # every case after the cut
    assert 1 <= len(lines_with(out, "PASS   tanh-")) <= 5  # 0.4 s each, in 2 s
    assert took < 2 + 3, took
    assert running() == []


@pytest.mark.slow
def test_a_hang_inside_the_batched_probes_costs_one_timeout(capsys):
    start = time.monotonic()
    status, out, _ = nnref(
        capsys, "check", f"{LIMITS}:HANGS_AT_A_PROBE", "--only=property-gradients-vs-*",
        "--only=tanh-000", "--timeout=1",
    )  # fmt: skip
    took = time.monotonic() - start
    assert status == 1
    (error,) = lines_with(out, "ERROR")
    assert error.startswith("ERROR  property-gradients-vs-finite-differences")
    assert lines_with(out, "PASS   tanh-000")
    assert took < 2 * 1 + 6, took  # one timeout, not one per probe (the message: below)
    assert running() == []


def test_a_hang_at_one_probe_is_named_and_every_probe_is_cut_with_it():
    with Session(f"{LIMITS}:HANGS_AT_A_PROBE", ["forward", "squared_error"], timeout=1) as session:
        session.start()
        fns = remote_fns(session, ["forward", "squared_error"], ["property test"])
        layers = [{"W": [[0.3, -0.2], [0.1, 0.4]], "b": [0.5, 0.25], "activation": "identity"}]
        energy = fns.energy("squared_error", [1.5, -0.5], [0.1, 0.2])
        start = time.monotonic()
        assert isinstance(energy(layers), float)  # the point; its 12 probes go with it
        with pytest.raises(
            ImplementationError, match=r"forward timed out after 1s \(run 9 of 12\)"
        ):
            energy([{**layers[0], "b": [0.5 + H, 0.25]}])  # the 9th probe, cut with the rest
        assert time.monotonic() - start < 2 * 1 + 1
    assert running() == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a Linux prctl")
def test_the_judge_is_a_child_subreaper_while_a_session_is_open():
    def subreaper() -> int:
        flag = ctypes.c_int(-1)
        ctypes.CDLL(None, use_errno=True).prctl(37, ctypes.byref(flag), 0, 0, 0)  # PR_GET_...
        return flag.value

    assert subreaper() == 0
    with Session("nnref.reference", ["tanh"]) as session:
        session.start()
        assert subreaper() == 1
        assert reaper.TOKEN_NAME + "=" + reaper.TOKEN in _environ(session._child.proc.pid)
    assert subreaper() == 0


def _environ(pid: int) -> list[str]:
    with open(f"/proc/{pid}/environ", "rb") as f:
        return f.read().decode().split("\0")


@pytest.mark.slow
@pytest.mark.spec("S20")
def test_a_budget_spent_during_the_properties_is_named_as_such_never_flakiness(capsys):
    """A property whose replay went differently because the budget ran out mid-run says
    so; hypothesis's Flaky errors are not blamed on the implementation then."""
    status, out, _ = nnref(
        capsys, "check", f"{LIMITS}:SLOW", "--quick", "--timeout=0.5", "--budget=3"
    )  # fmt: skip
    assert status == 1
    properties = [ln for ln in lines_with(out, "ERROR") if " property-" in ln]
    assert properties, out
    assert not [ln for ln in properties if "did not behave the same" in ln], properties
    for line in properties:
        reason = line.split(None, 3)[3]
        assert reason.startswith("not run: budget spent (3s)"), line
    assert running() == []
