"""Fast mode: random directional derivatives at a measured noise and a chosen step.

Directions. ``u = s * z / |z|`` with ``s_i = max(1, |x_i|)`` and ``z_i = +-m_i``,
a random sign times a magnitude ``m_i`` uniform in ``[1, 2]``. For a vector ``f``
a weight ``w = v / |v|`` of the same kind (``v_k = +-[1, 2]``) turns it into the
scalar ``w . f``, whose gradient is the vector-Jacobian product ``w^T J``. The
check compares the analytic ``(w^T J) . u`` with Richardson differences of
``w . f`` along ``u``, at a step chosen for that direction from the noise
measured along it (``nnref.conformance.finitediff.lines``).

Orthogonal directions (scalar ``f``). The first direction is plain: it catches a gradient
off by a common factor, within ``rtol |analytic|``. Each later one (by default there are
two directions: one plain, one orthogonal) is made orthogonal to
the gradient under test, ``z' = z - c h`` with ``h = s * g`` and ``c = (z . h) / |h|^2``
(``_orthogonal``), so its analytic value is 0 up to rounding and its tolerance is the
measured noise (and ``atol``), not ``rtol |analytic|``, which at ``n = 10^7`` exceeds the
share of an entry off by ``1e-3 max |g|``. Each weight stays within ``|c| max |h_i| <= 1/2``
of ``z_i`` (otherwise, as for a tiny ``n``, the direction stays plain); the tolerance
allows ``ROUND_K`` ulps of rounding per entry of the analytic value (``rounding``).

What a pass proves. Every entry's weight in a direction is at least
``q / (|z| |v|)`` (``q = 1`` for a plain direction, ``1 - |c| max |h_i| >= 1/2`` for an
orthogonal one): an error of ``d`` in one entry of the gradient (one entry
of the Jacobian) moves the analytic directional derivative by at least
``q d / (|z| |v|)``. A direction whose analytic value ``a`` and numeric value
``R`` agree within ``tol`` therefore catches, for sure, any single wrong entry
off by more than ``(tol + |a - R|) |z| |v| / (q (1 - rtol))``. A passing check
reports the smallest of these over its directions (``detects``; ``|z|`` is
about ``1.53 sqrt(n)``). This is a statement about the directions drawn, not a
probability. The choice of step never looks at the analytic value (an orthogonal
direction depends on the gradient only through its projection and its rounding allowance,
``sum |h_i|``), so a rerun with a gradient off by more than that in one entry draws nearly
the same directions at the same steps and fails. It is not stated when a direction crossed a kink.

Errors spread over many entries. With ``e = s * (w^T (J_analytic - J))``, each
``z_i`` has density at most ``1/2``, so ``e . z`` has density at most
``1 / (2 max_i |e_i|)``, and one direction misses ``e`` with probability

    P(|e . z| <= tol |z|) <= tol |z| / max_i |e_i| <= 2 sqrt(n) tol / max_i |e_i|

(``k`` directions: the ``k``-th power; an orthogonal direction sees ``e`` less its
part along ``h``, a common factor, which the plain first direction sees). Unlike
Gaussian directions, no direction gives any entry a weight near zero, and unlike signs
alone (+-1) two equal and opposite errors (two swapped entries) do not cancel.

Cost. A scalar ``f`` costs one backward pass (its gradient, ``w = [1]``, reused by
every direction), ``f(x)``, and one rung (``phi`` at ``+-L``, ``+-2L``) per direction.
The orthogonal directions go first. The first of them starts at a step predicted
without a probe (``_predicted``): its tolerance is the noise term, so where the rounding
floor ``eps_f |f(x)|`` makes that term at ``L0 = eps^(1/3)`` the largest, at the step that
makes it ``JUMP_MARGIN`` times smaller (at most ``lines.MAX_STEP``), with one more rung
where that rung bends (at the step where its bend balances the noise term). The other
directions, the plain one last, start at its step; a direction whose rung is not clean
there (not finite, a kink, a fourth difference beyond the noise, ``_judge_long``) is
probed again from ``L0`` and chooses its own step (``_choose_step``, one jump). Where the
noise does not dominate at ``L0`` (small ``n``), the first direction starts at ``L0`` and
chooses from the noise measured there. A passing check: ``1 + 4 * directions``
evaluations (9 with the default 2 directions), ``5 + 4 * directions`` where the first
orthogonal direction bends or the step is chosen from ``L0``. The probe points are
written over one work vector (no copy per evaluation), every direction's ``z`` is drawn
into one buffer (fresh memory costs page faults at ``10^7``), float64 CPU tensors reach
``f`` and torch's backward without a copy, and an orthogonal direction costs two passes
over ``x`` more (``_orthogonal``, ``_project``), no evaluation.

Localization. When a direction fails, the entries are split in two halves along
the failing direction itself (``_localize_along``): the left half is tested along
``u`` restricted to it, and the right half's disagreement follows by difference
(derivatives add up), tested only when in doubt; about one block test per level,
``4 log2(n)`` evaluations, ``O(n log n)`` work. A scalar ``f`` goes down to single
entries, each named from its own test; a vector ``f`` to blocks of ``LEAF`` entries
checked entry by entry (full mode on the block, at the measured noise). When a
direction passes only as a kink or is not finite, each half is tested along a
fresh random direction supported on it (``_localize``), down to ``LEAF`` blocks.

Verdict. A direction's disagreement is a screen, not a verdict: it counts only when the
bisection along it then names an entry outside its own tolerance (the tolerance of that entry
alone, as in full mode). A gradient whose every entry is within tolerance can still move a
direction by more than ``rtol |analytic|`` (errors of ``3e-7`` relative per entry, with random
signs, add up to about ``3e-7 |g|`` while ``g . u`` may be much smaller); when the bisection
names no entry, the direction passes with the note "error spread over many entries, each
within tolerance", at about ``4 log2(n)`` evaluations more (more where many blocks are near
their tolerance). Every failing direction is bisected in turn until one names an entry; one
whose bisection ran out of budget stays failed. A passing check states no ``detects`` for such
a direction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from nnref.conformance.finitediff import lines, stencils
from nnref.conformance.finitediff.full import Context, Outcome, check_entries
from nnref.conformance.finitediff.lines import Noise, Rung
from nnref.conformance.finitediff.result import Entry

#: Long vectors are drawn and scaled in chunks this long (no temporary as long as ``x``).
CHUNK = 1 << 16
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


def bounded(rng: np.random.Generator, size: int, out: np.ndarray | None = None) -> np.ndarray:
    """``+-m`` with ``m`` uniform in ``[1, 2]``: no entry's weight is near zero. One draw
    ``v`` uniform in ``[-1, 1)`` gives both: ``z = v + sign(v)`` (in chunks: no temporary
    array as long as ``z``)."""
    z = rng.random(size, out=out)  # ``out``: memory already touched, no new page faults
    sign = np.empty(min(size, CHUNK))
    for i in range(0, size, CHUNK):
        part = z[i : i + CHUNK]
        part *= 2.0
        part -= 1.0
        s = sign[: part.size]
        np.copysign(1.0, part, out=s)  # into a buffer: a new temporary per chunk is slower
        part += s
    return z


def _buffer(size: int) -> np.ndarray:
    """Scratch space for one chunk (one allocation per pass, not one per chunk)."""
    return np.empty(min(size, CHUNK))


def _scale(theta_part: np.ndarray, buf: np.ndarray) -> np.ndarray:
    """``max(1, |x|)`` of a chunk, in ``buf``."""
    s = buf[: theta_part.size]
    np.abs(theta_part, out=s)
    np.maximum(s, 1.0, out=s)
    return s


class Line:
    """``phi(t) = w . f(x + t u)`` with ``u`` supported on ``theta[span]``.

    ``u = s * z / |z|`` (``s = max(1, |x|)``), or a given ``u`` (a restriction of another
    line's). Along the whole vector the probe point is written over ``work`` (two passes,
    no copy); along a part of it, ``work`` is put back after each evaluation."""

    def __init__(self, ctx: Context, work: np.ndarray, span: slice, z=None, w=None, u=None):
        self.ctx, self.work, self.span, self.w = ctx, work, span, w
        self.whole = span.start in (0, None) and span.stop in (None, ctx.flat.n)
        if u is None:  # u = max(1, |x|) * z / |z|, built in z's memory
            self.z_norm = float(np.linalg.norm(z))
            theta, buf = ctx.theta[span], _buffer(z.size)
            for i in range(0, z.size, CHUNK):
                s = _scale(theta[i : i + CHUNK], buf)
                s /= self.z_norm
                z[i : i + CHUNK] *= s
            u = z
        self.u = u

    def phi(self, t: float) -> tuple[float, float]:
        theta, work, span = self.ctx.theta, self.work, self.span
        np.multiply(self.u, t, out=work[span])
        work[span] += theta[span]
        try:
            values = self.ctx.ev(work, f"x {'+' if t > 0 else '-'} {abs(t):.3g}*u (a direction)")
        finally:
            if not self.whole:
                work[span] = theta[span]
        return float(self.w @ values), float(np.abs(self.w) @ np.abs(values))

    def rung(self, L: float) -> Rung:
        (p1, F1), (m1, F2), (p2, F3), (m2, F4) = (self.phi(t) for t in (L, -L, 2 * L, -2 * L))
        return Rung(L, p1, m1, p2, m2, max(F1, F2, F3, F4))


@dataclass
class _Drawn:
    """A direction and the rungs evaluated along it."""

    seed: int
    w: np.ndarray
    v_norm: float
    analytic: float
    z_norm: float
    best: Rung | None  # the rung the verdict is taken at
    r0: Rung | None = None  # the rung at the base step L0, where noise and kinks are judged
    escalated: bool = False
    c: float = 0.0  # z' = z - c h (h = max(1, |x|) g): orthogonal to g; 0 for a plain direction
    weight: float = 1.0  # every |z'_i| is at least this
    rounding: float = 0.0  # the analytic value's rounding allowance (added to atol)
    zbuf: np.ndarray | None = None  # the memory every direction's z is drawn into, in turn

    def phi0(self, ctx: Context) -> float:
        return float(self.w @ ctx.f0)


def _gradient(ctx: Context) -> np.ndarray:
    """``w = [1]``: the gradient, computed once (the Jacobian row when already built)."""
    matrix = getattr(ctx.analytic, "_matrix", None)
    return matrix[0] if matrix is not None else ctx.analytic.vjp(np.ones(1))


def fast_check(ctx: Context, rng: np.random.Generator) -> tuple[Outcome, list[Entry], list[str]]:
    """Test ``options.directions`` random directions; bisect along the failing ones.

    The directions orthogonal to the gradient are measured first: the first of them at a
    step predicted from the rounding floor (``_predicted``), or from ``L0`` where the noise
    does not dominate there; the others, the plain one last, start at the step it chose. A
    direction that started long and does not pass cleanly there (a kink, a fourth
    difference beyond the noise, a value that is not finite) is looked at again from ``L0``
    before any verdict (``_escalate``). A failing direction counts only when the bisection
    along it names an entry outside its own tolerance (module docstring, Verdict)."""
    n, m = ctx.flat.n, ctx.ev.m
    out, entries, notes = Outcome(), [], []
    work = ctx.theta.copy()
    L0 = ctx.precision.base_step(ctx.options.method)
    gw_scalar = _gradient(ctx) if m == 1 else None
    plans = []
    for k in range(ctx.options.directions):
        v = np.ones(1) if m == 1 else bounded(rng, m)
        plans.append((k, v, int(rng.integers(2**62))))
    # The directions orthogonal to the gradient go first: the step they choose does not
    # depend on the analytic value, and the plain direction then starts at it.
    order = plans[1:] + plans[:1] if m == 1 and ORTHOGONAL else plans
    by_k: dict[int, _Drawn] = {}
    zbuf = np.empty(n)  # one buffer for every direction: fresh memory costs page faults
    step, chosen = L0, False
    for k, v, seed in order:
        w = v / np.linalg.norm(v)
        gw = gw_scalar if gw_scalar is not None else ctx.analytic.vjp(w)
        z = bounded(np.random.default_rng(seed), n, zbuf)
        plain = k == 0 or m > 1 or not ORTHOGONAL
        c, weight, h_abs = (0.0, 1.0, 0.0) if plain else _orthogonal(ctx, z, gw)
        if c:
            _project(ctx, z, gw, c)
        line = Line(ctx, work, slice(0, n), z, w)
        a = float(gw @ line.u)
        d = _Drawn(seed, w, float(np.linalg.norm(v)), a, line.z_norm, None)
        d.c, d.weight, d.zbuf = c, weight, zbuf
        if c:
            d.rounding = ROUND_K * ctx.precision.eps_f * (2.0 + weight) * h_abs / line.z_norm
        if chosen:
            d.best = line.rung(step)
            d.r0 = d.best if step == L0 else None
        elif c:  # the first orthogonal direction: a step predicted from the rounding floor
            _predicted(ctx, line, d, gw_scalar)
            step = d.best.L  # kept at L0 (noisy f, a bend): the next direction chooses too
            chosen = d.r0 is None or (d.best is not d.r0 and _clean(ctx, d, _own_noise(ctx, d)))
        else:  # a plain direction chooses from L0
            d.r0 = d.best = line.rung(L0)
            d.best = _choose_step(ctx, line, d, _own_noise(ctx, d))
            step, chosen = d.best.L, _clean(ctx, d, _own_noise(ctx, d))
        by_k[k] = d
        del line
    drawn = [by_k[k] for k in range(len(plans))]
    noise = _pool(ctx, drawn)
    results: list[Direction | None] = [None] * len(drawn)
    while True:
        for i, d in enumerate(drawn):
            own = _with_rounding(noise, d)
            results[i] = _judge(ctx, own, d) if d.r0 is not None else _judge_long(ctx, own, d)
        pending = [d for d, r in zip(drawn, results, strict=True) if r is None]
        if not pending:
            break
        for d in pending:
            _escalate(ctx, work, d, noise, gw_scalar)
        noise = _pool(ctx, drawn)
    failed, other = [], None
    for k, (d, res) in enumerate(zip(drawn, results, strict=True)):
        note = f"step {res.step:.2g}" + (f"; {res.note}" if res.note else "")
        name = f"direction {k + 1}"
        entries.append(Entry(name, -1, -1, res.analytic, res.numeric, res.tol, res.status, note))
        out.checked += 1
        if res.status == "passed":
            out.max_abs_err = max(out.max_abs_err, entries[-1].abs_err)
            out.max_rel_err = max(out.max_rel_err, entries[-1].rel_err)
        elif res.status == "failed":
            failed.append(k)
        elif res.status == "non-finite" and (other is None or other[2]):
            other = (d, res, False)
        elif other is None:  # a kink: which entries are kinks, and is any of them wrong?
            other = (d, res, True)
        out.detects = min(out.detects, res.detects)
    notes.append(
        f"noise of f measured along the directions: {noise.sigma:.2g} per value "
        f"(tolerance allows {lines.NOISE_K:g} standard deviations)"
    )
    if any(e.status == "kink" for e in entries):
        out.detects = math.inf  # a wrong entry might hide among the kinks
    gws = {}
    spread = 0
    for k in failed:  # a direction's failure counts only when an entry outside its own
        d, res = drawn[k], results[k]  # tolerance is named along it (goal: no false alarm)
        gw = gws.setdefault(k, gw_scalar if gw_scalar is not None else ctx.analytic.vjp(d.w))
        work[:] = ctx.theta  # the block lines below move parts of it only
        before = len(out.failures) + len(out.nonfinite) + len(out.kinks)
        stopped = _localize_along(ctx, work, d, gw, _with_rounding(noise, d), res, out, notes)
        if len(out.failures) + len(out.nonfinite) + len(out.kinks) > before:
            break
        if stopped:
            continue  # the budget ran out: the direction stays failed (unexplained)
        spread += 1
        entries[k].status = "passed"
        entries[k].note += "; " + SPREAD_NOTE
    else:
        if other is not None:
            d, res, _ = other
            gw = gw_scalar if gw_scalar is not None else ctx.analytic.vjp(d.w)
            work[:] = ctx.theta
            _localize(ctx, rng, work, d.w, gw, noise, res.step, out, notes)
    if spread:
        notes.append(
            f"{spread} direction{'s' if spread > 1 else ''} disagreed by more than the "
            f"tolerance, but bisection along {'them' if spread > 1 else 'it'} named no entry "
            "outside its own tolerance: a direction's error is spread over many entries, "
            "each within tolerance (passed, as full mode would)"
        )
    return out, entries, notes


#: Directions after the first are made orthogonal to the gradient (scalar ``f``).
ORTHOGONAL = True
#: The analytic value of an orthogonal direction is allowed this many ulps per entry of rounding.
ROUND_K = 64.0


def _orthogonal(ctx: Context, z: np.ndarray, g: np.ndarray) -> tuple[float, float, float]:
    """``c`` such that ``z' = z - c h`` is orthogonal to ``h = max(1, |x|) g`` (so the analytic
    ``g . u'`` is 0 up to rounding), the least ``|z'_i|``, and ``sum |h_i|``. ``c = 0`` (a plain
    direction) when the projection would take some ``|z'_i|`` below ``1/2`` (small ``n``)."""
    theta, zh, hh, h_abs, h_max = ctx.theta, 0.0, 0.0, 0.0, 0.0
    buf = _buffer(z.size)
    for i in range(0, z.size, CHUNK):
        h = _scale(theta[i : i + CHUNK], buf)
        h *= g[i : i + CHUNK]
        zh += float(z[i : i + CHUNK] @ h)
        hh += float(h @ h)
        np.abs(h, out=h)
        h_abs += float(h.sum())
        h_max = max(h_max, float(h.max(initial=0.0)))
    if not (math.isfinite(zh) and math.isfinite(hh)) or hh == 0.0:
        return 0.0, 1.0, 0.0
    c = zh / hh
    if abs(c) * h_max > 0.5:
        return 0.0, 1.0, 0.0
    return c, 1.0 - abs(c) * h_max, h_abs


