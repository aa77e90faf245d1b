"""A bank of functions with correct and with deliberately wrong derivatives.

``CORRECT`` must pass gradcheck with zero false failures and ``WRONG`` must fail
with zero misses, in full and in fast mode (``tests/gradcheck/test_bank.py``);
the benchmark reuses both. Each case's id starts with the SPEC clause it
exercises when there is one (S6 sigmoid', S7 tanh', S8 ReLU', S13/S14 losses,
S15 output error, S20 dense backward), else ``G`` (a generic function).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nnref.conformance.casebank import nets
from nnref.conformance.finitediff import vjp


@dataclass(frozen=True)
class Case:
    """One function, a point, and a derivative that is either right or wrong."""

    id: str
    f: Callable
    x: Any
    grad: Any
    correct: bool
    options: dict = field(default_factory=dict)


def _rng(k: int) -> np.random.Generator:
    return np.random.default_rng(1000 + k)


def _smooth() -> list[tuple[str, Callable, Callable, np.ndarray]]:
    """(name, f, gradient, x): smooth scalar functions of a vector."""
    r = _rng(1)
    A = r.standard_normal((5, 5))
    S = A + A.T
    a = r.standard_normal(5)
    x5 = r.standard_normal(5)
    return [
        ("sum-squares", lambda x: np.sum(x**2), lambda x: 2 * x, x5),
        ("sum-sin", lambda x: np.sum(np.sin(x)), np.cos, x5),
        ("sum-exp", lambda x: np.sum(np.exp(x)), np.exp, x5),
        (
            "logsumexp",
            lambda x: np.log(np.sum(np.exp(x))),
            lambda x: np.exp(x) / np.sum(np.exp(x)),
            x5,
        ),
        ("sum-cubes", lambda x: np.sum(x**3), lambda x: 3 * x**2, x5),
        ("product", lambda x: np.prod(x), lambda x: np.prod(x) / x, x5),
        ("quadratic-sym", lambda x: 0.5 * x @ S @ x, lambda x: S @ x, x5),
        ("quadratic-nonsym", lambda x: x @ A @ x, lambda x: (A + A.T) @ x, x5),
        (
            "rosenbrock",
            lambda x: np.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2),
            _rosenbrock_grad,
            x5,
        ),
        ("sum-tanh", lambda x: np.sum(np.tanh(x)), lambda x: 1 - np.tanh(x) ** 2, x5),
        ("norm", lambda x: np.linalg.norm(x), lambda x: x / np.linalg.norm(x), x5),
        ("log1p-squares", lambda x: np.sum(np.log1p(x**2)), lambda x: 2 * x / (1 + x**2), x5),
        ("dot-squared", lambda x: (a @ x) ** 2, lambda x: 2 * (a @ x) * a, x5),
        ("sin-of-square", lambda x: np.sum(np.sin(x**2)), lambda x: 2 * x * np.cos(x**2), x5),
        ("x-sin-x", lambda x: np.sum(x * np.sin(x)), lambda x: np.sin(x) + x * np.cos(x), x5),
        (
            "softmax-ce-logits",
            lambda x: -np.log(np.exp(x[2]) / np.sum(np.exp(x))),
            lambda x: np.exp(x) / np.sum(np.exp(x)) - np.eye(5)[2],
            x5,
        ),
    ]


def _rosenbrock_grad(x):
    g = np.zeros_like(x)
    g[:-1] = -400 * x[:-1] * (x[1:] - x[:-1] ** 2) - 2 * (1 - x[:-1])
    g[1:] += 200 * (x[1:] - x[:-1] ** 2)
    return g


def _magnitudes() -> list[Case]:
    """Huge and tiny function values and parameters: checked at their own scale."""
    r = _rng(2)
    x = r.standard_normal(6)
    big_x = 1e6 * (1 + r.random(6))
    tiny_x = 1e-6 * r.standard_normal(6)
    items = [
        ("huge-f", lambda v: 1e12 * np.sum(v**2), lambda v: 2e12 * v, x),
        ("tiny-f", lambda v: 1e-12 * np.sum(np.sin(v)), lambda v: 1e-12 * np.cos(v), x),
        ("huge-x", lambda v: np.sum(np.sqrt(v)), lambda v: 0.5 / np.sqrt(v), big_x),
        ("huge-x-cubic", lambda v: np.sum((v / 1e6) ** 3), lambda v: 3 * v**2 / 1e18, big_x),
        ("tiny-x", lambda v: np.sum(v**2), lambda v: 2 * v, tiny_x),
        ("offset-f", lambda v: 1e6 + np.sum(np.cos(v)), lambda v: -np.sin(v), x),
    ]
    out = []
    for name, f, g, point in items:
        out.append(Case(f"G-mag-{name}", f, point, g(point), True))
        out.append(Case(f"G-mag-{name}-factor2", f, point, 2 * g(point), False))
    return out


def _vector_cases() -> list[Case]:
    r = _rng(3)
    A = r.standard_normal((3, 4))
    B = r.standard_normal((4, 4))
    x = r.standard_normal(4)

    def softmax(v):
        e = np.exp(v - v.max())
        return e / e.sum()

    def softmax_jac(v):
        y = softmax(v)
        return np.diag(y) - np.outer(y, y)

    return [
        Case("G-vec-sin", np.sin, x, np.diag(np.cos(x)), True),
        Case("G-vec-linear", lambda v: A @ v, x, A, True),
        Case("S10-vec-softmax", softmax, x, softmax_jac(x), True),
        Case("G-vec-linear-vjp", lambda v: A @ v, x, vjp(lambda v, w: w @ A), True),
        Case("G-vec-square-jac", lambda v: B @ v, x, lambda v: B, True),
        Case("G-vec-linear-transposed", lambda v: B @ v, x, B.T, False),
        Case("G-vec-sin-row-sign", np.sin, x, np.diag(np.cos(x) * [1, 1, -1, 1]), False),
        Case("S10-vec-softmax-diag-only", softmax, x, np.diag(softmax(x)), False),
        Case("G-vec-vjp-wrong", lambda v: A @ v, x, vjp(lambda v, w: 2 * (w @ A)), False),
        Case("G-vec-linear-columns-off-by-one", lambda v: A @ v, x, np.roll(A, 1, axis=1), False),
        Case("S14-vec-ce-log10-E1", _ce_log10_f, np.array([0.2, 0.5, 0.3]), _ce_ln_grad, False),
    ]


def _ce_log10_f(y):
    """Cross-entropy with the natural log (S14, E1), as a function of the outputs y."""
    return float(-np.log(y[1]))


def _ce_ln_grad(y):
    """The derivative of the tutorial's printed log10 version (E1): wrong by 1/ln 10."""
    return np.array([0.0, -1.0 / (y[1] * np.log(10.0)), 0.0])


