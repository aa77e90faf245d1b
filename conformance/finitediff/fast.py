"""Fast mode: random directional derivatives at a measured noise and a chosen step.

Directions. ``u = s * z / |z|`` with ``s_i = max(1, |x_i|)`` and ``z_i = +-m_i``,
a random sign times a magnitude ``m_i`` uniform in ``[1, 2]``. For a vector ``f``
a weight ``w = v / |v|`` of the same kind (``v_k = +-[1, 2]``) turns it into the
scalar ``w . f``, whose gradient is the vector-Jacobian product ``w^T J``. The
check compares the analytic ``(w^T J) . u`` with Richardson differences of
``w . f`` along ``u``, at a step chosen for that direction from the noise
measured along it (``nnref.conformance.finitediff.lines``).

What a pass proves. Every entry's weight in a direction is at least
``1 / (|z| |v|)``: an error of ``d`` in one entry of the gradient (one entry
of the Jacobian) moves the analytic directional derivative by at least
``d / (|z| |v|)``. A direction whose analytic value ``a`` and numeric value
``R`` agree within ``tol`` therefore catches, for sure, any single wrong entry
off by more than ``(tol + |a - R|) |z| |v| / (1 - rtol)``. A passing check
reports the smallest of these over its directions (``detects``; ``|z|`` is
about ``1.53 sqrt(n)``). This is a statement about the directions drawn, not a
probability. The choice of step never looks at the analytic value, so the
statement holds for every gradient. It is not stated when a direction
crossed a kink.

Errors spread over many entries. With ``e = s * (w^T (J_analytic - J))``, each
``z_i`` has density at most ``1/2``, so ``e . z`` has density at most
``1 / (2 max_i |e_i|)``, and one direction misses ``e`` with probability

    P(|e . z| <= tol |z|) <= tol |z| / max_i |e_i| <= 2 sqrt(n) tol / max_i |e_i|

(``k`` directions: the ``k``-th power). Unlike Gaussian directions, no
direction gives any entry a weight near zero, and unlike signs alone (+-1) two
equal and opposite errors (two swapped entries) do not cancel.

Localization. When a direction fails (or passes only as a kink), the entries
are split in two halves and each half is tested along a fresh random
direction supported on it, at the failing direction's step; failing halves
are split again, down to blocks of ``LEAF`` entries that are checked entry by
entry (full mode on the block, at the measured noise).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from nnref.conformance.finitediff import lines, stencils
from nnref.conformance.finitediff.full import Context, Outcome, check_entries
from nnref.conformance.finitediff.lines import Noise, Rung
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
    step: float = 0.0
    detects: float = math.inf  # any single entry off by more than this fails this direction


def bounded(rng: np.random.Generator, size: int) -> np.ndarray:
    """``+-m`` with ``m`` uniform in ``[1, 2]``: no entry's weight is near zero."""
    z = rng.uniform(1.0, 2.0, size)
    z[rng.random(size) < 0.5] *= -1.0
    return z


class Line:
    """``phi(t) = w . f(x + t u)`` with ``u`` supported on ``theta[start:stop]``."""

    def __init__(self, ctx: Context, work: np.ndarray, span: slice, z: np.ndarray, w):
        self.ctx, self.work, self.span, self.w = ctx, work, span, w
        self.z_norm = float(np.linalg.norm(z))
        u = np.abs(ctx.theta[span])
        np.maximum(u, 1.0, out=u)
        u *= z
        u /= self.z_norm
        self.u = u

    def phi(self, t: float) -> tuple[float, float]:
        theta, work, span = self.ctx.theta, self.work, self.span
        np.multiply(self.u, t, out=work[span])
        work[span] += theta[span]
        try:
            values = self.ctx.ev(work, f"x {'+' if t > 0 else '-'} {abs(t):.3g}*u (a direction)")
        finally:
            work[span] = theta[span]
        return float(self.w @ values), float(np.abs(self.w) @ np.abs(values))

    def rung(self, L: float) -> Rung:
        (p1, F1), (m1, F2), (p2, F3), (m2, F4) = (self.phi(t) for t in (L, -L, 2 * L, -2 * L))
        return Rung(L, p1, m1, p2, m2, max(F1, F2, F3, F4))


@dataclass
class _Drawn:
    seed: int
    w: np.ndarray
    v_norm: float
    analytic: float
    rung0: Rung
    z_norm: float