def _project(ctx: Context, z: np.ndarray, g: np.ndarray, c: float) -> None:
    """``z -= c max(1, |x|) g`` in place, in chunks."""
    theta, buf = ctx.theta, _buffer(z.size)
    for i in range(0, z.size, CHUNK):
        h = _scale(theta[i : i + CHUNK], buf)
        h *= g[i : i + CHUNK]
        h *= c
        z[i : i + CHUNK] -= h


def _z(ctx: Context, d: _Drawn, g) -> np.ndarray:
    """The ``z`` of direction ``d`` again (from its seed, projected as it was)."""
    z = bounded(np.random.default_rng(d.seed), ctx.flat.n, d.zbuf)
    if d.c:
        _project(ctx, z, g, d.c)
    return z


def _with_rounding(noise: Noise, d: _Drawn) -> Noise:
    """The noise and tolerances of direction ``d``: its analytic rounding allowance in atol."""
    return replace(noise, atol=noise.atol + d.rounding) if d.rounding else noise


def _clean(ctx: Context, d: _Drawn, noise: Noise) -> bool:
    """Finite, and no kink at ``L0``: a direction that can choose a step."""
    r0 = d.r0
    return (
        r0.finite and math.isfinite(d.analytic) and not _one_sided(ctx, d.phi0(ctx), r0, noise)[2]
    )