def _network_cases() -> list[Case]:
    """MLPs in the tutorial's convention u = xW - b, correct and with each bug."""
    out = []
    combos = [
        ("sigmoid", "identity", "squared_error", [3, 4, 2]),
        ("tanh", "softmax", "cross_entropy", [3, 5, 3]),
        ("relu", "sigmoid", "squared_error", [4, 6, 2]),
        ("identity", "softmax", "squared_error", [3, 4, 3]),
        ("tanh", "sigmoid", "cross_entropy", [3, 4, 4, 2]),
        ("sigmoid", "softmax", "cross_entropy", [2, 3, 3, 3]),
    ]
    for k, (hidden, output, loss, sizes) in enumerate(combos):
        rng = _rng(10 + k)
        p = nets.make_params(sizes, rng)
        xin = rng.standard_normal(sizes[0])
        t = np.eye(sizes[-1])[1]

        def f(q, xin=xin, t=t, h=hidden, o=output, lo=loss):
            return nets.loss(q, xin, t, h, o, lo)

        g = nets.gradients(p, xin, t, hidden, output, loss)
        clause = "S15" if output == "softmax" and loss == "cross_entropy" else "S20"
        out.append(Case(f"{clause}-net-{hidden}-{output}-{loss}", f, p, g, True))
    # Bugs, on square networks so every bug keeps the shapes.
    sq = [4, 4, 4, 4]
    for k, bug in enumerate(nets.BUGS):
        hidden = "tanh" if bug != "act_deriv" else ["sigmoid", "tanh"][k % 2]
        output, loss = "identity", "squared_error"
        if bug == "softmax_as_identity":
            output = "softmax"
        rng = _rng(30 + k)
        p = nets.make_params(sq, rng)
        xin, t = rng.standard_normal(4), np.eye(4)[0]

        def f(q, xin=xin, t=t, h=hidden, o=output, lo=loss):
            return nets.loss(q, xin, t, h, o, lo)

        g = nets.gradients(p, xin, t, hidden, output, loss, bug=bug)
        clause = {
            "bias_sign": "S20",
            "act_deriv": "S6",
            "half_loss": "S13",
            "deriv_no_square": "S7",
            "mean_loss": "E6",
        }.get(bug, "S20")
        out.append(Case(f"{clause}-net-bug-{bug}", f, p, g, False))
        good = nets.gradients(p, xin, t, hidden, output, loss)
        out.append(Case(f"{clause}-net-square{k}-{hidden}-{output}", f, p, good, True))
    # ReLU derivative wrong (1 everywhere), at a point with negative pre-activations.
    rng = _rng(50)
    p = nets.make_params([3, 6, 2], rng)
    xin, t = rng.standard_normal(3), np.array([0.3, -0.2])

    def f_relu(q):
        return nets.loss(q, xin, t, "relu", "identity", "squared_error")

    bad = nets.gradients(p, xin, t, "identity", "identity", "squared_error")
    out.append(Case("S8-net-relu-derivative-always-1", f_relu, p, bad, False))
    # The protocol's layers (list of dicts with "activation") in plain lists.
    layers = nets.as_layers(p, "tanh", "identity")

    def f_layers(ls):
        q = {}
        for l, layer in enumerate(ls, start=1):
            q[f"W{l}"], q[f"b{l}"] = np.array(layer["W"]), np.array(layer["b"])
        return nets.loss(q, xin, t, ls[0]["activation"], ls[-1]["activation"], "squared_error")

    g = nets.gradients(p, xin, t, "tanh", "identity", "squared_error")
    as_list = [{"W": g[f"W{l}"].tolist(), "b": g[f"b{l}"].tolist()} for l in (1, 2)]
    out.append(Case("S20-net-protocol-layers", f_layers, layers, as_list, True))
    flipped = [{"W": g["W1"].tolist(), "b": (-g["b1"]).tolist()}, as_list[1]]
    out.append(Case("S20-net-protocol-layers-bias-sign", f_layers, layers, flipped, False))
    return out


