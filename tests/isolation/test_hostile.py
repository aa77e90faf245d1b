"""A bank of hostile implementations: each misbehaves in one callable, and the verdict holds.

Each test asserts the verdict of the misbehaving callable's cases, the exit
status, the message, and that everything else the implementation provides
still passes. The judge (this process) never imports the implementations.
"""

from __future__ import annotations

import json
import sys

import pytest

from tests.conformance.helpers import lines_with, nnref

HOSTILE = "tests.isolation.hostile"
#: The activations' cases only, and no properties: a few seconds per check.
ACTIVATIONS = ["--no-properties", *(f"--only={n}" for n in ("sigmoid", "tanh", "relu", "softmax"))]
#: Two cases of each activation: for callables whose every call costs a new child.
FEW = ["--no-properties", *(f"--only={n}-00[01]" for n in ("sigmoid", "tanh", "relu", "softmax"))]


def check(capsys, name, *argv):
    spec = name if "." in name else f"{HOSTILE}:{name}"
    return nnref(capsys, "check", spec, *ACTIVATIONS, *argv)


def assert_only(out: str, callable_: str, status: str, message: str) -> None:
    """Every non-passing line is ``callable_``'s, with ``message``; the other activations pass."""
    bad = [line for line in out.splitlines() if line.startswith(("FAIL", "ERROR"))]
    assert bad, out
    for line in bad:
        assert line.startswith(status), line
        assert callable_ in line, line
        assert message in line, line
    passed = " ".join(line.split()[1] for line in lines_with(out, "PASS"))
    for other in {"sigmoid", "tanh", "relu", "softmax"} - {callable_}:
        assert f"{other}-000" in passed, out  # its cases ran and passed


@pytest.mark.parametrize(
    ("name", "callable_", "status", "message"),
    [
        ("EXIT0", "sigmoid", "ERROR", "sigmoid raised SystemExit: 0"),
        ("EXIT1", "sigmoid", "ERROR", "sigmoid raised SystemExit: 1"),
        ("KEYBOARD", "relu", "ERROR", "relu raised KeyboardInterrupt"),
        ("RECURSION", "sigmoid", "ERROR", "sigmoid raised RecursionError"),
        (
            "ARRAY_RAISES",
            "softmax",
            "ERROR",
            "could not be read as numbers: RuntimeError: no array",
        ),
        ("GENERATOR", "relu", "ERROR", "relu: the result is an iterator"),
        # patched in the child only: the judge's comparison and builtins are untouched
        ("tests.isolation.patch_judge", "sigmoid", "FAIL", ""),
        ("tests.isolation.patch_builtins", "tanh", "FAIL", ""),
    ],
)
def test_an_early_end_or_a_tampering_is_the_verdict_of_its_callable_only(
    capsys, name, callable_, status, message
):
    exit_status, out, _ = check(capsys, name)
    assert exit_status == 1
    assert_only(out, callable_, status, message)
    imported = [m for m in sys.modules if m.startswith("tests.isolation.") and "test_" not in m]
    assert set(imported) <= {"tests.isolation.leftovers"}  # the tests' helper, no implementation


@pytest.mark.slow
def test_os_exit_is_named_with_its_status_and_case(capsys):
    status, out, _ = nnref(capsys, "check", f"{HOSTILE}:OS_EXIT", *FEW)
    assert status == 1
    assert_only(
        out, "tanh", "ERROR", "the implementation exited with status 3 while computing tanh"
    )
    assert "while computing tanh (case tanh-000)" in out


def test_segfault_is_named_and_its_dump_is_kept(capsys, tmp_path):
    report = tmp_path / "r.json"
    status, out, _ = nnref(capsys, "check", f"{HOSTILE}:SEGFAULT", *FEW, "--json", report)
    assert status == 1
    assert_only(out, "softmax", "ERROR", "was killed by SIGSEGV (segmentation fault)")
    case = next(c for c in json.loads(report.read_text())["cases"] if c["id"].startswith("soft"))
    assert "Segmentation fault" in case["output"]["stderr"]


