"""Ordinary bugs and odd return values end as named ERRORs of their cases; the run goes on.

Each implementation is in ``tests/verdict/odd.py``: the reference with one callable
broken. Every test asserts the status of the cases it touches, the message, that
everything else still passes, and the exit status of ``nnref check``.
"""

from __future__ import annotations

import pytest

from nnref.conformance.check.options import CheckOptions
from nnref.conformance.check.pipeline import check_implementation
from nnref.conformance.judge.results import ERROR, FAIL, PASS
from tests.conformance.helpers import nnref

ODD = "tests.verdict.odd"


def _check(name, **options):
    options.setdefault("seed", 0)
    options.setdefault("max_examples", 5)
    return check_implementation(f"{ODD}:{name}", CheckOptions(**options))


def _bad(report):
    return {r.id: r for r in report.results if r.status in (FAIL, ERROR)}


@pytest.mark.spec("S6")
@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("STRINGS", "holds text, expected real numbers"),
        ("BYTES", "holds bytes (b'"),
        ("BOOLS", "holds booleans, expected real numbers"),
        ("HUGE_INT", "holds an integer too large for float64"),
    ],
)
def test_S6_a_sigmoid_returning_what_is_not_a_real_number_is_an_error_never_parsed(name, said):
    report = _check(name, only=["sigmoid-*", "D_*"], properties=False)
    sigmoid = [r for r in report.results if r.id.startswith("sigmoid-")]
    assert sigmoid and all(r.status == ERROR for r in sigmoid)
    assert all(said in r.message for r in sigmoid), sigmoid[0].message
    assert all(r.status == PASS for r in report.results if not r.id.startswith("sigmoid-"))
    assert report.exit_status() == 1


@pytest.mark.spec("S10")
def test_S10_a_ragged_softmax_result_is_named_ragged():
    report = _check("RAGGED", only=["softmax-*"], properties=False)
    assert report.results and all(r.status == ERROR for r in report.results)
    assert "is ragged: its lists differ in length or depth" in report.results[0].message


@pytest.mark.spec("S20")
def test_S20_an_integer_too_large_for_float64_in_gradients_is_an_error_of_its_cases():
    report = _check("HUGE_INT_GRADIENTS", only=["gradients-*", "property-*"])
    bad = _bad(report)
    assert bad and all(r.status == ERROR for r in bad.values())
    assert all(r.operation in ("gradients", "") for r in bad.values())
    assert report.exit_status() == 1


@pytest.mark.spec("S14")
def test_S14_a_complex_loss_is_an_error_not_a_number():
    report = _check("COMPLEX", only=["D_ce", "cross_entropy-0*"], properties=False)
    assert report.results and all(r.status == ERROR for r in report.results)
    assert "complex" in report.results[0].message


@pytest.mark.spec("S23")
def test_S23_adam_step_raising_from_t_2_is_an_error_of_each_trajectory_and_step_case(capsys):
    status, out, err = nnref(capsys, "check", f"{ODD}:ADAM_RAISES", "--quick", "--seed", "0")
    assert status == 1, err
    lines = [line for line in out.splitlines() if line.startswith("ERROR")]
    assert lines and all("adam" in line for line in lines)
    assert any("adam_step (in a trajectory) raised ValueError: t must be 1" in x for x in lines)
    assert "summary:" in out.splitlines()[-1] and err == ""


@pytest.mark.spec("S20")
def test_S20_an_alarm_set_at_import_never_ends_the_run(capsys):
    status, out, err = nnref(capsys, "check", "tests.verdict.alarm_at_import", "--only", "prop*")
    assert status in (0, 1) and err == "", err
    bad = [line for line in out.splitlines() if line.startswith(("ERROR", "FAIL"))]
    for line in bad:  # the alarm kills a child mid-property, or it does not: never a crash
        assert "SIGALRM" in line or "replayed" in line, line
    assert "summary:" in out.splitlines()[-1]


@pytest.mark.spec("S7")
def test_S7_an_implementation_that_cannot_be_imported_again_errs_the_rest_never_exit_2(
    capsys, monkeypatch, tmp_path
):
    monkeypatch.setenv("NNREF_TEST_IMPORT_MARKER", str(tmp_path / "marker"))
    status, out, err = nnref(capsys, "check", "tests.verdict.second_import_fails", "--quick")
    assert status == 1 and err == "", err
    lines = out.splitlines()
    assert any(x.startswith("ERROR  tanh-000") and "exited with status 9" in x for x in lines)
    rest = [x for x in lines if "imported again" in x and "imported twice" in x]
    assert rest and all(x.startswith("ERROR") for x in rest)
    assert sum(x.startswith("PASS") for x in lines) > 10  # judged before tanh ended it
    assert "internal error" not in out
