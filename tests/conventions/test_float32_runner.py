"""precision=float32 through the whole runner: arguments, input checks, properties, verdicts."""

from __future__ import annotations

import pytest

from nnref.conformance.check.options import CheckOptions
from nnref.conformance.check.pipeline import check_implementation

NUMPY = "nnref.conformance.adapters.numpy_impl"
FLOAT32 = ["precision=float32"]


def _check(impl, only=(), properties=False):
    options = CheckOptions(
        conventions_declared=FLOAT32, only=list(only), properties=properties, quick=True
    )
    report = check_implementation(impl, options)
    return report, {r.id: r for r in report.results}


@pytest.mark.slow
@pytest.mark.spec("S1", "S10", "S20", "S23", "S25")
def test_S1_correct_numpy_code_given_float32_arguments_passes_every_case_it_can_hold():
    """Arguments rounded to float32 are compared with themselves as rounded (not a modified
    input), and the few cases float32 cannot hold are not provided, each saying why."""
    report, _by_id = _check(NUMPY)
    bad = [r for r in report.results if r.status in ("FAIL", "ERROR")]
    assert not bad, bad[0].message
    unheld = [r for r in report.results if r.status == "not provided"]
    assert unheld and all("not checkable in float32" in r.message for r in unheld)
    assert all("outside float32's range" in r.message for r in unheld)


@pytest.mark.slow
@pytest.mark.spec("S1")
def test_S1_a_real_mistake_still_fails_under_float32():
    report, _ = _check("tests.conformance.impls:WRONG_BIAS_SIGN", only=["linear-*"])
    assert [r for r in report.results if r.status == "FAIL"]


@pytest.mark.slow
@pytest.mark.spec("S10", "S15", "S20")
def test_S10_properties_follow_float32s_epsilon():
    _report, by_id = _check(NUMPY, only=["property-*"], properties=True)
    assert by_id["property-softmax-sums-to-one"].status == "PASS"
    assert by_id["property-gradients-vs-finite-differences"].status == "PASS"
