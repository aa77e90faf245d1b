"""Derivatives along one line ``phi(t) = w . f(x + t u)``: measured noise, chosen step.

A *rung* is the four values ``phi(+-L)``, ``phi(+-2L)`` (``phi(0)`` is shared).
From them:

- the central differences ``c1 = c(L)``, ``c2 = c(2L)`` and the Richardson value
  ``R = (4 c1 - c2) / 3`` (error ``O(L^4)``);
- the truncation estimate ``|c1 - c2| / 3`` (the error of ``c1``, an upper bound
  for that of ``R`` where ``phi`` is smooth);
- samples of ``phi``'s rounding noise: the five values ``phi(-2L) .. phi(2L)``
  minus the quadratic through them leave two numbers, the third and fourth
  differences ``D3 = phi(2L) - 2 phi(L) + 2 phi(-L) - phi(-2L)`` and
  ``D4 = phi(2L) - 4 phi(L) + 6 phi(0) - 4 phi(-L) + phi(-2L)``; for noise of
  standard deviation ``sigma`` on each value, ``D3^2 / 10`` and ``D4^2 / 70``
  each estimate ``sigma^2`` (``D3`` also holds ``2 L^3 phi'''``, so the shape
  of a smooth function can only make the estimate too large, never too small;
  a kink at ``t = 0`` shows in ``D4`` only, see ``pooled``).

Noise is pooled over the directions of a check (``sigma^2`` is the mean of
the samples, two per direction) and never taken below
``eps_f * |phi|`` (the rounding of the result itself). ``R``'s noise is
``sigma * sqrt(130) / (12 L)``, and the tolerance of a rung is

    tol = atol + rtol * max(|analytic|, |R|) + NOISE_K * sqrt(130) / 12 * sigma / L + trunc

Step choice (per direction): start at ``L0 = eps_f^(1/3)`` (central) or
``eps_f^(1/5)`` (Richardson), and while the noise term is the largest term of
the tolerance, try a step ``RATIO`` times longer (up to ``MAX_STEP``). The
longer step is kept when its ``R`` agrees with the shorter one's within both
tolerances (nothing between them bends ``phi``: no kink, no overflow), and the
climb stops at the first that does not. Where ``f`` is a sum of a million
terms, its noise is about ``eps * |f|`` while ``phi'''`` along a unit direction is
tiny, so the step grows from ``6e-6`` to ``2.5e-2`` and the noise term shrinks by
four thousand. The climb never looks at the analytic value, so the
tolerance a direction ends with does not depend on the gradient under test.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nnref.conformance.finitediff.stencils import REL_CAP

#: The tolerance allows this many standard deviations of the measured noise of ``R``.
NOISE_K = 12.0
#: Each climb multiplies the step by this.
RATIO = 64.0
#: No step along a direction of unit length (times ``max(1, |x_i|)``) is longer than this.
MAX_STEP = 0.05
#: The standard deviation of ``R`` is ``R_NOISE * sigma / L``.
R_NOISE = math.sqrt(130.0) / 12.0


@dataclass
class Rung:
    """``phi`` at ``+-L`` and ``+-2L``; ``F`` is the largest ``|w| . |f|`` seen."""

    L: float
    p1: float
    m1: float
    p2: float
    m2: float
    F: float

    @property
    def finite(self) -> bool:
        return bool(np.all(np.isfinite([self.p1, self.m1, self.p2, self.m2])))

    @property
    def c1(self) -> float:
        return (self.p1 - self.m1) / (2.0 * self.L)

    @property
    def c2(self) -> float:
        return (self.p2 - self.m2) / (4.0 * self.L)

    @property
    def R(self) -> float:
        return (4.0 * self.c1 - self.c2) / 3.0

    @property
    def trunc(self) -> float:
        return abs(self.c1 - self.c2) / 3.0

    def noise_samples(self, phi0: float) -> tuple[float, float]:
        """Two samples of ``sigma^2``: ``D3^2 / 10`` and ``D4^2 / 70`` (module docstring)."""
        d3 = self.p2 - 2.0 * self.p1 + 2.0 * self.m1 - self.m2
        d4 = self.p2 - 4.0 * self.p1 + 6.0 * phi0 - 4.0 * self.m1 + self.m2
        return d3 * d3 / 10.0, d4 * d4 / 70.0


@dataclass(frozen=True)
class Noise:
    """The pooled noise of ``phi`` and the tolerance parameters of a check."""

    sigma: float  # standard deviation of one value of phi (pooled, floored)
    atol: float
    rtol: float

    def noise_term(self, L: float) -> float:
        return NOISE_K * R_NOISE * self.sigma / L

    def bound(self, rung: Rung) -> float:
        """The tolerance of ``rung`` with ``|R|`` for the scale (independent of the analytic)."""
        return self.atol + self.rtol * abs(rung.R) + self.noise_term(rung.L) + rung.trunc

    def tol(self, rung: Rung, analytic: float) -> float:
        scale = max(abs(analytic), abs(rung.R))
        return self.atol + self.rtol * scale + self.noise_term(rung.L) + rung.trunc

    def passes(self, rung: Rung, analytic: float) -> bool:
        """Within the tolerance, and a relative error of ``REL_CAP`` or more is excused by
        the noise only where both values lie under it."""
        err, scale = abs(analytic - rung.R), max(abs(analytic), abs(rung.R))
        if err > self.tol(rung, analytic):
            return False
        if err >= REL_CAP * scale and err > self.atol + self.rtol * scale:
            return scale <= self.noise_term(rung.L) + rung.trunc
        return True


#: A ``D4`` sample this many times the ``D3`` estimate (in standard deviations) is a kink.
KINK_RATIO = 8.0


def pooled(pairs: list[tuple[float, float]], floor: float) -> float:
    """The noise from the ``(D3^2 / 10, D4^2 / 70)`` samples of several lines, at least ``floor``.

    A kink at ``t = 0`` (a ReLU unit exactly at 0) adds ``J |t|`` to ``phi``, which ``D3``
    (odd in ``t``) does not see and ``D4`` does: the ``D3`` samples are pooled first, and a
    ``D4`` sample joins them unless it exceeds ``KINK_RATIO`` times their estimate."""

    def root_mean(values):
        values = [v for v in values if math.isfinite(v)]
        return math.sqrt(sum(values) / len(values)) if values else 0.0

    first = max(root_mean([d3 for d3, _ in pairs]), floor)
    smooth = [d4 for _, d4 in pairs if d4 <= (KINK_RATIO * first) ** 2]
    return max(root_mean([d3 for d3, _ in pairs] + smooth), floor)


def worth_climbing(noise: Noise, rung: Rung) -> bool:
    """The noise term dominates the tolerance, and a longer step is allowed."""
    if rung.L * RATIO > MAX_STEP:
        return False
    rest = max(noise.atol + noise.rtol * abs(rung.R), rung.trunc)
    return noise.noise_term(rung.L) > rest


def agrees(noise: Noise, short: Rung, long: Rung) -> bool:
    """The longer step's ``R`` is within both tolerances of the shorter one's."""
    if not long.finite:
        return False
    return abs(long.R - short.R) <= noise.bound(short) + noise.bound(long)
