"""Deliberately broken implementations fail exactly the right cases, with the right messages."""

from __future__ import annotations

import pytest

from nnref.conformance.check.fresh import PREFIX
from nnref.conformance.check.options import CheckOptions
from nnref.conformance.check.pipeline import check_implementation
from nnref.conformance.judge.results import ERROR, FAIL, PASS
from nnref.conformance.vectors.load import load_cases
from tests.conformance.helpers import IMPLS, nnref

CASES = {c["id"]: c for c in load_cases()[0]}


def _run(name, **options):
    options.setdefault("max_examples", 8)
    options.setdefault("seed", 0)
    return check_implementation(f"{IMPLS}:{name}", CheckOptions(**options))


def _failing(report):
    bad = {r.id for r in report.results if r.status in (FAIL, ERROR)}
    return {i for i in bad if not i.startswith(PREFIX)}  # the fresh inputs: tests/verdict


@pytest.mark.slow
@pytest.mark.spec("S1")
def test_S1_wrong_threshold_sign_fails_the_cases_that_have_thresholds():
    report = _run("WRONG_BIAS_SIGN")
    failing = _failing(report)
    by_id = {r.id: r for r in report.results}
    # Only operations that take thresholds can fail; every linear case with b != 0 does.
    assert {CASES[i]["operation"] for i in failing} == {"linear", "forward", "gradients"}
    linear = {i for i, c in CASES.items() if c["operation"] == "linear" and "reject" not in c}
    assert failing & linear == {i for i in linear if any(CASES[i]["inputs"]["b"])}
    for tutorial in (
        "W1_1-weighted-sum",
        "D_hidden-layer",
        "W3_3-layer",
        "tutorial-network-forward",
        "tutorial-network-gradients",
    ):
        assert tutorial in failing
    assert "result[0]: expected -1.0, got 3.0" in by_id["W1_1-weighted-sum"].message
    (diagnosis,) = report.diagnoses
    assert [v.id for v in diagnosis.variants] == ["threshold=added"]
    assert "u = xW + b" in diagnosis.message and not report.hints
    # Its backward pass matches its own forward, so only the fresh inputs (against the
    # reference) see it among the properties.
    properties = {r.id: r.status for r in report.results if r.kind == "property"}
    assert {i for i, status in properties.items() if status != PASS} == {
        PREFIX + "linear",
        PREFIX + "forward",
        PREFIX + "gradients",
    }


@pytest.mark.slow
@pytest.mark.spec("E1")
def test_E1_log10_cross_entropy_fails_exactly_the_nonzero_cross_entropy_cases():
    report = _run("LOG10_CROSS_ENTROPY")
    expected = {
        i
        for i, c in CASES.items()
        if c["operation"] == "cross_entropy" and c.get("expected", 0) != 0  # must-reject: none
    }
    # its zip also answers for a teacher of the wrong length, where it must raise
    expected |= {"cross_entropy-reject-lengths"}
    assert _failing(report) == expected | {"property-gradients-vs-finite-differences"}
    d_ce = next(r for r in report.results if r.id == "D_ce")
    assert "expected 3.0658839037574293, got 1.3314964615578" in d_ce.message
    fd = next(r for r in report.results if r.id == "property-gradients-vs-finite-differences")
    assert "finite differences of its own forward + cross_entropy" in fd.message
    (diagnosis,) = report.diagnoses
    assert [v.id for v in diagnosis.variants] == ["cross_entropy_log10"]
    assert "with log10" in diagnosis.message and "E1" in diagnosis.message


@pytest.mark.slow
@pytest.mark.spec("S8")
def test_S8_relu_grad_at_zero_0_fails_only_the_kink_cases_and_is_told_in_one_line(capsys):
    status, out, _ = nnref(capsys, "check", f"{IMPLS}:RELU_GRAD_AT_ZERO_0", "--quick")
    assert status == 1
    failed = {line.split()[1] for line in out.splitlines() if line.startswith("FAIL")}
    kinks = {
        i
        for i, c in CASES.items()
        if "relu_at_zero" in c["flags"] and c["operation"] == "gradients"
    }
    assert failed == kinks
    notes = [line for line in out.splitlines() if line.startswith(("note:", "diagnosis:"))]
    assert len(notes) == 1
    assert "ReLU'(0) = 0 instead of 1" in notes[0]
    assert "--convention relu_grad_at_zero=0" in notes[0]


@pytest.mark.slow
@pytest.mark.spec("S8")
def test_S8_relu_grad_at_zero_0_passes_under_that_convention(capsys):
    status, out, _ = nnref(
        capsys, "check", f"{IMPLS}:RELU_GRAD_AT_ZERO_0", "--quick", "--relu-grad-at-zero", "0"
    )
    assert status == 0, out
    assert "relu_grad_at_zero=0" in out.splitlines()[0]


@pytest.mark.spec("S8")
def test_S8_the_reference_under_convention_0_is_told_it_uses_1():
    report = check_implementation(
        "nnref.reference", CheckOptions(relu_grad_at_zero=0.0, properties=False)
    )
    (diagnosis,) = report.diagnoses
    assert [v.id for v in diagnosis.variants] == ["relu_grad_at_zero=1"]
    assert "the tutorial's convention" in diagnosis.message and not report.hints


@pytest.mark.spec("S8")
def test_S8_no_convention_note_when_other_cases_fail_too():
    report = _run("WRONG_BIAS_SIGN", properties=False)
    assert not any("ReLU'(0)" in note for note in report.hints)


@pytest.mark.spec("S10")
def test_S10_float32_results_fail_with_a_note_saying_so():
    report = _run("FLOAT32", only=["softmax", "forward"], properties=False)
    assert report.exit_status() == 1
    (note,) = report.hints
    assert note.startswith("results are float32: declare precision=float32")
    failing = sum(r.status == FAIL for r in report.results)
    assert f"under float32's tolerances {failing} of the {failing} failing cases pass" in note
    assert "property" not in note  # no property ran: none to mention
    assert not report.diagnoses


@pytest.mark.spec("S10")
def test_S10_the_float32_note_counts_the_cases_it_judged_again_and_names_the_properties():
    report = _run("FLOAT32", only=["softmax", "property-fresh-softmax"])
    (note,) = report.hints
    failing = [r.id for r in report.results if r.status == FAIL]
    properties = [i for i in failing if i.startswith("property")]
    vectors = len(failing) - len(properties)
    assert vectors and properties == ["property-fresh-softmax"]
    assert f"{vectors} of the {vectors} failing cases pass" in note
    assert note.endswith(
        "; the 1 failing property check is judged in float32 only once it is declared"
    )


@pytest.mark.spec("S12")
def test_S12_backward_that_reuses_an_earlier_forward_pass_fails_the_property():
    report = _run("STALE_RECORDS", only=["property-gradients-deterministic"])
    (r,) = report.results
    assert r.status == FAIL
    assert "a second call after forward on another input" in r.message
    assert "the implementation keeps state between calls" in r.message


@pytest.mark.spec("S7")
def test_S7_non_finite_results_fail_naming_the_entry():
    report = _run("NAN", only=["tanh-*"], properties=False)
    assert report.results and all(r.status == FAIL for r in report.results)
    assert report.results[0].message.startswith("result[0] is nan, expected ")
    assert report.exit_status() == 1