def _own_noise(ctx: Context, d: _Drawn) -> Noise:
    """The noise measured along the first direction alone (to choose its step)."""
    p = ctx.precision
    samples = [d.r0.noise_samples(d.phi0(ctx))] if d.r0.finite else []
    sigma = lines.pooled(samples, p.eps_f * d.r0.F)
    return Noise(sigma=sigma, atol=p.atol, rtol=p.rtol)


#: The step chosen makes the noise term this many times smaller than the rest of the tolerance.
JUMP_MARGIN = 16.0


def _predicted(ctx: Context, line: Line, d: _Drawn, g) -> None:
    """The first orthogonal direction's rung, at a step predicted without a probe at ``L0``.

    Its analytic value is 0 up to rounding, so its tolerance is the noise term, ``atol`` and
    its rounding allowance: where the rounding floor of ``phi``, ``sigma = eps_f |w| . |f(x)|``,
    makes the noise term at ``L0`` larger than ``atol`` and the allowance, it starts at the
    step that makes the noise term ``JUMP_MARGIN`` times smaller, up to ``lines.MAX_STEP``. Where
    that rung bends beyond the rest of its tolerance, one more rung is taken at the step where
    its bend (``trunc / L^2``) would balance the noise term. A rung that is not clean there
    (not finite, a kink, noise samples beyond the floor) is probed again from ``L0``
    (``_escalate``). No choice looks at the analytic value."""
    p = ctx.precision
    L0 = p.base_step(ctx.options.method)
    floor = p.eps_f * float(np.abs(d.w) @ np.abs(ctx.f0))
    noise = Noise(sigma=floor, atol=p.atol + d.rounding, rtol=p.rtol)
    term, scale = noise.noise_term(L0), noise.atol
    L = L0
    if term > scale:
        L = lines.MAX_STEP if scale == 0 else min(lines.MAX_STEP, L0 * JUMP_MARGIN * term / scale)
    if L <= 2 * L0:
        d.r0 = d.best = line.rung(L0)
        d.best = _choose_step(ctx, line, d, _with_rounding(_own_noise(ctx, d), d))
        return
    r = d.best = line.rung(L)
    if r.finite and r.trunc > noise.noise_term(L) + noise.atol + noise.rtol * abs(r.R):
        balanced = (noise.noise_term(L) * L * L * L / (2.0 * r.trunc)) ** (1.0 / 3.0)
        if 2 * L0 < balanced < L / 2:
            d.best = line.rung(balanced)
    if _judge_long(ctx, _with_rounding(_pool(ctx, [d]), d), d) is None:
        _escalate(ctx, line.work, d, _with_rounding(_pool(ctx, [d]), d), g)


