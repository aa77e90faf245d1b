"""The prover accepts only exact decisions: near misses and undecided signs fail."""

from __future__ import annotations

import sympy as sp

from nnref.symbolic.core import Derivation, Step

x = sp.Symbol("x", real=True)


def _check(*steps: Step):
    return Derivation("t", "t", ("S1",), ("none",), tuple(steps)).verify()


def test_exact_identity_is_proved():
    assert _check(Step(sp.sin(x) ** 2 + sp.cos(x) ** 2, 1, "pythagoras")).ok


def test_numeric_near_miss_is_not_accepted():
    # e^pi - pi = 19.99909997918947..., and 355/113 agrees with pi to 6 decimals
    result = _check(Step(sp.E**sp.pi - sp.pi, 20, "near integer"),
                    Step(sp.pi, sp.Rational(355, 113), "close rational"))  # fmt: skip
    assert [s.status for s in result.steps] == ["failed", "failed"]


def test_undecided_sign_fails():
    result = _check(Step(x, 0, "x positive?", relation=">"))
    assert not result.ok and "not decided" in result.steps[0].message


def test_false_inequality_fails():
    assert not _check(Step(sp.Integer(1), 2, "1 > 2", relation=">")).ok


def test_failed_step_reports_a_witness():
    result = _check(Step(sp.sin(x), x, "sin x = x"))
    assert "residual" in result.steps[0].message and "at x=" in result.steps[0].message


def test_matrix_shape_mismatch_fails():
    result = _check(Step(sp.Matrix([[1, 2]]), sp.Matrix([1, 2]), "row vs column"))
    assert not result.ok and "shape" in result.steps[0].message


def test_solution_set_must_match():
    cset = sp.ConditionSet(x, sp.Eq(x**2, 1), sp.S.Reals)
    assert _check(Step(cset, sp.FiniteSet(-1, 1), "both roots")).ok
    assert not _check(Step(cset, sp.FiniteSet(1), "one root missing")).ok
