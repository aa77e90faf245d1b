"""Exact decisions for one step: equalities, inequalities, solution sets.

Equalities ``lhs = rhs`` (scalars or matrices, entry by entry) are proved
when ``lhs - rhs`` becomes exactly zero under one of a cascade of SymPy
rewrites, cheapest first: as built, ``cancel``, ``expand``, ``simplify``,
``trigsimp``, piecewise folding. Each runs only where it can apply
(``simplify`` is skipped for derivatives of undefined functions, where it
only costs time).

Inequalities are proved when SymPy's assumption system decides the sign of
``rhs - lhs``; for explicit constants that is evaluation with certified
precision, which SymPy declines when it cannot decide. A
:class:`sympy.ConditionSet` on the left is solved with ``solveset`` and its
solution set compared with the claimed one.

Nothing is accepted on a numeric spot check. When a step fails, the value
of the residual at a sample point is added to the message to help the
reader (a witness that the step is wrong, if the point is in its domain).
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

_SAMPLES = (sp.Rational(3, 7), sp.Rational(5, 11), sp.Rational(2, 13), sp.Rational(7, 5))


def _piecewise(e: sp.Expr) -> sp.Expr:
    return sp.simplify(sp.piecewise_fold(e.rewrite(sp.Piecewise)))


_TRIG = (sp.sin, sp.cos, sp.tan, sp.sinh, sp.cosh, sp.tanh)
_PIECES = (sp.Piecewise, sp.Max, sp.Min, sp.Heaviside, sp.Abs, sp.sign)

# (name, applies to e?, rewrite), cheapest first
_CASCADE: tuple[tuple[str, Callable[[sp.Expr], bool], Callable[[sp.Expr], sp.Expr]], ...] = (
    ("as built", lambda e: True, lambda e: e),
    ("cancel", lambda e: True, lambda e: sp.cancel(sp.together(e))),
    ("expand", lambda e: True, lambda e: sp.expand(e, power_exp=True, log=True, force=True)),
    ("factor_terms", lambda e: True, lambda e: sp.factor_terms(sp.expand(e))),
    ("exp form", lambda e: e.has(*_TRIG), lambda e: sp.cancel(sp.together(e.rewrite(sp.exp)))),
    ("simplify", lambda e: not e.has(sp.Subs), sp.simplify),
    ("trigsimp", lambda e: e.has(*_TRIG), lambda e: sp.trigsimp(sp.expand_trig(e))),
    ("piecewise", lambda e: e.has(*_PIECES), _piecewise),
)


def _is_zero(e: sp.Expr) -> tuple[str | None, sp.Expr]:
    """(name of the first rewrite that makes ``e`` exactly 0 or None, last rewrite of e)."""
    if e.is_zero is True:
        return "assumptions", sp.Integer(0)
    last = e
    for name, applies, rewrite in _CASCADE:
        if not applies(e):
            continue
        last = rewrite(e)
        if last == 0 or last.is_zero is True:
            return name, last
    return None, last


def _entries(obj) -> list:
    if isinstance(obj, sp.MatrixBase):
        return list(obj)
    return [obj]


def _doit(obj):
    obj = sp.sympify(obj)
    return obj.doit() if hasattr(obj, "doit") else obj


def _apply_given(obj, given):
    if not given:
        return obj
    return obj.subs(list(given))


def _witness(e: sp.Expr) -> str:
    """A numeric value of a residual at a sample point, or '' if none is finite."""
    if e.has(sp.Sum, sp.Indexed, sp.Derivative, sp.Subs):
        return ""
    syms = sorted(e.free_symbols, key=str)
    point = {s: _SAMPLES[i % len(_SAMPLES)] for i, s in enumerate(syms)}
    try:
        value = sp.N(e.subs(point), 15)
    except (TypeError, ValueError, ZeroDivisionError):
        return ""
    if not value.is_number or value.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or value == 0:
        return ""
    where = ", ".join(f"{s}={v}" for s, v in point.items()) or "(constant)"
    return f"; at {where} the residual is {value}"


def _short(e, limit: int = 160) -> str:
    text = sp.sstr(e)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def prove_equal(lhs, rhs) -> tuple[bool, str, str]:
    if isinstance(lhs, sp.ConditionSet):
        return _prove_set(lhs, rhs)
    if isinstance(lhs, sp.MatrixBase) != isinstance(rhs, sp.MatrixBase):
        return False, "shape", "one side is a matrix and the other is not"
    if isinstance(lhs, sp.MatrixBase) and lhs.shape != rhs.shape:
        return False, "shape", f"shapes differ: {lhs.shape} vs {rhs.shape}"
    methods = []
    for k, (a, b) in enumerate(zip(_entries(lhs), _entries(rhs), strict=True)):
        e = sp.sympify(a) - sp.sympify(b)
        method, residual = _is_zero(e)
        if method is None:
            where = f"entry {k}: " if isinstance(lhs, sp.MatrixBase) else ""
            return (
                False,
                "none",
                f"{where}lhs - rhs does not simplify to 0 (residual {_short(residual)})"
                + _witness(residual),
            )
        methods.append(method)
    order = [name for name, _, _ in _CASCADE]
    worst = max(methods, key=lambda m: order.index(m) if m in order else -1)
    return True, worst, ""


def _prove_set(cset: sp.ConditionSet, claimed) -> tuple[bool, str, str]:
    cond = cset.condition
    expr = cond.lhs - cond.rhs if isinstance(cond, sp.Eq) else cond
    solved = sp.solveset(expr, cset.sym, cset.base_set)
    if solved == claimed:
        return True, "solveset", ""
    return False, "solveset", f"solution set is {solved}, not {claimed}"


def prove_relation(lhs, rhs, relation: str) -> tuple[bool, str, str]:
    gap = sp.sympify(rhs) - sp.sympify(lhs)  # "<" / "<=": gap must be > 0 / >= 0
    if relation in (">", ">="):
        gap = -gap
    strict = relation in ("<", ">")
    for name, rewrite in (("assumptions", lambda e: e), ("factor", sp.factor)):
        g = rewrite(gap)
        decided = g.is_positive if strict else g.is_nonnegative
        if decided is True:
            return True, name, ""
        if decided is False:
            return False, name, f"the claim is false: rhs - lhs = {_short(g)}"
    return False, "none", f"sign of {_short(gap)} not decided"


def prove_step(step) -> tuple[bool, str, str]:
    """Decide one :class:`nnref.symbolic.core.Step`; return (proved, method, message)."""
    if isinstance(step.lhs, sp.ConditionSet):
        return _prove_set(_apply_given(step.lhs, step.given), step.rhs)
    lhs = _apply_given(_doit(step.lhs), step.given)
    rhs = _apply_given(_doit(step.rhs), step.given)
    try:
        if step.relation == "=":
            return prove_equal(lhs, rhs)
        return prove_relation(lhs, rhs, step.relation)
    except (TypeError, ValueError, NotImplementedError) as exc:  # SymPy could not decide
        return False, "error", f"{type(exc).__name__}: {exc}"
