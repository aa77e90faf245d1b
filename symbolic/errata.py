"""Errata of the tutorial, each shown by an exact computation (SPEC E1, E3, E6..E10).

E2 is shown by ``init_variance`` (initialization), E4 by
``softmax_cross_entropy_delta`` (losses), E5 by ``sigmoid_derivative``
(activations).
"""

from __future__ import annotations

import sympy as sp

from nnref.symbolic.activations import relu, sigmoid
from nnref.symbolic.backprop import L, grad_sym, partial
from nnref.symbolic.core import Derivation, Step, rounds_to, truncates_to
from nnref.symbolic.registry import derivation
from nnref.symbolic.tutorial import TUTORIAL_LAYERS
from nnref.symbolic.worked import layer_sums, softmax_exact


@derivation("cross_entropy_log_base", ("E1", "D_ce", "S14"))
def cross_entropy_log_base() -> Derivation:
    e = sp.E
    A = e**3 + 1 + e**-1  # softmax denominator of D_softmax's logits (3, 0, -1)
    y2 = 1 / A
    natural = -sp.log(y2)
    printed_y2 = sp.Rational("0.04661262257")
    return Derivation(
        name="cross_entropy_log_base",
        title="D_ce: the printed 1.33149646163 is a log10; the natural-log value is 3.0658839038",
        clauses=("E1", "D_ce", "S14"),
        assumptions=("D_ce: y = softmax(3, 0, -1), t = (0, 1, 0)",),
        summary="nnref implements the natural log: it is what makes S15 (delta = y - t) hold.",
        steps=(
            Step(natural, sp.log(A), "E = -ln y_2 = ln(e^3 + 1 + e^-1)", label="exact"),
            truncates_to(y2, "0.04661262257", "y_2 as printed in D_softmax (cut, not rounded)",
                         "y2"),
            rounds_to(sp.log(A), "3.0658839038", "the natural-log value", "natural"),
            rounds_to(-sp.log(printed_y2) / sp.log(10), "1.33149646163",
                      "the printed value is -log10 of the printed y_2", "printed"),
            rounds_to(sp.log(A) / sp.log(10), "1.3314964616",
                      "(-log10 of the exact y_2 differs from it in the 11th decimal)", "log10"),
            Step(sp.log(A) / (sp.log(A) / sp.log(10)), sp.log(10),
                 "the two readings differ by the factor ln 10", label="ratio"),
        ),
    )  # fmt: skip


@derivation("squared_error_halved_sum", ("E6", "D_mse", "S13"))
def squared_error_halved_sum() -> Derivation:
    y, t = (28, 500), (30, 550)
    squares = sum(sp.Integer(a - b) ** 2 for a, b in zip(y, t, strict=True))
    K = sp.Symbol("K", integer=True, positive=True)
    S = sp.Symbol("S", positive=True)
    return Derivation(
        name="squared_error_halved_sum",
        title="D_mse: E = 1/2 sum (y - t)^2 = 1252, a halved sum, not a mean",
        clauses=("E6", "D_mse", "S13"),
        assumptions=("D_mse: y = (28, 500), t = (30, 550)",),
        summary="D_mse halves the sum over one sample's two outputs. With the 1/2 the text says "
        "the formula has, a mean over the outputs would give 626: the name's mean is not over "
        "the outputs. A mean over samples cannot be told from one sample (N = 1).",
        steps=(
            Step(sp.Rational(1, 2) * squares, 1252, "the halved sum: (4 + 2500) / 2",
                 label="halved-sum"),
            Step(sp.ConditionSet(K, sp.Eq(S / K, S / 2), sp.S.Naturals), sp.FiniteSet(2),
                 "the mean S/K equals the halved sum S/2 only for K = 2 outputs", label="only-K2"),
            Step(sp.Rational(1, 2) * squares / 2, 1252,
                 "a halved mean over the outputs gives 626, less than the printed 1252",
                 relation="<", label="halved-mean"),
            Step(sp.Rational(1, 2) * squares / 1, 1252,
                 "a halved mean over N = 1 samples is the same number", label="one-sample"),
        ),
    )  # fmt: skip