def fast_check(ctx: Context, rng: np.random.Generator) -> tuple[Outcome, list[Entry], list[str]]:
    """Test ``options.directions`` random directions; localize the first failing one."""
    n, m = ctx.flat.n, ctx.ev.m
    out, entries, notes = Outcome(), [], []
    work = ctx.theta.copy()
    L0 = ctx.precision.base_step(ctx.options.method)
    gw_scalar = ctx.analytic.vjp(np.ones(1)) if m == 1 else None
    drawn = []
    for _ in range(ctx.options.directions):
        v = np.ones(1) if m == 1 else bounded(rng, m)
        w = v / np.linalg.norm(v)
        seed = int(rng.integers(2**62))
        gw = gw_scalar if gw_scalar is not None else ctx.analytic.vjp(w)
        line = Line(ctx, work, slice(0, n), bounded(np.random.default_rng(seed), n), w)
        a = float(gw @ line.u)
        drawn.append(_Drawn(seed, w, float(np.linalg.norm(v)), a, line.rung(L0), line.z_norm))
        del line
    noise = _pool(ctx, drawn)
    failing = None
    for k, d in enumerate(drawn):
        res = _decide(ctx, work, noise, d)
        note = f"step {res.step:.2g}" + (f"; {res.note}" if res.note else "")
        name = f"direction {k + 1}"
        entries.append(Entry(name, -1, -1, res.analytic, res.numeric, res.tol, res.status, note))
        out.checked += 1
        if res.status == "passed":
            out.max_abs_err = max(out.max_abs_err, entries[-1].abs_err)
            out.max_rel_err = max(out.max_rel_err, entries[-1].rel_err)
        elif res.status in ("failed", "non-finite") and (failing is None or failing[2]):
            failing = (d, res.step, False)
        elif failing is None:  # a kink: which entries are kinks, and is any of them wrong?
            failing = (d, res.step, True)
        out.detects = min(out.detects, res.detects)
    notes.append(
        f"noise of f measured along the directions: {noise.sigma:.2g} per value "
        f"(tolerance allows {lines.NOISE_K:g} standard deviations)"
    )
    if any(e.status == "kink" for e in entries):
        out.detects = math.inf  # a wrong entry might hide among the kinks
    if failing is not None:
        d, step, _ = failing
        gw = gw_scalar if gw_scalar is not None else ctx.analytic.vjp(d.w)
        _localize(ctx, rng, work, d.w, gw, noise, step, out, notes)
    return out, entries, notes


def _pool(ctx: Context, drawn: list[_Drawn]) -> Noise:
    """The noise pooled over the directions whose probes do not overflow (``lines.pooled``)."""
    samples = [d.rung0.noise_samples(float(d.w @ ctx.f0)) for d in drawn if d.rung0.finite]
    floor = ctx.precision.eps_f * max(d.rung0.F for d in drawn)
    p = ctx.precision
    return Noise(sigma=lines.pooled(samples, floor), atol=p.atol, rtol=p.rtol)


def _decide(ctx: Context, work: np.ndarray, noise: Noise, d: _Drawn) -> Direction:
    a, cur = d.analytic, d.rung0
    if not (math.isfinite(a) and cur.finite):
        what = "analytic" if not math.isfinite(a) else "f along the direction"
        return Direction(a, cur.R, 0.0, "non-finite", f"{what} is not finite", cur.L)
    r0 = d.rung0
    dp, dm, kinked = _one_sided(ctx, float(d.w @ ctx.f0), r0, noise)
    line = None
    while not kinked and lines.worth_climbing(noise, cur):  # a kink is judged at L0
        if line is None:
            z = bounded(np.random.default_rng(d.seed), ctx.flat.n)
            line = Line(ctx, work, slice(0, ctx.flat.n), z, d.w)
        longer = line.rung(cur.L * lines.RATIO)
        if not lines.agrees(noise, cur, longer):
            break
        cur = longer
    tol, err = noise.tol(cur, a), abs(a - cur.R)
    if noise.passes(cur, a):
        detects = math.inf
        if not kinked and noise.rtol < 1.0:
            detects = (tol + err) * d.z_norm * d.v_norm / (1.0 - noise.rtol)
        return Direction(a, cur.R, tol, "passed", "", cur.L, detects)
    lo, hi = min(dp, dm), max(dp, dm)
    if cur is r0 and kinked and lo - tol <= a <= hi + tol:
        return Direction(a, cur.R, tol, "kink", f"at a kink; one-sided {lo:.6g} .. {hi:.6g}", cur.L)
    return Direction(a, cur.R, tol, "failed", "", cur.L)