def _choose_step(ctx: Context, line: Line, d: _Drawn, noise: Noise) -> Rung:
    """The rung to judge a direction at, from its rung at ``L0``.

    Where the measured noise dominates the tolerance at ``L0``, the step that makes it
    ``JUMP_MARGIN`` times smaller than ``atol + rtol |R|`` is tried at once, up to
    ``lines.MAX_STEP`` (``L0``'s truncation estimate is noise itself there). It is kept
    when its Richardson value agrees with ``L0``'s within both tolerances (nothing between
    bends ``phi``); when it does not, or its own truncation dominates its tolerance, the
    geometric middle is tried too, and the agreeing rung of smaller tolerance is kept. No
    choice looks at the analytic value."""
    r0 = d.r0
    if not (r0.finite and math.isfinite(d.analytic)):
        return r0
    if _one_sided(ctx, d.phi0(ctx), r0, noise)[2]:
        return r0  # a kink is judged at L0
    scale = noise.atol + noise.rtol * abs(r0.R)
    term = noise.noise_term(r0.L)
    if term <= max(scale, r0.trunc) or r0.L * 2 > lines.MAX_STEP:
        return r0
    target = (
        lines.MAX_STEP if scale == 0 else min(lines.MAX_STEP, r0.L * JUMP_MARGIN * term / scale)
    )
    best = r0
    for L in (target, math.sqrt(target * r0.L)):
        if L <= 2 * r0.L:
            break
        longer = line.rung(L)
        if lines.agrees(noise, r0, longer) and noise.bound(longer) < noise.bound(best):
            best = longer
            curved = longer.trunc > noise.noise_term(L) + noise.atol + noise.rtol * abs(longer.R)
            if not curved:
                break
    return best