@derivation("chain_step_w31", ("E3", "S16", "S18"))
def chain_step_w31() -> Derivation:
    c, d, e = sp.symbols("c d e", real=True)
    w = sp.Matrix(3, 3, lambda k, i: sp.Symbol(f"w_{k + 1}{i + 1}", real=True))  # neuron k, input i
    bs = sp.symbols("b_1:4", real=True)
    u = [w[k, 0] * c + w[k, 1] * d + w[k, 2] * e - bs[k] for k in range(3)]
    E = L(*u)
    grads = [partial(L, u, k) for k in range(3)]
    names = [grad_sym(n) for n in "fgh"]
    return Derivation(
        name="chain_step_w31",
        title="E3: the gradient of c is ∂f·w11 + ∂g·w21 + ∂h·w31 (printed '∂h·31')",
        clauses=("E3", "S16", "S18"),
        assumptions=("output neurons f, g, h over the hidden outputs c, d, e",
                     "w_k1 is the weight from c into output neuron k (the tutorial's indexing)"),
        notation={**dict(zip(grads, names, strict=True)), E: sp.Symbol("E")},
        where=("∂f, ∂g, ∂h = dE/du of the output neurons f, g, h",),
        steps=(
            Step(sp.Derivative(E, c), sum(g * w[k, 0] for k, g in enumerate(grads)),
                 "multiply (S18) then branch (S16): the last term is ∂h·w31", label="dc"),
            Step(sp.Derivative(E, w[2, 0]), grads[2] * c, "∂w31 = ∂h·c", label="dw31"),
            Step(sp.Derivative(E, bs[2]), -grads[2], "∂b3 = -∂h", label="db3"),
        ),
    )  # fmt: skip


x = sp.Symbol("x", real=True)
h = sp.Symbol("h", real=True)


@derivation("tanh_open_range", ("E7", "S7"))
def tanh_open_range() -> Derivation:
    f = sp.tanh(x)
    return Derivation(
        name="tanh_open_range",
        title="E7: tanh never reaches -1 or 1; its range is the open interval (-1, 1)",
        clauses=("E7", "S7"),
        assumptions=("x is real",),
        summary="The text's '-1以上1以下' includes both ends; neither is a value of tanh.",
        steps=(
            Step(1 - f, 2 * sigmoid(-2 * x), "1 - tanh x = 2 f(-2x), f the sigmoid", label="gap+"),
            Step(2 * sigmoid(-2 * x), 0, "positive, so tanh x < 1", relation=">", label="below1"),
            Step(1 + f, 2 * sigmoid(2 * x), "1 + tanh x = 2 f(2x)", label="gap-"),
            Step(2 * sigmoid(2 * x), 0, "positive, so tanh x > -1", relation=">",
                 label="above-1"),
            Step(sp.ConditionSet(x, sp.Eq(f, 1), sp.S.Reals), sp.S.EmptySet,
                 "no real x gives tanh x = 1", label="never1"),
            Step(sp.ConditionSet(x, sp.Eq(f, -1), sp.S.Reals), sp.S.EmptySet,
                 "no real x gives tanh x = -1", label="never-1"),
            Step(sp.Limit(f, x, sp.oo), 1, "1 is approached, never reached", label="lim+"),
            Step(sp.Limit(f, x, -sp.oo), -1, "-1 is approached, never reached", label="lim-"),
        ),
    )  # fmt: skip


@derivation("relu_differentiable_off_zero", ("E8", "S8"))
def relu_differentiable_off_zero() -> Derivation:
    n = sp.Symbol("x", negative=True)
    half = sp.Rational(1, 2)
    return Derivation(
        name="relu_differentiable_off_zero",
        title="E8: ReLU is differentiable for x < 0 (slope 0) and x > 0 (slope 1); not at 0",
        clauses=("E8", "S8"),
        assumptions=("x is real",),
        summary="The text says ReLU is not differentiable for x < 0; only x = 0 lacks a slope.",
        steps=(
            Step(sp.ConditionSet(x, sp.Eq(sp.Max(0, x), 0), sp.S.Reals),
                 sp.Interval(-sp.oo, 0), "max(0, x) is the constant 0 exactly on x <= 0",
                 label="zero-piece"),
            Step(sp.Derivative(sp.Max(0, n), n), 0, "so for every x < 0 the derivative is 0",
                 label="negative"),
            Step(sp.Limit(relu(-half + h) / h, h, 0, "+-"), 0,
                 "e.g. at x = -1/2 the two-sided difference quotient has the limit 0",
                 label="at-minus-half"),
            Step(sp.Limit((relu(half + h) - half) / h, h, 0, "+-"), 1,
                 "at x = 1/2 it has the limit 1", label="at-plus-half"),
            Step(sp.Limit(sp.Max(0, h) / h, h, 0, "-"), 0, "at 0 the left slope is 0",
                 label="left0"),
            Step(sp.Limit(sp.Max(0, h) / h, h, 0, "+"), 1,
                 "and the right slope is 1: x = 0 is the one point without a derivative",
                 label="right0"),
        ),
    )  # fmt: skip


