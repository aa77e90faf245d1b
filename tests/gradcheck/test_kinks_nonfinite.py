"""Kinks (S8: ReLU at 0) are counted apart from failures; non-finite values are named."""

from __future__ import annotations

import numpy as np
import pytest

from nnref.conformance.casebank import nets
from nnref.conformance.casebank.bank import zero_network
from nnref.conformance.finitediff import gradcheck


def relu_sum(v):
    return float(np.sum(np.maximum(np.asarray(v), 0.0)))


@pytest.mark.spec("S8")
@pytest.mark.parametrize("mode", ["full", "fast"])
@pytest.mark.parametrize("relu0", [1.0, 0.0, 0.5])
def test_S8_relu_at_zero_is_a_kink_not_a_failure(relu0, mode):
    result = gradcheck(relu_sum, [0.0, 2.0, -1.0], [relu0, 1.0, 0.0], fast=mode == "fast")
    assert result and result.failed == 0
    if relu0 == 0.5:  # the central difference itself is 0.5: nothing to explain
        return
    assert result.kinks >= 1
    if mode == "full":
        (kink,) = result.kink_entries
        assert kink.name == "x[0]" and "one-sided derivatives 0 .. 1" in kink.note


@pytest.mark.spec("S8")
@pytest.mark.parametrize("mode", ["full", "fast"])
@pytest.mark.parametrize("kinks", ["lenient", "strict"])
@pytest.mark.parametrize("relu0", [-0.01, 1.01, 3.0])
def test_S8_kink_outside_one_sided_range_fails_in_every_mode(relu0, kinks, mode):
    """ReLU'(0) = -0.01 is no subgradient: outside [0, 1] it fails, lenient or not."""
    result = gradcheck(relu_sum, [0.0, 2.0], [relu0, 1.0], kinks=kinks, fast=mode == "fast")
    assert not result and result.failing_names == ["x[0]"]
    assert "analytic OUTSIDE this range" in result.failures[0].note


@pytest.mark.spec("S8")
def test_S8_strict_accepts_only_a_one_sided_value():
    for relu0 in (0.0, 1.0):
        assert gradcheck(relu_sum, [0.0, 2.0], [relu0, 1.0], kinks="strict")
    # 0.3 is inside [0, 1] (lenient accepts it) but is neither side's derivative
    lenient = gradcheck(relu_sum, [0.0, 2.0], [0.3, 1.0])
    assert lenient and lenient.kinks == 1
    strict = gradcheck(relu_sum, [0.0, 2.0], [0.3, 1.0], kinks="strict")
    assert not strict and strict.failing_names == ["x[0]"]
    assert "matches neither one-sided derivative" in strict.failures[0].note


@pytest.mark.spec("S8")
def test_S8_smooth_entries_still_fail_next_to_a_kink():
    result = gradcheck(relu_sum, [0.0, 2.0], [1.0, -1.0])
    assert not result and result.failing_names == ["x[1]"] and result.kinks == 1


@pytest.mark.spec("S8")
def test_S8_stacked_kinks_relu0_1_is_not_a_derivative():
    """Two layers of units at u = 0: the chain rule with ReLU'(0) = 1 gives values that are not
    derivatives of f where f is in fact differentiable (one-sided differences agree): reported."""
    p, f, x, t = zero_network([3, 4, 3, 2])
    g1 = nets.gradients(p, x, t, "relu", "identity", "squared_error", relu_at_zero=1.0)
    g0 = nets.gradients(p, x, t, "relu", "identity", "squared_error", relu_at_zero=0.0)
    assert gradcheck(f, p, g0)
    result = gradcheck(f, p, g1)
    assert not result and all(n.startswith("b1") for n in result.failing_names)


def test_nonfinite_f_at_x():
    with np.errstate(invalid="ignore"):
        result = gradcheck(lambda v: float(np.log(v[0])), [-1.0], [1.0])
    assert not result and result.nonfinite == 1
    assert "f(x) is not finite" in str(result)


def test_nonfinite_analytic_entry_is_named():
    result = gradcheck(lambda v: float(np.sum(v)), [1.0, 2.0], [1.0, np.nan])
    assert not result and result.nonfinite == 1 and result.failed == 0
    assert result.nonfinite_entries[0].name == "x[1]"
    assert "analytic is nan" in str(result)


def test_overflow_at_a_probe_is_reported():
    x = [709.78]  # exp(x) is finite, exp(x + h) overflows
    with np.errstate(over="ignore"):
        result = gradcheck(lambda v: float(np.exp(v[0])), x, [np.exp(709.78)])
    assert not result and result.nonfinite == 1
    assert "f(x + h e) is inf" in result.nonfinite_entries[0].note