def _kink_cases() -> list[Case]:
    """ReLU networks evaluated exactly at kinks: correct gradients must not fail (S8)."""
    out = []
    for sizes in ([3, 4, 2], [3, 4, 3, 2]):
        p, f_zero, zero_x, t = zero_network(sizes)
        # ReLU'(0) = 1 (S8) and the libraries' 0; with two stacked layers of kinks
        # ReLU'(0) = 1 is not a derivative of f (see test_kinks.py), so only 0 is here.
        for c in (1.0, 0.0) if len(sizes) == 3 else (0.0,):
            g = nets.gradients(p, zero_x, t, "relu", "identity", "squared_error", relu_at_zero=c)
            out.append(
                Case(f"S8-kink-all-zero-{len(sizes) - 2}layer-relu0={c:g}", f_zero, p, g, True)
            )
    # One hidden unit exactly at u = 0 with dyadic numbers (exact in any summation order).
    W1 = np.array([[0.5, -0.25, 1.0], [0.75, 0.5, -0.5]])
    xin = np.array([1.0, 2.0])
    b1 = np.array([2.0, 0.75, -1.0])  # u = (0, 0, 1): two units at the kink
    p2 = {"W1": W1, "b1": b1, "W2": np.array([[1.0], [-2.0], [0.5]]), "b2": np.array([0.25])}
    t2 = np.array([1.5])

    def f_dyadic(q):
        return nets.loss(q, xin, t2, "relu", "identity", "squared_error")

    for c in (1.0, 0.0, 0.5):
        g = nets.gradients(p2, xin, t2, "relu", "identity", "squared_error", relu_at_zero=c)
        out.append(Case(f"S8-kink-dyadic-relu0={c:g}", f_dyadic, p2, g, True))
    bad = nets.gradients(p2, xin, t2, "relu", "identity", "squared_error", bug="bias_sign")
    out.append(Case("S20-kink-dyadic-bias-sign", f_dyadic, p2, bad, False))
    # Elementary kinks.
    v = np.array([0.0, 1.5, -2.0, 0.0])
    out += [
        Case("S8-kink-relu-sum", lambda x: np.sum(np.maximum(x, 0)), v, (v >= 0) * 1.0, True),
        Case("G-kink-abs-at-0", lambda x: np.sum(np.abs(x)), v, np.sign(v), True),
        Case("G-kink-max-tie", lambda x: np.max(x[:2] * [1, 0]) + x[3], v, [0.5, 0, 0, 1], True),
        Case(
            "S8-kink-relu-sum-wrong-away",
            lambda x: np.sum(np.maximum(x, 0)),
            v,
            [1.0, 0.0, 0.0, 1.0],
            False,
        ),
    ]
    return out


def zero_network(sizes):
    """A ReLU network with zero thresholds at input 0: every hidden unit sits at u = 0."""
    p = nets.make_params(sizes, _rng(60))
    for k in p:
        if k.startswith("b"):
            p[k] = np.zeros_like(p[k])
    zero_x, t = np.zeros(sizes[0]), np.linspace(0.5, -1.0, sizes[-1])

    def f_zero(q):
        return nets.loss(q, zero_x, t, "relu", "identity", "squared_error")

    return p, f_zero, zero_x, t