def _tutorial_outputs():
    """Exact softmax outputs f, g, h of W3_3 (weighted sums -1, 1, -2) and the weights from c."""

    out_layer = TUTORIAL_LAYERS[2]
    us = [sp.simplify(u) for u in layer_sums(out_layer, (0, 1, 2))]  # W3_2's c, d, e
    return softmax_exact(us), [sp.Integer(w) for w in out_layer["W"][0]]


@derivation("output_gradients_f_g_h", ("E9", "W4_1", "S15"))
def output_gradients_f_g_h() -> Derivation:
    (yf, yg, yh), (w11, w21, w31) = _tutorial_outputs()
    df, dg, dh = yf - 1, yg, yh  # y - t with W4_1's teacher (1, 0, 0)
    dc = df * w11 + dg * w21 + dh * w31
    c = sp.Integer(0)  # W3_2: c = max(0, -1) = 0
    return Derivation(
        name="output_gradients_f_g_h",
        title="E9: the output neurons are f, g, h ('出力f, c, h' is a misprint); c is hidden",
        clauses=("E9", "W4_1", "S15"),
        assumptions=("W3_3's output layer over (c, d, e) = (0, 1, 2); W4_1's t = (1, 0, 0)",),
        summary="∂g, printed in W4_1, is g - t2 for the output g; the hidden c has another "
        "gradient, computed from ∂f, ∂g, ∂h.",
        steps=(
            Step(yf + yg + yh, 1, "the outputs f, g, h of the softmax layer sum to 1",
                 label="fgh-sum"),
            Step(yf + c + yh, 1, "f + c + h does not: c = 0 is not an output of this layer",
                 relation="<", label="fch-sum"),
            truncates_to(dg, "0.84379473448", "∂g = g - t2 is W4_1's printed answer", "dg"),
            Step(dc, -df + 2 * dg - 2 * dh, "∂c = ∂f·w11 + ∂g·w21 + ∂h·w31, w = (-1, 2, -2)",
                 label="dc"),
            rounds_to(dc, "2.48937413731", "the hidden c's gradient", "dc-value"),
        ),
    )  # fmt: skip


@derivation("regression_not_recursion", ("E10", "S9", "S13"))
def regression_not_recursion() -> Derivation:
    y = sp.Symbol("y", real=True)
    ts = sp.symbols("t_1:4", real=True)
    E = sum((y - t) ** 2 for t in ts) / 2
    return Derivation(
        name="regression_not_recursion",
        title="E10: identity output + squared error fits a number (regression, 回帰)",
        clauses=("E10", "S9", "S13"),
        assumptions=("one real output y fitted to teachers t_1, t_2, t_3 (ages, prices)",),
        summary="'再帰的な問題' (recursive) means 回帰問題 (regression): a real-valued answer "
        "fitted by squared error; the network computes it in one pass, nothing recurs.",
        steps=(
            Step(sp.Derivative(E, y), sum(y - t for t in ts), "the output error y - t of S15, "
                 "summed over the samples", label="gradient"),
            Step(sp.ConditionSet(y, sp.Eq(sp.diff(E, y), 0), sp.S.Reals),
                 sp.FiniteSet(sum(ts) / 3), "the best single answer is the mean of the targets",
                 label="mean"),
            Step(sp.Derivative(E, y, 2), 0, "a minimum: least squares, i.e. regression",
                 relation=">", label="minimum"),
            Step(sp.ConditionSet(y, sp.Eq(y - 30, 0), sp.S.Reals), sp.FiniteSet(30),
                 "D_mse: the gradient vanishes only when the age output is the teacher, 30",
                 label="D_mse"),
        ),
    )  # fmt: skip
