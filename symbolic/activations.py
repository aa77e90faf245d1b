"""Activations and their derivatives (SPEC S5-S8, S10, S11, S12; erratum E5)."""

from __future__ import annotations

import sympy as sp

from nnref.symbolic.core import Derivation, Step
from nnref.symbolic.registry import derivation

x = sp.Symbol("x", real=True)
h = sp.Symbol("h", real=True)
HALF = sp.Rational(1, 2)
QUARTER = sp.Rational(1, 4)


def sigmoid(z):
    """S6: f(z) = 1 / (1 + e^(-z))."""
    return 1 / (1 + sp.exp(-z))


def relu(z, at_zero=1):
    """S8: max(0, z) as a Piecewise whose derivative at 0 is ``at_zero``.

    The value is 0 at z = 0 whatever ``at_zero`` is; the middle branch only
    fixes what SymPy's branch-wise ``diff`` returns there.
    """
    return sp.Piecewise((z, z > 0), (0, z < 0), (at_zero * z, True))


def relu_product(z, at_zero=1):
    """S8 as z·H(z), H the Heaviside step with H(0) = ``at_zero``: the derivative at 0.

    Equal to :func:`relu` everywhere (proved in ``relu_derivative``); the
    product rule gives H(z) + z·delta(z), whose value at 0 is H(0).
    """
    return z * sp.Heaviside(z, at_zero)


def step(z):
    """S5: 1 if z >= 0 else 0."""
    return sp.Piecewise((1, z >= 0), (0, True))


@derivation("step_not_differentiable", ("S5",))
def step_not_differentiable() -> Derivation:
    p, n = sp.Symbol("x", positive=True), sp.Symbol("x", negative=True)
    return Derivation(
        title="The step function cannot be trained through",
        assumptions=("x is real",),
        summary="Away from 0 the step's derivative is 0 (no signal); at 0 it jumps.",
        steps=(
            Step(sp.Derivative(step(p), p), 0, "slope 0 where x > 0", label="flat+"),
            Step(sp.Derivative(step(n), n), 0, "slope 0 where x < 0: no gradient flows",
                 label="flat-"),
            Step(sp.Limit(sp.Heaviside(h, 1), h, 0, "-"), 0, "limit from the left is 0",
                 label="left"),
            Step(sp.Limit(sp.Heaviside(h, 1), h, 0, "+"), 1,
                 "limit from the right is 1 = f(0): a jump, so no derivative at 0", label="right"),
        ),
    )  # fmt: skip


@derivation("sigmoid_derivative", ("S6", "S12", "E5"))
def sigmoid_derivative() -> Derivation:
    f = sigmoid(x)
    F = sp.Symbol("f", positive=True)
    d = f * (1 - f)
    return Derivation(
        title="Sigmoid: f' = f (1 - f), at most 1/4, reached only at 0; range (0, 1) open",
        assumptions=("x is real",),
        summary="The derivative is a function of the recorded output f alone (S12).",
        notation={f: sp.Symbol("f(x)")},
        steps=(
            Step(sp.Derivative(f, x), f * (1 - f), "differentiate; express via the output",
                 label="derivative"),
            Step(QUARTER - d, (f - HALF) ** 2, "complete the square", label="square"),
            Step((f - HALF) ** 2, 0, "a real square is non-negative, so f' <= 1/4",
                 relation=">=", label="bound"),
            Step(d.subs(x, 0), QUARTER, "the bound is reached at x = 0", label="at0"),
            Step(sp.ConditionSet(x, sp.Eq(f, HALF), sp.S.Reals), sp.FiniteSet(0),
                 "(f - 1/2)^2 = 0 only where f = 1/2, i.e. only at x = 0", label="only0"),
            Step(f, 0, "E5: f(x) > 0 for every real x", relation=">", label="positive"),
            Step(1 - f, sigmoid(-x), "1 - f(x) = f(-x)", label="symmetry"),
            Step(sigmoid(-x), 0, "so f(x) < 1 for every real x", relation=">", label="below1"),
            Step(sp.Limit(f, x, -sp.oo), 0, "0 is approached, never reached", label="lim-"),
            Step(sp.Limit(f, x, sp.oo), 1, "1 is approached, never reached: range (0, 1)",
                 label="lim+"),
            Step(F * (1 - F), QUARTER - (F - HALF) ** 2, "the same bound from the output f",
                 label="from-output"),
        ),
    )  # fmt: skip


@derivation("tanh_derivative", ("S7", "S12"))
def tanh_derivative() -> Derivation:
    f = sp.tanh(x)
    return Derivation(
        title="tanh: f' = 1 - f^2",
        assumptions=("x is real",),
        steps=(
            Step(sp.Derivative(f, x), 1 - f**2, "differentiate; express via the output",
                 label="derivative"),
            Step(f, 2 * sigmoid(2 * x) - 1, "tanh is a rescaled sigmoid", label="rescaled"),
            Step(1 - f**2, 1 / sp.cosh(x) ** 2, "1 - tanh^2 = sech^2", label="sech"),
            Step(1 / sp.cosh(x) ** 2, 0, "so the derivative is positive", relation=">",
                 label="positive"),
            Step((1 - f**2).subs(x, 0), 1, "its largest value, 1, at x = 0", label="at0"),
        ),
    )  # fmt: skip


