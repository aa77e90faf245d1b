"""Fast mode: random directional derivatives, then localization by bisection.

A direction is ``u = s * z / |z|`` with ``z`` standard normal over the entries
and ``s_i = max(1, |x_i|)`` (the same scaling as the per-entry steps). For a
vector ``f`` a random unit weight ``w`` over the outputs turns it into the
scalar ``w . f``, whose gradient is the vector-Jacobian product ``w^T J``.
The check compares the analytic ``(w^T J) . u`` with the central difference of
``w . f`` along ``u``: two evaluations of ``f`` per direction, whatever the
number of parameters (two more if it must look again, see ``stencils.confirm``).

Probability of passing a wrong gradient. Let ``e = s * (w^T (J_analytic - J))``
be the error, scaled like ``u``. A direction passes only if
``|e . z| / |z| <= tol``; ``z / |z|`` is uniform on the unit sphere of
``R^n``, whose coordinate ``c`` has density at most
``Gamma(n/2) / (sqrt(pi) Gamma((n-1)/2)) < sqrt((n-1) / (2 pi))``, so

    P(one direction misses e) = P(|c| <= tol / |e|) <= sqrt(2 (n-1) / pi) * tol / |e|

and ``k`` independent directions all miss with probability at most the
``k``-th power. For a single wrong entry among ``n = 100,000`` wrong by
``1e-2`` with ``tol = 1e-6``, one direction misses with probability below
``2.6e-2`` and three directions below ``1.7e-5``; an error of order one is
missed by three directions with probability below ``1.7e-11``. (``tests/gradcheck/test_fast.py``
measures the exact miss rate against this formula.)

Localization. When a direction fails, the entries are split in two halves and
each half is tested along a fresh random direction supported on it; failing
halves are split again, down to blocks of ``LEAF`` entries that are checked
entry by entry (full mode on the block). One wrong entry among ``n`` costs about
``4 log2(n / LEAF) + 2 LEAF`` evaluations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnref.conformance.finitediff import stencils
from nnref.conformance.finitediff.full import Context, Outcome, check_entries
from nnref.conformance.finitediff.result import Entry

#: Blocks this small are checked entry by entry.
LEAF = 8
#: At most this many evaluations of f are spent localizing.
LOCALIZE_BUDGET = 20_000


@dataclass
class Direction:
    """The outcome of one directional comparison."""

    analytic: float
    numeric: float
    tol: float
    status: str  # "passed" | "kink" | "failed" | "non-finite"
    note: str = ""


def test_direction(ctx: Context, idx: np.ndarray, z: np.ndarray, w: np.ndarray, gw) -> Direction:
    """Compare ``gw . u`` with the central difference of ``w . f`` along ``u`` (support ``idx``)."""
    theta = ctx.theta
    scale = np.maximum(1.0, np.abs(theta[idx]))
    u_part = scale * z / np.linalg.norm(z)
    L = ctx.precision.base_step(ctx.options.method)
    a = float(gw[idx] @ u_part)

    def phi(t: float) -> tuple[float, float]:
        x = theta.copy()
        x[idx] += t * u_part
        values = ctx.ev(x, f"x {'+' if t > 0 else '-'} {abs(t):.3g}*u (a random direction)")
        return float(w @ values), float(np.abs(w) @ np.abs(values))

    (p1, F1), (m1, F2) = phi(L), phi(-L)
    F0 = float(np.abs(w) @ np.abs(ctx.f0))
    if ctx.options.method == "richardson":
        (p2, _), (m2, _) = phi(2 * L), phi(-2 * L)
        numeric = float(stencils.richardson((p1 - m1) / (2 * L), (p2 - m2) / (4 * L)))
    else:
        numeric = (p1 - m1) / (2 * L)
    if not (np.isfinite(a) and np.isfinite(numeric)):
        what = "analytic" if not np.isfinite(a) else "f along the direction"
        return Direction(a, numeric, 0.0, "non-finite", f"{what} is not finite")
    tol = float(stencils.tolerance(a, numeric, max(F0, F1, F2), L, *ctx.tol_args()))
    if abs(a - numeric) <= tol:
        return Direction(a, numeric, tol, "passed")
    if ctx.options.method == "richardson":
        near, far, L1 = (p1, m1), (p2, m2), L
    else:
        (q1, _), (r1, _) = phi(L / 2), phi(-L / 2)
        near, far, L1 = (q1, r1), (p1, m1), L / 2
    w_f0 = float(w @ ctx.f0)
    conf = stencils.confirm(
        np.array(w_f0), *map(np.array, near), *map(np.array, far), L1, np.array(a), ctx.tol_args()
    )
    if conf.passed:
        return Direction(a, float(conf.numeric), float(conf.tol), "passed")
    if conf.kink and conf.in_range:
        note = f"at a kink; one-sided {float(conf.lower):.6g} .. {float(conf.upper):.6g}"
        return Direction(a, float(conf.numeric), float(conf.tol), "kink", note)
    return Direction(a, float(conf.numeric), float(conf.tol), "failed")


def fast_check(ctx: Context, rng: np.random.Generator) -> tuple[Outcome, list[Entry], list[str]]:
    """Test ``options.directions`` random directions; localize the first failing one."""
    n, m = ctx.flat.n, ctx.ev.m
    out, entries, notes = Outcome(), [], []
    everything = np.arange(n)
    failing_w = None
    for k in range(ctx.options.directions):
        w = np.ones(1) if m == 1 else _unit(rng.standard_normal(m))
        z = rng.standard_normal(n)
        gw = ctx.analytic.vjp(w)
        d = test_direction(ctx, everything, z, w, gw)
        entries.append(
            Entry(f"direction {k + 1}", -1, -1, d.analytic, d.numeric, d.tol, d.status, d.note)
        )
        out.checked += 1
        if d.status == "passed":
            e = entries[-1]
            out.max_abs_err = max(out.max_abs_err, e.abs_err)
            out.max_rel_err = max(out.max_rel_err, e.rel_err)
        if d.status in ("failed", "non-finite") and failing_w is None:
            failing_w = (w, gw)
    if failing_w is not None:
        _localize(ctx, rng, *failing_w, out, notes)
    return out, entries, notes


def _localize(ctx: Context, rng, w, gw, out: Outcome, notes: list[str]) -> None:
    start_evals = ctx.ev.count
    stack = [np.arange(ctx.flat.n)]
    tests = 0
    stopped = ""
    while stack:
        block = stack.pop()
        if len(out.failures) + len(out.nonfinite) >= ctx.options.max_report:
            stopped = f"stopped after {ctx.options.max_report} failing entries (max_report)"
            break
        if ctx.ev.count - start_evals > LOCALIZE_BUDGET:
            stopped = f"stopped after {LOCALIZE_BUDGET} evaluations (budget)"
            break
        if len(block) <= LEAF:
            out.merge(check_entries(ctx, block))
            continue
        halves = np.array_split(block, 2)
        flagged = []
        for half in halves:
            tests += 1
            d = test_direction(ctx, half, rng.standard_normal(len(half)), w, gw)
            if d.status in ("failed", "non-finite"):
                flagged.append(half)
        if not flagged and len(block) <= 64 * LEAF:
            flagged = [block[i : i + LEAF] for i in range(0, len(block), LEAF)]
        stack.extend(reversed(flagged))
    evals = ctx.ev.count - start_evals
    notes.append(
        f"localized by bisection: {tests} block tests, {evals} evaluations of f"
        + (f"; {stopped}: more entries may fail, run full mode to list them all" if stopped else "")
    )
    if not (out.failures or out.nonfinite or out.kinks):
        notes.append(
            "a direction disagrees but no single entry does: the error is spread over many "
            "entries, each below its tolerance"
        )


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)
