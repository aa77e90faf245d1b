"""Gradient descent on a quadratic (SPEC S22); Adam's bias correction and update (S23)."""

from __future__ import annotations

import sympy as sp

from nnref.symbolic.core import Derivation, Step
from nnref.symbolic.registry import derivation


@derivation("sgd_step_quadratic", ("S22",))
def sgd_step_quadratic() -> Derivation:
    w, w0 = sp.symbols("w w^*", real=True)
    a = sp.Symbol("a", positive=True)  # curvature of the loss around its minimum w*
    eta = sp.Symbol("eta", real=True)
    E = a * (w - w0) ** 2 / 2
    step = w - eta * sp.diff(E, w)
    shrink = (1 - eta * a) ** 2
    return Derivation(
        title="SGD, w <- w - eta dE/dw, lowers a quadratic loss exactly when 0 < eta < 2/a",
        assumptions=("near its minimum w* the loss is E = a (w - w*)^2 / 2 with a > 0",
                     "thresholds are parameters like weights: the same step applies"),
        summary="Why eta is small (about 0.001 in the tutorial): too large a step overshoots.",
        steps=(
            Step(E.subs(w, step), shrink * E, "one step multiplies the loss by (1 - eta a)^2",
                 label="one-step"),
            Step(sp.ConditionSet(eta, shrink < 1, sp.S.Reals), sp.Interval.open(0, 2 / a),
                 "it decreases exactly when 0 < eta < 2/a", label="range"),
        ),
    )  # fmt: skip


@derivation("adam_bias_correction", ("S23",))
def adam_bias_correction() -> Derivation:
    b1, b2 = sp.symbols("beta_1 beta_2", positive=True)
    g = sp.Symbol("g", real=True)
    gn = sp.Symbol("g", real=True, nonzero=True)
    eps, alpha = sp.symbols("epsilon alpha", positive=True)
    t = sp.Symbol("t", integer=True, positive=True)
    m = (1 - b1**t) * g  # claimed closed form of the first moment after t steps
    v = (1 - b2**t) * g**2
    m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
    zero = sp.Integer(0)
    return Derivation(
        title="Adam: for a constant gradient g, m_t = (1 - beta1^t) g, so m_hat = g",
        assumptions=("the gradient is the same g at every step", "m_0 = v_0 = 0",
                     "0 < beta_1, beta_2 < 1 (0.9 and 0.999), so 1 - beta^t != 0"),
        summary="Without the correction the first steps would be shrunk by 1 - beta^t "
        "(m_1 = 0.1 g); with it the step size is alpha whatever the scale of g.",
        steps=(
            Step(b1 * zero + (1 - b1) * g, m.subs(t, 1), "t = 1: m_1 = (1 - beta_1) g",
                 label="m-base"),
            Step(b1 * m + (1 - b1) * g, m.subs(t, t + 1),
                 "t -> t + 1: the recursion keeps the closed form (induction)", label="m-step"),
            Step(b2 * zero + (1 - b2) * g**2, v.subs(t, 1), "t = 1: v_1 = (1 - beta_2) g^2",
                 label="v-base"),
            Step(b2 * v + (1 - b2) * g**2, v.subs(t, t + 1), "the same for v with g^2",
                 label="v-step"),
            Step(m_hat, g, "bias-corrected first moment: exactly g", label="m-hat"),
            Step(v_hat, g**2, "bias-corrected second moment: exactly g^2", label="v-hat"),
            Step(alpha * m_hat / (sp.sqrt(v_hat) + eps), alpha * g / (sp.Abs(g) + eps),
                 "the update w <- w - alpha m_hat / (sqrt(v_hat) + eps)", label="update"),
            Step(sp.Limit(alpha * gn / (sp.Abs(gn) + eps), eps, 0, "+"), alpha * sp.sign(gn),
                 "g != 0, eps -> 0: every step moves by alpha, whatever the scale of g",
                 label="scale-free"),
        ),
    )  # fmt: skip