@derivation("relu_derivative", ("S8",))
def relu_derivative() -> Derivation:
    f = sp.Max(0, x)
    p, n = sp.Symbol("x", positive=True), sp.Symbol("x", negative=True)
    rule = sp.Piecewise((1, x >= 0), (0, True))
    return Derivation(
        title="ReLU: f' = 1 for x >= 0 (convention at 0), 0 for x < 0",
        assumptions=("x is real", "the tutorial's convention: f'(0) = 1 (libraries often use 0)"),
        summary="f is not differentiable at 0: the one-sided slopes differ. The convention "
        "takes the right-hand slope there.",
        steps=(
            Step(f, sp.Piecewise((x, x >= 0), (0, True)), "max(0, x) as two pieces",
                 label="pieces"),
            Step(sp.Derivative(sp.Max(0, p), p), 1, "slope 1 where x > 0", label="positive"),
            Step(sp.Derivative(sp.Max(0, n), n), 0, "slope 0 where x < 0", label="negative"),
            Step(sp.Limit(sp.Max(0, h) / h, h, 0, "-"), 0, "left slope at 0 is 0", label="left"),
            Step(sp.Limit(sp.Max(0, h) / h, h, 0, "+"), 1,
                 "right slope at 0 is 1: they differ, so f'(0) does not exist", label="right"),
            Step(sp.Derivative(relu(x, at_zero=1), x), rule,
                 "the derivative with the convention f'(0) = 1", label="convention"),
            Step(relu_product(x), relu(x), "the same function as x·H(x), H(0) = 1",
                 label="product-form"),
            Step(sp.Derivative(relu_product(x), x).subs(x, 0), 1,
                 "whose derivative at 0 is H(0) = 1, the convention", label="product-at0"),
        ),
    )  # fmt: skip


def _softmax(us):
    total = sum(sp.exp(u) for u in us)
    return [sp.exp(u) / total for u in us]


@derivation("softmax_sum_and_jacobian", ("S10",))
def softmax_sum_and_jacobian() -> Derivation:
    us = sp.symbols("u_1:4", real=True)
    y = _softmax(us)
    i, n = sp.symbols("i n", integer=True, positive=True)
    ui = sp.IndexedBase("u")
    D = sp.Symbol("D", positive=True)
    Y = sp.Matrix(y)
    jac = sp.Matrix(3, 3, lambda a, b: sp.Derivative(y[a], us[b]))
    display = {yk: sp.Symbol(f"y_{k + 1}") for k, yk in enumerate(y)}
    return Derivation(
        title="Softmax: outputs sum to 1; Jacobian diag(y) - y y^T",
        assumptions=("logits u are real; shown for 3 outputs (every size works alike)",),
        notation=display,
        where=("y_k = e^{u_k} / sum_j e^{u_j}",),
        steps=(
            Step(sum(y), 1, "the outputs sum to 1", label="sum"),
            Step(sp.Sum(sp.exp(ui[i]) / D, (i, 1, n)), sp.Sum(sp.exp(ui[i]), (i, 1, n)) / D,
                 "any number n of outputs: the denominator D does not depend on i",
                 label="sum-n"),
            Step(sp.Sum(sp.exp(ui[i]), (i, 1, n)) / D, 1, "D is that same sum",
                 given=((D, sp.Sum(sp.exp(ui[i]), (i, 1, n))),), label="sum-n-1"),
            Step(y[0], 0, "each output is positive", relation=">", label="positive"),
            Step(jac, sp.diag(*y) - Y * Y.T, "dy_i/du_j = y_i (delta_ij - y_j)",
                 label="jacobian"),
        ),
    )  # fmt: skip


@derivation("linear_layers_collapse", ("S11",))
def linear_layers_collapse() -> Derivation:
    X = sp.Matrix(1, 2, sp.symbols("x_1:3"))
    W1 = sp.Matrix(2, 2, sp.symbols("v_11 v_12 v_21 v_22"))
    b1 = sp.Matrix(1, 2, sp.symbols("c_1:3"))
    W2 = sp.Matrix(2, 2, sp.symbols("w_11 w_12 w_21 w_22"))
    b2 = sp.Matrix(1, 2, sp.symbols("b_1:3"))
    return Derivation(
        title="Without a non-linearity two layers are one linear layer",
        assumptions=("identity activation in both layers; 2 x 2 shown",),
        steps=(
            Step((X * W1 - b1) * W2 - b2, X * (W1 * W2) - (b1 * W2 + b2),
                 "the composition is again u = x W - b", label="collapse"),
        ),
    )  # fmt: skip
