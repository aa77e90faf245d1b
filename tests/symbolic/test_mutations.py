"""A deliberately wrong formula must fail its proof (and only the mutated step fails).

Each case changes one step of a registered derivation the way a plausible
mistake would (a sign, a missing assumption, a transposed product, the
tutorial's own misprints) and checks that verify() rejects exactly that step.
"""

from __future__ import annotations

import pytest
import sympy as sp

from nnref.symbolic import registry
from nnref.symbolic.activations import sigmoid
from nnref.symbolic.core import rounds_to, truncates_to


def _f():
    return sigmoid(sp.Symbol("x", real=True))


def _y_matrix(d):
    return d.step("jacobian").rhs  # diag(y) - y y^T


def _delta(d):
    return -d.step("db").rhs  # the row vector delta


E = sp.E
A = E**3 + 1 + E**-1

# (pytest id "CLAUSE-what", derivation, step label, function derivation -> changes for that step)
MUTATIONS = [
    (
        "S6-derivative_f_1_plus_f",
        "sigmoid_derivative",
        "derivative",
        lambda d: {"rhs": _f() * (1 + _f())},
    ),
    ("S6-bound_negative_square", "sigmoid_derivative", "bound", lambda d: {"relation": "<"}),
    ("S6-max_also_elsewhere", "sigmoid_derivative", "only0", lambda d: {"rhs": sp.FiniteSet(0, 1)}),
    ("E5-closed_range_reaches_1", "sigmoid_derivative", "lim+", lambda d: {"rhs": 2}),
    (
        "S7-tanh_1_plus_f2",
        "tanh_derivative",
        "derivative",
        lambda d: {"rhs": 1 + sp.tanh(sp.Symbol("x", real=True)) ** 2},
    ),
    (
        "S8-convention_0_at_zero",
        "relu_derivative",
        "convention",
        lambda d: {"rhs": sp.Piecewise((1, sp.Symbol("x", real=True) > 0), (0, True))},
    ),
    ("S8-left_slope_1", "relu_derivative", "left", lambda d: {"rhs": 1}),
    ("S5-step_continuous", "step_not_differentiable", "left", lambda d: {"rhs": 1}),
    (
        "S10-jacobian_sign_flip",
        "softmax_sum_and_jacobian",
        "jacobian",
        lambda d: {"rhs": -_y_matrix(d)},
    ),
    ("S10-sum_is_2", "softmax_sum_and_jacobian", "sum", lambda d: {"rhs": 2}),
    (
        "S11-bias_not_carried",
        "linear_layers_collapse",
        "collapse",
        lambda d: {"rhs": d.step("collapse").rhs + sp.Matrix([[sp.Symbol("c_1"), 0]])},
    ),
    (
        "S13-delta_t_minus_y",
        "identity_squared_error_delta",
        "delta",
        lambda d: {"rhs": -d.step("delta").rhs},
    ),
    ("S15-delta_without_onehot", "softmax_cross_entropy_delta", "delta", lambda d: {"given": ()}),
    (
        "E4-y_minus_t_for_outputs",
        "softmax_cross_entropy_delta",
        "by-output",
        lambda d: {
            "rhs": sp.Matrix(sp.symbols("y_1:4", positive=True))
            - sp.Matrix(sp.symbols("t_1:4", real=True))
        },
    ),
    (
        "S16-branch_one_path",
        "chain_rule_patterns",
        "branch",
        lambda d: {"rhs": d.step("add-a").rhs.subs(sp.Symbol("b", real=True), 0)},
    ),
    (
        "S18-multiply_own_factor",
        "chain_rule_patterns",
        "mul-a",
        lambda d: {"rhs": d.step("mul-b").rhs},
    ),
    (
        "S19-missing_f_prime",
        "chain_rule_patterns",
        "function",
        lambda d: {
            "rhs": d.step("function").rhs.subs(
                sp.Derivative(
                    sp.Function("f")(sp.Symbol("a", real=True)), sp.Symbol("a", real=True)
                ),
                1,
            )
        },
    ),
    ("S20-db_plus_delta", "dense_backward", "db", lambda d: {"rhs": _delta(d)}),
    ("S20-dW_missing_x", "dense_backward", "dW", lambda d: {"rhs": sp.ones(2, 1) * _delta(d)}),
    (
        "S20-dx_transposed_W",
        "dense_backward",
        "dx",
        lambda d: {"rhs": sp.Matrix(d.step("dx").rhs[:1])},
    ),
    ("S20-hidden_without_f_prime", "dense_backward", "hidden", lambda d: {"rhs": d.step("dx").rhs}),
    (
        "S21-bound_half_per_layer",
        "vanishing_gradient",
        "induction",
        lambda d: {"lhs": sp.Rational(1, 2) * d.step("induction").lhs},
    ),
    (
        "S22-step_range_halved",
        "sgd_step_quadratic",
        "range",
        lambda d: {"rhs": sp.Interval.open(0, 1 / sp.Symbol("a", positive=True))},
    ),
    (
        "S23-no_bias_correction",
        "adam_bias_correction",
        "m-hat",
        lambda d: {
            "lhs": d.step("m-hat").lhs
            * (
                1
                - sp.Symbol("beta_1", positive=True) ** sp.Symbol("t", integer=True, positive=True)
            )
        },
    ),
    (
        "S23-closed_form_off_by_one",
        "adam_bias_correction",
        "m-step",
        lambda d: {
            "rhs": d.step("m-step").rhs.subs(
                sp.Symbol("t", integer=True, positive=True),
                sp.Symbol("t", integer=True, positive=True) + 1,
            )
        },
    ),
    (
        "E2-variance_is_s",
        "init_variance",
        "variance",
        lambda d: {"rhs": sp.Symbol("s", positive=True)},
    ),
    ("S25-jacobian_sign", "box_muller", "jacobian", lambda d: {"rhs": -d.step("jacobian").rhs}),
    (
        "S25-density_missing_2pi",
        "box_muller",
        "density",
        lambda d: {"lhs": d.step("density").lhs * 2 * sp.pi},
    ),
    (
        "E1-printed_as_natural_log",
        "cross_entropy_log_base",
        "natural",
        lambda d: {
            "lhs": rounds_to(sp.log(A), "1.33149646163", "", "").lhs,
            "rhs": rounds_to(sp.log(A), "1.33149646163", "", "").rhs,
        },
    ),
    (
        "E1-printed_from_exact_y2",
        "cross_entropy_log_base",
        "printed",
        lambda d: {"lhs": rounds_to(sp.log(A) / sp.log(10), "1.33149646163", "", "").lhs},
    ),
    (
        "E6-mean_of_squares_always_equal",
        "squared_error_halved_sum",
        "only-K2",
        lambda d: {"rhs": sp.S.Naturals},
    ),
    ("E6-sum_not_halved", "squared_error_halved_sum", "halved-sum", lambda d: {"rhs": 2504}),
    (
        "E3-printed_h_times_31",
        "chain_step_w31",
        "dc",
        lambda d: {"rhs": d.step("dc").rhs.subs(sp.Symbol("w_31", real=True), 31)},
    ),
    ("W1_1-threshold_added", "worked_weighted_sum", "W1_1", lambda d: {"rhs": 3}),
    (
        "W3_3-last_digit",
        "worked_tutorial_forward",
        "W3_3-0",
        lambda d: {
            "rhs": d.step("W3_3-0").rhs,
            "lhs": sp.Abs(sp.E / (1 + sp.E + sp.E**3) - sp.Rational("0.11419519939")),
        },
    ),
    (
        "D_softmax-rounded_not_cut",
        "worked_softmax_and_output_error",
        "D_softmax-1",
        lambda d: {"rhs": truncates_to(1 / A, "0.04661262258", "", "").rhs},
    ),
]


def clause_of(mutation_id: str) -> str:
    """The clause a mutation breaks: its id up to the first '-' ("S6-..." -> "S6")."""
    return mutation_id.split("-")[0]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "label", "change"),
    [pytest.param(*m[1:], id=m[0], marks=pytest.mark.spec(clause_of(m[0]))) for m in MUTATIONS],
)
def test_wrong_formula_fails_its_proof(name, label, change):
    original = registry.get(name)
    mutated = original.with_step(label, **change(original))
    assert mutated.step(label) != original.step(label), "the mutation changed nothing"
    result = mutated.verify()
    assert not result.ok
    assert [s.label for s in result.failures()] == [label]


def test_mutation_leaves_the_registered_derivation_intact():
    d = registry.get("sigmoid_derivative")
    d.with_step("derivative", rhs=0)
    assert d.verify().ok
