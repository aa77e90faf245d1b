"""``pytest --nnref-impl``: one test id per case; inert without the option."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from nnref.conformance.check.fresh import fresh_properties
from nnref.conformance.vectors.load import load_cases

#: Each test starts a pytest process (1-2 s on an idle machine).
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
CASE_IDS = [c["id"] for c in load_cases()[0]]


def _plugin_args() -> list[str]:
    installed = any(ep.name == "nnref" for ep in entry_points(group="pytest11"))
    return [] if installed else ["-p", "nnref.conformance.plugins.pytest_plugin"]


def pytest_run(tmp_path, *argv, timeout=120):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "pytest", *_plugin_args(), "-p", "no:cacheprovider",
           "-o", "addopts=", *argv]  # fmt: skip
    done = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=timeout)  # fmt: skip
    return done.returncode, done.stdout + done.stderr


@pytest.mark.spec("S20")
def test_S20_one_test_id_per_case_and_property(tmp_path):
    status, out = pytest_run(tmp_path, "--nnref-impl", "nnref.reference", "--collect-only", "-q")
    assert status == 0, out
    ids = [line for line in out.splitlines() if line.startswith("nnref::")]
    names = [i.removeprefix("nnref::") for i in ids]
    assert names[: len(CASE_IDS)] == CASE_IDS
    assert names[len(CASE_IDS) :] == [
        "property-gradients-vs-finite-differences",
        "property-softmax-sums-to-one",
        "property-gradients-deterministic",
        "property-inputs-not-modified",
        *(pid for pid, _ in fresh_properties()),
    ]


@pytest.mark.spec("E1")
def test_E1_failures_show_the_runner_message_and_junit_and_k_work(tmp_path):
    status, out = pytest_run(
        tmp_path, "--nnref-impl", "tests.conformance.impls:LOG10_CROSS_ENTROPY",
        "-k", "E1 and not property", "--junitxml", "junit.xml", "-q",
    )  # fmt: skip
    assert status == 1, out
    assert "FAIL D_ce (D_ce,S14,E1): result: expected 3.0658839037574293, got 1.33149646" in out
    assert "Traceback" not in out
    junit = (tmp_path / "junit.xml").read_text()
    assert 'classname="nnref" name="D_ce"' in junit
    assert 'name="D_mse"' not in junit  # deselected by -k


@pytest.mark.spec("S20")
def test_S20_runs_under_xdist(tmp_path):
    status, out = pytest_run(
        tmp_path, "--nnref-impl", "nnref.reference", "-n", "2", "-k", "W3_3", "-q"
    )
    assert status == 0, out
    assert "3 passed" in out


@pytest.mark.spec("S8")
def test_S8_convention_note_in_the_terminal_summary(tmp_path):
    status, out = pytest_run(
        tmp_path, "--nnref-impl", "tests.conformance.impls:RELU_GRAD_AT_ZERO_0", "-k", "S8", "-q"
    )
    assert status == 1
    assert "nnref: gradients matches 'ReLU'(0) = 0 instead of 1' (relu_grad_at_zero=0)" in out


def test_a_bad_implementation_is_a_usage_error(tmp_path):
    status, out = pytest_run(tmp_path, "--nnref-impl", "no_such_module_for_nnref", "-q")
    assert status == 4
    assert "--nnref-impl: implementation 'no_such_module_for_nnref': no module named" in out


def test_nnref_check_leaves_no_hypothesis_directory_behind(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("HYPOTHESIS_STORAGE_DIRECTORY", None)
    cmd = [
        sys.executable,
        "-m",
        "nnref.conformance.cli",
        "check",
        "--quick",
        "--only",
        "property-*",
    ]
    done = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert list(tmp_path.iterdir()) == []


def test_without_the_option_the_plugin_is_inert_and_cheap(tmp_path):
    (tmp_path / "test_one.py").write_text("def test_one():\n    pass\n")
    status, out = pytest_run(tmp_path, "-q")
    assert status == 0 and "1 passed" in out and "nnref" not in out
    probe = (
        "import sys, nnref.conformance.plugins.pytest_plugin; "
        "print(sorted(m for m in sys.modules if m.startswith(('numpy', 'nnref.conformance.'))))"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True)
    expected = "['nnref.conformance.plugins', 'nnref.conformance.plugins.pytest_plugin']"
    assert done.stdout.strip() == expected


def test_a_crash_in_the_implementation_fails_its_items_never_the_session(tmp_path):
    status, out = pytest_run(
        tmp_path, "--nnref-impl", "tests.isolation.hostile:SEGFAULT",
        "-k", "softmax-00 or tanh-00", "-q", "-n", "2",
    )  # fmt: skip
    assert status == 1, out
    assert "10 failed, 10 passed" in out, out
    assert "was killed by SIGSEGV (segmentation fault) while computing softmax" in out


def test_an_exit_in_the_implementation_fails_its_items_never_the_session(tmp_path):
    status, out = pytest_run(
        tmp_path, "--nnref-impl", "tests.isolation.hostile:OS_EXIT",
        "-k", "tanh-00 or relu-00", "-q",
    )  # fmt: skip
    assert status == 1, out
    assert "10 failed, 10 passed" in out, out
    assert "the implementation exited with status 3 while computing tanh (case tanh-000)" in out


@pytest.mark.spec("S25")
def test_S25_a_must_reject_case_fails_when_the_implementation_returns(tmp_path):
    status, out = pytest_run(
        tmp_path, "--nnref-impl", "tests.conformance.impls:LENIENT", "-k", "reject", "-q",
    )  # fmt: skip
    assert status == 1, out
    assert "FAIL box_muller-reject-x-zero (S25): box_muller returned a value" in out
    assert "ln 0 is undefined (S25)" in out and "4 failed" in out
