"""Losses and the output error that starts backprop (SPEC S13, S14, S15; erratum E4)."""

from __future__ import annotations

import sympy as sp

from nnref.symbolic.core import Derivation, Step
from nnref.symbolic.registry import derivation

K = 3  # outputs shown; every size works alike
u = sp.symbols(f"u_1:{K + 1}", real=True)
t = sp.symbols(f"t_1:{K + 1}", real=True)


def squared_error(y, target):
    """S13: E = 1/2 sum_k (y_k - t_k)^2 (a halved sum, not a mean: E6)."""
    return sp.Rational(1, 2) * sum((yk - tk) ** 2 for yk, tk in zip(y, target, strict=True))


def cross_entropy(y, target):
    """S14: E = -sum_k t_k log y_k, natural log (E1)."""
    return -sum(tk * sp.log(yk) for yk, tk in zip(y, target, strict=True))


def softmax(us):
    """S10: y_k = e^(u_k) / sum_j e^(u_j)."""
    total = sum(sp.exp(v) for v in us)
    return [sp.exp(v) / total for v in us]


@derivation("identity_squared_error_delta", ("S13", "S15", "S9"))
def identity_squared_error_delta() -> Derivation:
    y = list(u)  # identity output: y = u
    E = squared_error(y, t)
    grad = sp.Matrix([sp.Derivative(E, v) for v in u])
    return Derivation(
        title="Identity output + squared error: delta = y - t",
        assumptions=("identity output, y_k = u_k",),
        steps=(
            Step(sp.Matrix([sp.Derivative(y[0], u[0])]), sp.Matrix([1]),
                 "the identity passes the gradient unchanged", label="identity"),
            Step(grad, sp.Matrix(y) - sp.Matrix(t), "dE/du_k = y_k - t_k", label="delta"),
        ),
    )  # fmt: skip


@derivation("softmax_cross_entropy_delta", ("S14", "S15", "E4"))
def softmax_cross_entropy_delta() -> Derivation:
    y = softmax(u)
    E = cross_entropy(y, t)
    Y = sp.symbols(f"y_1:{K + 1}", positive=True)
    onehot = ((t[-1], 1 - sum(t[:-1])),)  # sum t = 1
    display = {yk: Y[k] for k, yk in enumerate(y)}
    by_logit = sp.Matrix([sp.Derivative(E, v) for v in u])
    by_output = sp.Matrix([sp.Derivative(cross_entropy(Y, t), v) for v in Y])
    return Derivation(
        title="Softmax + cross-entropy: delta = y - t for the logits, -t/y for the outputs",
        assumptions=("t is one-hot, so sum_k t_k = 1", "natural logarithm (E1)"),
        notation=display,
        where=("y_k = e^{u_k} / sum_j e^{u_j}",),
        summary="E4: y - t is the gradient with respect to the logits u, not the outputs y.",
        steps=(
            Step(by_logit, sp.Matrix(y) * sum(t) - sp.Matrix(t),
                 "differentiate through the softmax (any t)", label="general"),
            Step(by_logit, sp.Matrix(y) - sp.Matrix(t), "with sum t = 1: dE/du_k = y_k - t_k",
                 given=onehot, label="delta"),
            Step(by_output, -sp.Matrix([tk / yk for tk, yk in zip(t, Y, strict=True)]),
                 "E4: with respect to the outputs, dE/dy_k = -t_k / y_k", label="by-output"),
        ),
    )  # fmt: skip
