"""Errata of the tutorial, each shown by an exact computation (SPEC E1, E3, E6).

E2 is shown by ``init_variance`` (initialization), E4 by
``softmax_cross_entropy_delta`` (losses), E5 by ``sigmoid_derivative``
(activations).
"""

from __future__ import annotations

import sympy as sp

from symbolic.backprop import L, grad_sym, partial
from symbolic.core import Derivation, Step
from symbolic.registry import derivation


def rounds_to(expr, printed: str, note: str, label: str) -> Step:
    """Step: ``expr`` is within half a unit of the last printed digit of ``printed``.

    Decided by SymPy's certified evaluation of the constant ``expr``.
    """
    digits = len(printed.split(".")[1]) if "." in printed else 0
    half_ulp = sp.Rational(1, 2 * 10**digits)
    return Step(sp.Abs(expr - sp.Rational(printed)), half_ulp, note, relation="<", label=label)


def truncates_to(expr, printed: str, note: str, label: str) -> Step:
    """Step: ``printed`` is ``expr`` (positive) cut after its last printed digit.

    floor(expr * 10^d) is an integer SymPy decides by certified evaluation.
    """
    digits = len(printed.split(".")[1])
    scaled = sp.Rational(printed) * 10**digits
    return Step(sp.floor(expr * 10**digits, evaluate=False), scaled, note, label=label)


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
        summary="With K = 2 outputs the halved sum happens to equal the mean of the squares, so "
        "D_mse alone cannot tell them apart; the text's formula (1/2 sum) is what nnref uses.",
        steps=(
            Step(sp.Rational(1, 2) * squares, 1252, "the halved sum: (4 + 2500) / 2",
                 label="halved-sum"),
            Step(sp.ConditionSet(K, sp.Eq(S / K, S / 2), sp.S.Naturals), sp.FiniteSet(2),
                 "the mean S/K equals the halved sum S/2 only for K = 2 outputs", label="only-K2"),
            Step(sp.Rational(1, 2) * squares / 2, 626, "a halved mean would give 626",
                 label="halved-mean"),
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
