"""Finite-difference stencils, the tolerance, and the kink test.

Everything here works on the values of ``f`` along a line
``phi(t) = f(x + t * L * u)`` (``u`` a unit coordinate vector or a random
direction, ``L`` the step length), vectorized over many lines at once: each
argument is an array whose first axis runs over lines and whose last axis runs
over the outputs of ``f``. Derivatives are per unit length along ``u``.

Formulas (step ``L``):

- central difference ``c(L) = (f(+L) - f(-L)) / 2L``, error ``L^2 f''' / 6``;
- Richardson ``R = (4 c(L) - c(2L)) / 3``, error ``O(L^4)``;
- one-sided ``d+(L) = (f(+L) - f(0)) / L`` and ``d-(L) = (f(0) - f(-L)) / L``;
  their gap ``D(L) = d+(L) - d-(L)`` is ``L f'' + O(L^3)`` where ``f`` is smooth
  and tends to the jump ``J`` of the derivative where it has a kink. The
  extrapolated gap ``D0 = 2 D(L) - D(2L)`` is ``O(L^3)`` (smooth) or ``~J``
  (kink): the probes straddle a kink when ``|D0|`` exceeds the tolerance.
  The one-sided derivatives at the kink are extrapolated the same way,
  ``2 d(L) - d(2L)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def entry_steps(theta: np.ndarray, base: float, float32: np.ndarray | None = None) -> np.ndarray:
    """Per-entry steps ``h_i = base * max(1, |x_i|)``, rounded so ``x_i + h_i`` is exact
    (in float32 for the entries where ``float32`` is true: they reach ``f`` as float32)."""
    h = base * np.maximum(1.0, np.abs(theta))
    if float32 is None:
        return (theta + h) - theta
    up = np.where(float32, (theta + h).astype(np.float32).astype(np.float64), theta + h)
    return up - theta


def central(fp: np.ndarray, fm: np.ndarray, L: np.ndarray) -> np.ndarray:
    """``(f(+L) - f(-L)) / 2L``."""
    return (fp - fm) / (2.0 * L)


def richardson(c_small: np.ndarray, c_double: np.ndarray) -> np.ndarray:
    """``(4 c(L) - c(2L)) / 3``: the fourth-order stencil from two central differences."""
    return (4.0 * c_small - c_double) / 3.0


def tolerance(analytic, numeric, F, L, atol, rtol, floor_factor, eps_f) -> np.ndarray:
    """``atol + rtol * max(|analytic|, |numeric|) + floor_factor * eps_f * F / L``.

    ``F`` is the largest ``|f|`` seen at the probes: the roundoff of a difference
    of two values of ``f`` is about ``eps_f * F``, divided by the step.
    """
    scale = np.maximum(
        np.abs(analytic), np.abs(np.nan_to_num(numeric, nan=0.0, posinf=0, neginf=0))
    )
    return atol + rtol * scale + floor_factor * eps_f * F / L


#: A relative error this large passes only by ``atol + rtol * scale``, never by the noise floor.
REL_CAP = 1e-2


def beyond_rounding(analytic, numeric, F, L, atol, rtol, floor_factor, eps_f) -> np.ndarray:
    """Entries whose relative error is ``REL_CAP`` or more, excused only by the noise floor,
    although one of the two values stands above that floor: they fail whatever the floor.
    (Where both values lie under the floor nothing was resolved; see ``below_floor``.)"""
    err, scale, floor = _parts(analytic, numeric, F, L, floor_factor, eps_f)
    big = (err >= REL_CAP * scale) & (err > atol + rtol * scale)
    return big & (scale > floor)


def below_floor(analytic, numeric, F, L, atol, rtol, floor_factor, eps_f) -> np.ndarray:
    """Entries whose relative error is ``REL_CAP`` or more with both values under the floor."""
    err, scale, floor = _parts(analytic, numeric, F, L, floor_factor, eps_f)
    big = (err >= REL_CAP * scale) & (err > atol + rtol * scale)
    return big & (scale <= floor) & (scale > 0)


def _parts(analytic, numeric, F, L, floor_factor, eps_f):
    numeric = np.nan_to_num(numeric, nan=0.0, posinf=0, neginf=0)
    err = np.abs(analytic - numeric)
    scale = np.maximum(np.abs(analytic), np.abs(numeric))
    return err, scale, floor_factor * eps_f * F / L


@dataclass
class Confirmed:
    """The second look at lines that failed the first comparison (arrays over lines)."""

    numeric: np.ndarray  # the best estimate: Richardson-extrapolated
    passed: np.ndarray  # bool: agrees once truncation is accounted for
    kink: np.ndarray  # bool: the probes straddle a kink
    lower: np.ndarray  # one-sided derivatives at the kink (min, max)
    upper: np.ndarray
    right: np.ndarray  # the one-sided derivatives by side: along +u and along -u
    left: np.ndarray
    in_range: np.ndarray  # bool: the analytic value lies within [lower, upper] (+ tol)
    tol: np.ndarray


def confirm(f0, fp1, fm1, fp2, fm2, L1, analytic, tol_args) -> Confirmed:
    """Decide lines from values at ``0, +-L1, +-2 L1``.

    A line passes when the analytic value agrees with the Richardson value or
    with ``c(L1)``, within the tolerance plus the truncation estimate
    ``|c(L1) - c(2 L1)| / 3``. Otherwise it is a kink when the extrapolated
    one-sided gap exceeds the tolerance. ``tol_args`` = ``(atol, rtol,
    floor_factor, eps_f)``.
    """
    c1 = central(fp1, fm1, L1)
    c2 = central(fp2, fm2, 2.0 * L1)
    best = richardson(c1, c2)
    F = np.abs(f0)
    for values in (fp1, fm1, fp2, fm2):
        F = np.maximum(F, np.abs(values))
    tol = tolerance(analytic, best, F, L1, *tol_args)
    trunc = np.abs(c1 - c2) / 3.0
    err = np.minimum(np.abs(analytic - best), np.abs(analytic - c1))
    passed = (err <= tol + trunc) & ~beyond_rounding(analytic, best, F, L1, *tol_args)

    dp, dm, straddles = one_sided(f0, fp1, fm1, fp2, fm2, L1, F, tol_args)
    kink = ~passed & straddles
    lower, upper = np.minimum(dp, dm), np.maximum(dp, dm)
    in_range = (analytic >= lower - tol) & (analytic <= upper + tol)
    return Confirmed(best, passed, kink, lower, upper, dp, dm, in_range, tol)


def one_sided(f0, fp1, fm1, fp2, fm2, L1, F, tol_args):
    """The extrapolated one-sided derivatives ``2 d(L1) - d(2 L1)`` along ``+u`` and ``-u``, and
    whether their gap exceeds the tolerance (the probes straddle a kink). The gap test does not
    involve the analytic value."""

    def extrapolated(d_small, d_double):
        return 2.0 * d_small - d_double

    dp = extrapolated((fp1 - f0) / L1, (fp2 - f0) / (2.0 * L1))
    dm = extrapolated((f0 - fm1) / L1, (f0 - fm2) / (2.0 * L1))
    kink_tol = tolerance(np.maximum(np.abs(dp), np.abs(dm)), 0.0, F, L1, *tol_args)
    return dp, dm, np.abs(dp - dm) > kink_tol
