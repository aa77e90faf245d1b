"""The spec's central formulas, rendered, under their clauses on the specification page.

The spec (``conformance/spec/spec.md``) writes its formulas as text, for the terminal
(``nnref spec S6``); the page adds each key clause's formula as a display, written with
:mod:`nnref.symbolic.textbook` so that SymPy checks every relation shown at build time.
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from nnref_docs.errors import DocsBuildError


def _real(*names: str):
    return [sp.Symbol(n, real=True) for n in names]


@cache
def chains() -> dict[str, list]:
    from nnref.symbolic.textbook import Chain

    x1, x2, x3, w1, w2, w3, b = _real("x1", "x2", "x3", "w1", "w2", "w3", "b")
    u1, u2, u3, t1, t2 = _real("u1", "u2", "u3", "t1", "t2")
    y = [sp.exp(u) / (sp.exp(u1) + sp.exp(u2) + sp.exp(u3)) for u in (u1, u2, u3)]
    t3 = 1 - t1 - t2  # a teacher that sums to 1 (one-hot or not)
    ce = -(t1 * sp.log(y[0]) + t2 * sp.log(y[1]) + t3 * sp.log(y[2]))
    X, Y = sp.symbols("X Y", positive=True)
    none = ("", "")
    return {
        "S1": [Chain(("u", "=", "x1*w1 + x2*w2 + x3*w3 - b"), none,
                     {"u": x1 * w1 + x2 * w2 + x3 * w3 - b})],
        "S6": [Chain(("sigma(x)", "=", "1/(1 + exp(-x))"), none),
               Chain(("dsigma(x)", "=", "sigma(x)*(1 - sigma(x))"), none)],
        "S7": [Chain(("D(tanh(x), x)", "=", "1 - tanh(x)**2"), none)],
        "S8": [Chain(("relu(x)", "=", "max(0, x)"), none)],
        "S10": [Chain(("y1", "=", "exp(u1)/(exp(u1) + exp(u2) + exp(u3))"), none, {"y1": y[0]})],
        "S13": [Chain(("E", "=", "1/2*((y1 - t1)**2 + (y2 - t2)**2)"), none,
                      {"E": sp.Rational(1, 2) * sum((a - c) ** 2 for a, c in
                                                     zip(_real("y1", "y2"), (t1, t2)))})],
        "S14": [Chain(("E", "=", "-(t1*ln(y1) + t2*ln(y2) + t3*ln(y3))"), none,
                      {"E": ce, "y1": y[0], "y2": y[1], "y3": y[2], "t3": t3})],
        "S15": [Chain(("P(E, u1)", "=", "y1 - t1"), none,
                      {"E": ce, "y1": y[0], "u1": u1})],
        "S21": [Chain(("1/4 - sigma(x)*(1 - sigma(x))", "=", "(sigma(x) - 1/2)**2"), none)],
        "S25": [Chain(("z", "=", "sqrt(-2*ln(X))*cos(2*pi*Y)"), none,
                      {"z": sp.sqrt(-2 * sp.log(X)) * sp.cos(2 * sp.pi * Y), "X": X, "Y": Y,
                       "pi": sp.pi})],
    }  # fmt: skip


def display(clause: str) -> str:
    """The clause's formulas as display math, or '' when it has none; fails on a false one."""
    from nnref.symbolic.textbook import verify

    found = chains().get(clause)
    if not found:
        return ""
    out = []
    for chain in found:
        problems = verify(chain)
        if problems:
            raise DocsBuildError(f"spec formula of {clause} does not verify: {problems[0]}")
        out.append(f"\\[ {chain.tex()} \\]")
    return "\n\n".join(out)