def _pool(ctx: Context, drawn: list[_Drawn]) -> Noise:
    """The noise pooled over the directions (``lines.pooled``): the samples of the rungs at
    ``L0``, and the fourth differences of longer rungs that are consistent with them (a
    longer rung's third difference is its bend, ``D3 = 12 L trunc``, which its truncation
    term already covers)."""
    p = ctx.precision
    short = [d.r0.noise_samples(d.phi0(ctx)) for d in drawn if d.r0 is not None and d.r0.finite]
    rungs = [r for d in drawn for r in (d.r0, d.best) if r is not None]
    floor = p.eps_f * max(r.F for r in rungs)
    first = lines.pooled(short, floor)
    limit = (lines.KINK_RATIO * first) ** 2
    longer = [
        (d4, d4)
        for d in drawn
        if d.best is not d.r0 and d.best.finite
        for d4 in [d.best.noise_samples(d.phi0(ctx))[1]]
        if d4 <= limit
    ]
    return Noise(sigma=lines.pooled(short + longer, floor), atol=p.atol, rtol=p.rtol)


def _judge(ctx: Context, noise: Noise, d: _Drawn) -> Direction:
    """The verdict of a direction probed at ``L0`` (and perhaps at a longer step)."""
    a, r0, cur = d.analytic, d.r0, d.best
    if not (math.isfinite(a) and r0.finite):
        what = "analytic" if not math.isfinite(a) else "f along the direction"
        return Direction(a, r0.R, 0.0, "non-finite", f"{what} is not finite", r0.L)
    dp, dm, kinked = _one_sided(ctx, d.phi0(ctx), r0, noise)
    if kinked or not cur.finite:
        cur = r0  # a kink is judged at L0
    tol, err = noise.tol(cur, a), abs(a - cur.R)
    if noise.passes(cur, a):
        detects = math.inf
        if not kinked and noise.rtol < 1.0:
            detects = (tol + err) * d.z_norm * d.v_norm / (d.weight * (1.0 - noise.rtol))
        return Direction(a, cur.R, tol, "passed", "", cur.L, detects)
    lo, hi = min(dp, dm), max(dp, dm)
    if cur is r0 and kinked and lo - tol <= a <= hi + tol:
        return Direction(a, cur.R, tol, "kink", f"at a kink; one-sided {lo:.6g} .. {hi:.6g}", cur.L)
    return Direction(a, cur.R, tol, "failed", "", cur.L)