#: The standard deviation of the extrapolated one-sided gap is ``GAP_NOISE * sigma / L``.
GAP_NOISE = math.sqrt(17.5)


def _one_sided(ctx: Context, phi0: float, r: Rung, noise: Noise):
    """One-sided derivatives at ``L0`` and whether they straddle a kink: their gap must exceed
    the model tolerance and ``NOISE_K`` standard deviations of the measured noise."""
    dp, dm, gap = stencils.one_sided(phi0, r.p1, r.m1, r.p2, r.m2, r.L, r.F, ctx.tol_args())
    noisy = abs(dp - dm) <= lines.NOISE_K * GAP_NOISE * noise.sigma / r.L
    return dp, dm, bool(gap) and not noisy


def _block_fails(ctx, work, span, z, w, gw, noise: Noise, step: float) -> bool:
    line = Line(ctx, work, span, z, w)
    a = float(gw[span] @ line.u)
    rung = line.rung(step)
    if not (rung.finite and math.isfinite(a)):
        return True
    return not noise.passes(rung, a)


def _at_measured_noise(ctx: Context, noise: Noise, w: np.ndarray) -> Context:
    """``ctx`` for the entry-by-entry checks of localization, its ``eps_f`` raised to the
    noise measured along the directions (relative to ``|w| . |f|``) where that is larger."""
    F = float(np.abs(w) @ np.abs(ctx.f0))
    eps = noise.sigma / F if F > 0 else 0.0
    if eps <= ctx.precision.eps_f:
        return ctx
    return replace(ctx, precision=replace(ctx.precision, eps_f=min(eps, 1e-2)))


def _localize(ctx: Context, rng, work, w, gw, noise, step, out: Outcome, notes: list[str]) -> None:
    start_evals = ctx.ev.count
    leaf_ctx = _at_measured_noise(ctx, noise, w)
    stack = [(0, ctx.flat.n)]
    tests = 0
    stopped = ""
    while stack:
        lo, hi = stack.pop()
        if len(out.failures) + len(out.nonfinite) >= ctx.options.max_report:
            stopped = f"stopped after {ctx.options.max_report} failing entries (max_report)"
            break
        if ctx.ev.count - start_evals > LOCALIZE_BUDGET:
            stopped = f"stopped after {LOCALIZE_BUDGET} evaluations (budget)"
            break
        if hi - lo <= LEAF:
            out.merge(check_entries(leaf_ctx, np.arange(lo, hi)))
            continue
        mid = (lo + hi + 1) // 2
        flagged = []
        for a, b in ((lo, mid), (mid, hi)):
            tests += 1
            if _block_fails(ctx, work, slice(a, b), bounded(rng, b - a), w, gw, noise, step):
                flagged.append((a, b))
        if not flagged and hi - lo <= 64 * LEAF:
            flagged = [(i, min(i + LEAF, hi)) for i in range(lo, hi, LEAF)]
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


def measure_noise(ctx: Context, rng, exclude: list[int], count: int = 2) -> tuple[float, float]:
    """The noise of one value of ``f`` near ``x`` (its standard deviation), measured along
    ``count`` random directions that leave the entries ``exclude`` alone (a kink there would
    pass for noise), and the largest ``|f|`` seen. ``4 * count`` evaluations."""
    n, m = ctx.flat.n, ctx.ev.m
    work = ctx.theta.copy()
    L0 = ctx.precision.base_step(ctx.options.method)
    samples, F = [], float(np.max(np.abs(ctx.f0)))
    for _ in range(count):
        v = np.ones(1) if m == 1 else bounded(rng, m)
        w = v / np.linalg.norm(v)
        z = bounded(rng, n)
        if len(exclude) < n:
            z[exclude] = 0.0
        rung = Line(ctx, work, slice(0, n), z, w).rung(L0)
        if rung.finite:
            samples.append(rung.noise_samples(float(w @ ctx.f0)))
            F = max(F, rung.F)
    return lines.pooled(samples, 0.0), F
