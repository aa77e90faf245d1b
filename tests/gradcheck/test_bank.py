"""The bank: correct derivatives never fail, wrong ones never pass, in full and fast mode.

Case ids start with the SPEC clause they exercise (S6 sigmoid', S7 tanh', S8 ReLU',
S13/S14 losses, E1/E6 errata, S15 output error, S20 dense backward) or ``G``
(a generic function).
"""

from __future__ import annotations

import pytest

from nnref.conformance.casebank.bank import CORRECT, WRONG
from nnref.conformance.finitediff import gradcheck

MODES = ["full", "fast"]


def _check(case, mode, **extra):
    return gradcheck(case.f, case.x, case.grad, fast=mode == "fast", **case.options, **extra)


def test_bank_has_at_least_40_of_each():
    assert len(CORRECT) >= 40 and len(WRONG) >= 40


@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", CORRECT, ids=lambda c: c.id)
def test_correct_derivative_passes(case, mode):
    result = _check(case, mode)
    assert result, str(result)
    assert result.failed == 0 and result.nonfinite == 0


@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", WRONG, ids=lambda c: c.id)
def test_wrong_derivative_fails(case, mode):
    result = _check(case, mode)
    assert not result, str(result)
    assert result.failed + result.nonfinite >= 1
    if case.id == "G-large-one-sign-flip-of-10000":
        assert result.failing_names == ["x[7777]"]


SMALL = [c for c in CORRECT + WRONG if "large" not in c.id]


@pytest.mark.parametrize("case", SMALL, ids=lambda c: c.id)
def test_richardson_agrees_with_central(case):
    """The 4th-order stencil gives the same verdicts as central differences."""
    assert bool(_check(case, "full", method="richardson")) is case.correct


@pytest.mark.spec("S20")
@pytest.mark.parametrize("mode", MODES)
def test_S20_bias_sign_names_only_thresholds(mode):
    (case,) = [c for c in WRONG if c.id == "S20-net-bug-bias_sign"]
    result = _check(case, mode)
    assert result.failing_names and all(n.startswith("b") for n in result.failing_names)
    assert "sign error" in str(result)