def _judge_long(ctx: Context, noise: Noise, d: _Drawn) -> Direction | None:
    """The verdict of a direction probed only at a long step, or None: look again from L0.

    It fails at once only when its rung is clean: finite, no kink, and its fourth difference
    ``D4`` consistent with the noise measured. (Its third difference is its bend,
    ``D3 = 12 L trunc``, which the tolerance already holds; a failure then goes to the
    bisection, which judges each entry at its own tolerance.)"""
    a, cur = d.analytic, d.best
    if not (math.isfinite(a) and cur.finite):
        return None
    if _one_sided(ctx, d.phi0(ctx), cur, noise)[2]:
        return None
    tol, err = noise.tol(cur, a), abs(a - cur.R)
    if noise.passes(cur, a):
        detects = math.inf
        if noise.rtol < 1.0:
            detects = (tol + err) * d.z_norm * d.v_norm / (d.weight * (1.0 - noise.rtol))
        return Direction(a, cur.R, tol, "passed", "", cur.L, detects)
    if cur.noise_samples(d.phi0(ctx))[1] > (lines.KINK_RATIO * noise.sigma) ** 2:
        return None
    return Direction(a, cur.R, tol, "failed", "", cur.L)


def _escalate(ctx: Context, work: np.ndarray, d: _Drawn, noise: Noise, g) -> None:
    """Probe ``d`` at ``L0`` too and choose its own step from there."""
    line = Line(ctx, work, slice(0, ctx.flat.n), _z(ctx, d, g), d.w)
    d.r0 = line.rung(ctx.precision.base_step(ctx.options.method))
    d.escalated = True
    d.best = _choose_step(ctx, line, d, noise)