@pytest.mark.slow
def test_infinite_loop_costs_one_timeout_then_its_cases_are_not_run(capsys):
    status, out, _ = check(capsys, "LOOP", "--timeout", "0.5")
    assert status == 1
    assert_only(out, "tanh", "ERROR", "tanh")
    errors = lines_with(out, "ERROR")
    assert "tanh timed out after 0.5s" in errors[0]
    assert all("not run: tanh timed out in case tanh-000" in e for e in errors[1:]), errors
    assert "in 5." not in out.splitlines()[-1]  # one timeout, not one per case


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS is Linux only")
def test_memory_hog_under_a_memory_limit_is_an_error(capsys):
    status, out, _ = nnref(capsys, "check", f"{HOSTILE}:MEMORY_HOG", *FEW, "--memory-limit", "1000")
    assert status == 1
    assert_only(out, "sigmoid", "ERROR", "sigmoid raised MemoryError")


def test_prints_are_captured_per_case_never_mixed_into_the_report(capsys, tmp_path):
    report = tmp_path / "r.json"
    status, out, _ = check(capsys, "PRINTS", "--json", report)
    assert status == 0
    lines = out.splitlines()
    for i, line in enumerate(lines):
        if "computing sigmoid" in line:
            assert line.startswith("       stdout: computing sigmoid of"), line
            assert lines[i - 1].startswith("PASS   sigmoid"), lines[i - 1]
    cases = {c["id"]: c for c in json.loads(report.read_text())["cases"]}
    assert cases["sigmoid-000"]["output"]["stdout"].startswith("computing sigmoid of [")
    assert cases["sigmoid-000"]["output"]["stderr"] == "to stderr too\n"
    assert "output" not in cases["tanh-000"]


def test_a_flood_of_warnings_is_trimmed_in_the_text_and_capped_in_json(capsys, tmp_path):
    report = tmp_path / "r.json"
    status, out, _ = check(capsys, "WARNINGS", "--json", report)
    assert status == 0
    assert "       warnings: RuntimeWarning: flood 0" in out
    assert "more lines of output (all in --json)" in out
    case = next(c for c in json.loads(report.read_text())["cases"] if c["id"] == "tanh-000")
    assert case["output"]["warnings"][-1] == "... and 9800 more warnings"


@pytest.mark.spec("S3")
def test_S3_mutated_inputs_fail_the_case_and_the_property(capsys):
    status, out, _ = nnref(
        capsys,
        "check",
        f"{HOSTILE}:MUTATES",
        "--only=relu",
        "--only=sigmoid",
        "--only=property-inputs-*",
        "--max-examples=5",
    )
    assert status == 1
    fails = lines_with(out, "FAIL")
    assert all("relu modified its input: u[0]: " in f for f in fails), fails
    assert any(f.startswith("FAIL   property-inputs-not-modified") for f in fails)
    assert lines_with(out, "PASS   sigmoid")


def test_a_ten_million_element_result_is_an_error(capsys):
    status, out, _ = nnref(
        capsys, "check", f"{HOSTILE}:HUGE", "--no-properties", "--only=identity", "--only=relu"
    )
    assert status == 1
    errors = lines_with(out, "ERROR")
    assert errors and all("has 10,000,000 numbers" in e for e in errors)
    assert lines_with(out, "PASS   relu")


def test_a_module_that_fails_to_import_is_one_line_and_status_2(capsys):
    status, out, err = nnref(capsys, "check", "tests.isolation.fails_import")
    assert status == 2 and out == ""
    assert err.strip() == (
        "nnref: error: implementation 'tests.isolation.fails_import': importing it raised "
        "NameError: name 'undefined_name' is not defined"
    )


def test_debug_shows_the_implementations_own_import_traceback(capsys):
    from nnref.conformance.errors import NnrefError

    with pytest.raises(NnrefError) as info:
        nnref(capsys, "--debug", "check", "tests.isolation.fails_import")
    assert 'fails_import.py", line 5, in <module>' in str(info.value)


def test_a_module_exiting_while_imported_is_one_line_and_status_2(capsys):
    status, _, err = nnref(capsys, "check", "tests.isolation.exits_at_import")
    assert status == 2
    assert "the implementation exited with status 4 while being imported" in err


def test_a_module_providing_nothing_is_one_line_and_status_2(capsys):
    status, out, err = nnref(capsys, "check", "tests.isolation.nothing")
    assert status == 2 and out == ""
    assert "provides none of the protocol's callables" in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.slow
def test_retry_timeouts_calls_a_hanging_callable_again(capsys):
    status, out, _ = nnref(
        capsys, "check", f"{HOSTILE}:LOOP", *FEW, "--timeout", "0.3", "--retry-timeouts"
    )
    assert status == 1
    assert_only(out, "tanh", "ERROR", "tanh timed out after 0.3s")