def _forms() -> list[Case]:
    """The accepted forms of x and grad: scalars, nested lists, callables, float32."""
    r = _rng(70)
    M = r.standard_normal((3, 3))

    def f_nested(x):
        return float(np.sum(np.asarray(x) ** 3))

    nested = M.tolist()
    return [
        Case("G-form-scalar", lambda x: x**3, 1.7, 3 * 1.7**2, True),
        Case("G-form-scalar-wrong", lambda x: x**3, 1.7, 2 * 1.7**2, False),
        Case("G-form-nested-lists", f_nested, nested, (3 * M**2).tolist(), True),
        Case("G-form-nested-transposed", f_nested, nested, (3 * M**2).T.tolist(), False),
        Case("G-form-callable", lambda x: np.sum(np.sin(x)), M, np.cos, True),
        Case("G-form-callable-wrong", lambda x: np.sum(np.sin(x)), M, np.sin, False),
        Case(
            "G-form-float32-x",
            lambda x: np.sum(x**2),
            M.astype(np.float32),
            2 * M.astype(np.float32).astype(np.float64),
            True,
        ),
        Case("G-form-float32-grad", lambda x: np.sum(x**2), M, (2 * M).astype(np.float32), True),
    ]


def _wrong_smooth() -> list[Case]:
    """Classic mistakes on the smooth functions."""
    cases = []
    for name, f, g, x in _smooth():
        cases.append(Case(f"G-{name}", f, x, g(x), True))
    fs = {name: (f, g, x) for name, f, g, x in _smooth()}
    mistakes = [
        ("sum-squares", "sign-flip", lambda g, x: -g(x)),
        ("sum-sin", "off-by-one", lambda g, x: np.roll(g(x), 1)),
        ("sum-exp", "factor2", lambda g, x: 2 * g(x)),
        ("x-sin-x", "missing-term", lambda g, x: np.sin(x)),
        ("sin-of-square", "missing-chain-factor", lambda g, x: np.cos(x**2)),
        ("quadratic-nonsym", "not-symmetrized", lambda g, x: _A_only(x)),
        ("rosenbrock", "stale-point", lambda g, x: g(x + 1e-3)),
        ("logsumexp", "relative-1e-4", lambda g, x: g(x) * (1 + 1e-4)),
        ("product", "one-entry-zero", lambda g, x: g(x) * [1, 1, 0, 1, 1]),
        ("norm", "squared-norm-gradient", lambda g, x: 2 * x),
        ("softmax-ce-logits", "wrong-class", lambda g, x: g(x) + np.eye(5)[2] - np.eye(5)[1]),
        ("sum-tanh", "nan-entry", lambda g, x: g(x) * [1, 1, np.nan, 1, 1]),
        ("log1p-squares", "inf-entry", lambda g, x: g(x) + np.array([0, np.inf, 0, 0, 0])),
        ("sum-cubes", "wrong-power-rule", lambda g, x: 2 * x**2),
        (
            "dot-squared",
            "missing-outer-derivative",
            lambda g, x: g(x) / np.sqrt(fs["dot-squared"][0](x)),
        ),
        ("sum-exp", "gradient-of-other-function", lambda g, x: np.exp(-x)),
    ]
    for name, what, make in mistakes:
        f, g, x = fs[name]
        cases.append(Case(f"G-{name}-{what}", f, x, np.asarray(make(g, x), float), False))
    return cases


def _A_only(x):
    A = _rng(1).standard_normal((5, 5))
    return A @ x  # forgets the A^T x half of the gradient of x^T A x


def _large() -> list[Case]:
    """10,000 entries; one wrong entry among them."""
    r = _rng(80)
    x = r.standard_normal(10_000)
    c = r.uniform(0.5, 2.0, 10_000)

    def f(v):
        return float((c * v * v * v).sum())

    g = 3 * c * x * x
    one = g.copy()
    one[7777] = -one[7777]
    small = g.copy()
    small[123] += 1e-3
    return [
        Case("G-large-10000", f, x, g, True),
        Case("G-large-one-sign-flip-of-10000", f, x, one, False),
        Case("G-large-one-entry-off-by-1e-3-of-10000", f, x, small, False),
    ]


def build() -> tuple[list[Case], list[Case]]:
    """``(CORRECT, WRONG)``."""
    cases = (
        _wrong_smooth()
        + _magnitudes()
        + _vector_cases()
        + _network_cases()
        + _kink_cases()
        + _forms()
        + _large()
    )
    ids = [c.id for c in cases]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    return [c for c in cases if c.correct], [c for c in cases if not c.correct]


CORRECT, WRONG = build()