#: The standard deviation of the extrapolated one-sided gap is ``GAP_NOISE * sigma / L``.
GAP_NOISE = math.sqrt(17.5)


def _one_sided(ctx: Context, phi0: float, r: Rung, noise: Noise):
    """One-sided derivatives at ``r.L`` and whether they straddle a kink: their gap must exceed
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


def _localize_along(ctx, work, d: _Drawn, gw, noise: Noise, res: Direction, out, notes) -> str:
    """Bisection along the failing direction itself: one or two block tests per level.

    A block ``[lo, hi)`` is known by its disagreement ``delta = a - R`` along ``u``
    restricted to it, and its tolerance. Its left half is tested along ``u`` restricted to
    that half; derivatives add up, so the right half's disagreement is ``delta -
    delta_left`` within the sum of both tolerances, and the right half is tested only when
    that leaves it in doubt. A restriction keeps each entry's weight, so the error of
    one entry stands out as clearly at every level as in the whole direction, against a
    tolerance that shrinks with the block. The halves that disagree are split again (when
    neither does, the one with the larger disagreement relative to its tolerance is).
    A scalar ``f`` goes down to single entries, each named from its own test along
    ``u_i e_i`` at the direction's step; a vector ``f`` to blocks of ``LEAF`` entries,
    checked entry by entry. ``4`` to ``8`` evaluations per level: ``O(log n)``
    evaluations and ``O(n log n)`` work."""
    start_evals, n = ctx.ev.count, ctx.flat.n
    u = Line(ctx, work, slice(0, n), _z(ctx, d, gw), d.w).u
    leaf = 1 if ctx.ev.m == 1 else LEAF
    leaf_ctx = _at_measured_noise(ctx, noise, d.w) if leaf > 1 else ctx
    tests = 0

    def measure(lo: int, hi: int) -> tuple[float, float, bool, Rung, float]:
        nonlocal tests
        tests += 1
        span = slice(lo, hi)
        a = float(gw[span] @ u[span])
        rung = Line(ctx, work, span, w=d.w, u=u[span]).rung(res.step)
        if not (rung.finite and math.isfinite(a)):
            return math.inf, 0.0, True, rung, a
        return a - rung.R, noise.tol(rung, a), not noise.passes(rung, a), rung, a

    stack = [(0, n, res.analytic - res.numeric, res.tol, None, res.analytic)]
    stopped = ""
    while stack:
        lo, hi, delta, tol, rung, a = stack.pop()
        stopped = _stop_reason(ctx, out, start_evals)
        if stopped:
            break
        if hi - lo <= leaf:
            if leaf > 1:
                out.merge(check_entries(leaf_ctx, np.arange(lo, hi)))
            else:
                _name_entry(ctx, noise, d, lo, u[lo], rung, a, out)
            continue
        mid = (lo + hi + 1) // 2
        left = (lo, mid, *measure(lo, mid))
        right_delta, right_tol = delta - left[2], tol + left[3]
        right = (mid, hi, right_delta, right_tol, _off(right_delta, right_tol), None, None)
        clear = abs(right_delta) > DERIVED_MARGIN * right_tol and hi - mid > leaf
        if not (left[4] and not right[4]) and not (right[4] and not left[4] and clear):
            right = (mid, hi, *measure(mid, hi))  # ambiguous, or a named entry: test it
        halves = [h for h in (left, right) if h[4]]
        if not halves:
            halves = [max((left, right), key=lambda h: abs(h[2]) / max(h[3], 1e-300))]
        stack.extend((h[0], h[1], h[2], h[3], h[5], h[6]) for h in reversed(halves))
    evals = ctx.ev.count - start_evals
    notes.append(
        f"localized by bisection along the failing direction: {tests} block tests, {evals} "
        "evaluations of f"
        + (f"; {stopped}: more entries may fail, run full mode to list them all" if stopped else "")
    )
    return stopped


#: A direction that disagrees while no entry along it does is said to pass with this note.
SPREAD_NOTE = "error spread over many entries, each within tolerance"

#: A derived disagreement this many times its tolerance is taken without a test of its own.
DERIVED_MARGIN = 3.0


def _name_entry(ctx, noise: Noise, d: _Drawn, i: int, ui: float, rung, a, out: Outcome) -> None:
    """The verdict on entry ``i`` of a scalar ``f`` from its test along ``u_i e_i``."""
    out.checked += 1
    name = ctx.flat.name(i)
    g = a / ui
    if rung is None or not rung.finite or not math.isfinite(a):
        out.nonfinite.append(Entry(name, i, 0, g, math.nan, 0.0, "non-finite", "f or analytic"))
        return
    numeric, tol = rung.R / ui, noise.tol(rung, a) / abs(ui)
    step = f"step {rung.L * abs(ui):.2g} along {name}"
    if noise.passes(rung, a):
        return
    if _one_sided(ctx, d.phi0(ctx), rung, noise)[2]:  # a kink: judged as full mode judges it
        out.checked -= 1
        out.merge(check_entries(_at_measured_noise(ctx, noise, d.w), np.array([i])))
        return
    out.failures.append(Entry(name, i, 0, g, numeric, tol, "failed", step))


def _stop_reason(ctx: Context, out: Outcome, start_evals: int) -> str:
    """Why localization stops here ("" to go on): enough entries named, or its budget spent."""
    if len(out.failures) + len(out.nonfinite) >= ctx.options.max_report:
        return f"stopped after {ctx.options.max_report} failing entries (max_report)"
    if ctx.ev.count - start_evals > LOCALIZE_BUDGET:
        return f"stopped after {LOCALIZE_BUDGET} evaluations (budget)"
    return ""


def _off(delta: float, tol: float) -> bool:
    return not abs(delta) <= tol


def _localize(ctx, rng, work, w, gw, noise, step, out: Outcome, notes: list[str]) -> None:
    """Bisection with a fresh random direction on each half (kinks, values not finite)."""
    start_evals = ctx.ev.count
    leaf_ctx = _at_measured_noise(ctx, noise, w)
    stack = [(0, ctx.flat.n)]
    tests = 0
    stopped = ""
    while stack:
        lo, hi = stack.pop()
        stopped = _stop_reason(ctx, out, start_evals)
        if stopped:
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
