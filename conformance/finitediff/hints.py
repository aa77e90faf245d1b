"""Patterns shared by failing entries, named with their usual causes.

- **A constant factor.** When ``analytic / numeric`` is the same number ``c`` in
  every failing entry (or in every failing entry of one array), ``c`` is written
  as the simplest fraction that matches it and its usual causes are named:
  ``-1`` a sign error, ``2`` or ``1/2`` a factor of 2 (the halved loss
  ``1/2 sum (y - t)^2`` against ``sum (y - t)^2``), ``N`` or ``1/N`` a mean over
  ``N`` in one of the loss and the gradient and a sum in the other (a batch of
  15 samples gives 15), ``0`` a missing term. A factor that is no simple
  fraction is reported as a constant factor without a cause.
- **Only the diagonal of a Jacobian** (``f`` with as many outputs as
  entries): every failing entry is ``f[k] wrt x[j]`` with ``k != j`` and an
  analytic value of 0, the mark of a derivative taken elementwise, such as
  softmax's ``y (1 - y)``.
- **A transposed array** (full mode, scalar ``f``). Every entry's numeric value
  is known (the failing ones from the table; the others agree with the
  analytic value), so each 2-D array is rebuilt and its analytic values are
  compared with the numeric gradient transposed and read in row-major order.
  For a square array that is the transpose; for a non-square one it is a
  gradient computed as ``(out, in)`` and reshaped to ``(in, out)``, or a flat
  gradient listing the entries of ``W.T``. (A gradient of the transposed
  *shape* is refused before any difference is taken, with a one-line shape
  error.)
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from nnref.conformance.finitediff.inputs import Flat
from nnref.conformance.finitediff.result import Entry

#: How closely the ratios must agree with one another to be called constant.
RATIO_RTOL = 1e-3
#: How closely a ratio must match a fraction to be named as that fraction.
FRACTION_RTOL = 1e-4
#: The largest denominator (and numerator) named: a batch of up to 10,000 samples.
MAX_TERM = 10_000


def constant_factor_hints(flat: Flat, failures: list[Entry]) -> list[str]:
    """One hint if all failing entries share a factor, else one per array that has one."""
    shared = _factor(failures)
    if shared is not None and _fraction(shared) == 1:  # equal within the ratio's tolerance:
        return []  # no factor to name (entries that fail at a kink under kinks="strict")
    if shared is not None:
        arrays = _arrays(flat, failures)
        where = "every failing entry" + (f" ({', '.join(arrays)})" if len(arrays) <= 3 else "")
        return [_factor_text(shared, where)]
    out = []
    for label, group in _by_array(flat, failures).items():
        c = _factor(group)
        if c is not None and _fraction(c) != 1:
            out.append(f"{label}: " + _factor_text(c, f"all {len(group)} failing entries"))
    return out


def _factor(failures: list[Entry]) -> float | None:
    """``c`` if ``analytic = c * numeric`` in every entry (to ``RATIO_RTOL``), else None.

    Entries whose numeric value cannot be told from 0 (``|numeric| <= tol``) give
    no ratio; they must then have analytic 0 only if ``c`` is 0. A single entry
    counts only when its ratio is a simple fraction (a lone ratio of 1.37 is
    no pattern).
    """
    finite = [e for e in failures if np.isfinite(e.analytic) and np.isfinite(e.numeric)]
    if not finite or len(finite) < len(failures):
        return None
    a = np.array([e.analytic for e in finite])
    n = np.array([e.numeric for e in finite])
    tol = np.array([e.tol for e in finite])
    known = np.abs(n) > tol
    if not known.any():
        return None
    c = float(np.median(a[known] / n[known]))
    slack = RATIO_RTOL * np.maximum(np.abs(a), np.abs(c * n)) + (1 + abs(c)) * tol
    if not np.all(np.abs(a - c * n) <= slack):
        return None
    if len(finite) == 1 and _fraction(c) is None:
        return None
    return c


def _fraction(c: float) -> Fraction | None:
    """``c`` as ``N``, ``1/N``, ``N/2`` or ``2/N`` (within ``FRACTION_RTOL``; 0 as 0), or None.

    These are the factors with usual causes; any other ratio is reported as a number.
    """
    if abs(c) < 1e-6:
        return Fraction(0)
    for frac in (Fraction(round(c)), Fraction(round(2 * c), 2)):
        if frac and abs(float(frac) - c) <= FRACTION_RTOL * abs(c):
            return frac if abs(frac.numerator) <= MAX_TERM else None
    for frac in (Fraction(1, round(1 / c)) if round(1 / c) else None, _two_over(c)):
        if frac is not None and abs(float(frac) - c) <= FRACTION_RTOL * abs(c):
            return frac if abs(frac.denominator) <= MAX_TERM else None
    return None


def _two_over(c: float) -> Fraction | None:
    n = round(2 / c)
    return Fraction(2, n) if n else None


def _factor_text(c: float, where: str) -> str:
    frac = _fraction(c)
    if frac is None:
        return (
            f"analytic = {c:.6g} x numeric in {where}: a constant factor that is no simple "
            "fraction (a scale or a learning rate applied to the gradient?)"
        )
    if frac == 0:
        return f"analytic = 0 where numeric is not, in {where}: a missing term"
    shown = str(frac) if frac.denominator > 1 else str(frac.numerator)
    causes = (["a sign error"] if frac < 0 else []) + _magnitude_causes(abs(frac))
    return f"analytic = {shown} x numeric in {where}: " + " and ".join(causes)


def _magnitude_causes(r: Fraction) -> list[str]:
    """The usual causes of a gradient ``r`` times too large (``r > 0``), worded as likely."""
    p, q = r.numerator, r.denominator
    halved, summed = "1/2 sum (y - t)^2", "sum (y - t)^2"
    if r == 1:
        return []
    if r == 2:
        return [
            f"a factor of 2 too many (usually a halved loss, {halved}, with the gradient "
            f"of {summed}; or, for any loss, a mean over 2 outputs or samples in the loss "
            "and a sum in the gradient)"
        ]
    if r == Fraction(1, 2):
        return [
            f"a factor of 2 missing (usually the loss {summed} with the gradient of {halved}, "
            "or d(x^2)/dx taken as x; or, for any loss, a mean over 2 in the gradient only)"
        ]
    batch = "(usually a batch of {n} samples, or {n} outputs, averaged on one side only)"
    if q == 1:
        return [f"a mean over {p} in the loss and a sum in the gradient " + batch.format(n=p)]
    if p == 1:
        scale = f", or a learning rate of 1/{q} applied" if q in (10, 100, 1000, 10_000) else ""
        return [
            f"a mean over {q} in the gradient and a sum in the loss " + batch.format(n=q) + scale
        ]
    if q == 2:
        return [
            f"a mean over {p} in the loss, and a factor of 2 (usually mean squared error "
            f"1/{p} {summed} with the gradient of {halved})"
        ]
    if p == 2:
        return [
            f"a mean over {q} in the gradient, and a factor of 2 (usually the gradient of mean "
            f"squared error 1/{q} {summed} for the halved loss {halved})"
        ]
    return [f"a constant factor {p}/{q}"]


def _arrays(flat: Flat, failures: list[Entry]) -> list[str]:
    return list(_by_array(flat, failures))


def _by_array(flat: Flat, failures: list[Entry]) -> dict[str, list[Entry]]:
    groups: dict[str, list[Entry]] = {}
    for e in failures:
        leaf = flat.leaves[flat.leaf_index(e.index)]
        groups.setdefault(flat.path_name(leaf.path), []).append(e)
    return groups


def diagonal_only(m: int, n: int, failures: list[Entry]) -> list[str]:
    """A hint when ``f`` maps n entries to n outputs and only off-diagonal entries fail, as 0.

    That is a Jacobian taken elementwise: ``softmax'`` written as ``y (1 - y)``,
    the diagonal of ``diag(y) - y y^T``.
    """
    if m != n or m < 2 or not failures:
        return []
    for e in failures:
        if e.output == e.index or not np.isfinite(e.numeric) or abs(e.analytic) > e.tol:
            return []
    return [
        f"analytic = 0 in all {len(failures)} failing entries, each f[k] wrt x[j] with k != j, "
        "while every f[k] wrt x[k] passes: only the diagonal of the Jacobian was computed (a "
        "derivative taken elementwise, such as softmax' = y (1 - y); softmax's Jacobian is "
        "diag(y) - y y^T)"
    ]


def transposed_arrays(flat: Flat, analytic: np.ndarray, failures: list[Entry]) -> list[str]:
    """Hints naming each 2-D array whose analytic values are the numeric gradient transposed.

    ``analytic`` is the flat gradient ``(n,)`` of a scalar ``f``; ``failures`` all
    failing entries (their numeric values replace the analytic ones).
    """
    numeric = analytic.copy()
    failing = np.zeros(flat.n, dtype=bool)
    for e in failures:
        numeric[e.index] = e.numeric
        failing[e.index] = True
    out = []
    for leaf in flat.leaves:
        if len(leaf.shape) != 2 or min(leaf.shape) < 1 or leaf.size < 2 or leaf.complex:
            continue
        sl = slice(leaf.start, leaf.start + leaf.size)
        if not failing[sl].any():
            continue
        rows, cols = leaf.shape
        a = analytic[sl]
        swapped = numeric[sl].reshape(rows, cols).T.reshape(-1)
        if np.allclose(a, swapped, rtol=1e-6, atol=1e-12 * max(1.0, np.abs(swapped).max())):
            out.append(_transpose_text(flat.path_name(leaf.path), rows, cols))
    return out


def conjugated(flat, failures: list) -> list[str]:
    """Complex inputs: every failing entry is an imaginary part whose sign is flipped."""
    if not failures or not flat.complex:
        return []
    for e in failures:
        leaf = flat.leaves[flat.leaf_index(e.index)]
        imag = leaf.complex and (e.index - leaf.start) % 2 == 1
        scale = max(abs(e.analytic), abs(e.numeric))
        if not imag or scale == 0 or abs(e.analytic + e.numeric) > 1e-6 * scale:
            return []
    return [
        "only imaginary parts fail, each with the sign flipped: the gradient is conjugated. "
        "nnref, like torch, expects df/da + i df/db at z = a + ib (twice the conjugate "
        "Wirtinger derivative df/dz*); df/da - i df/db is JAX's covector or the Wirtinger "
        "derivative df/dz"
    ]


def _transpose_text(name: str, rows: int, cols: int) -> str:
    if rows == cols:
        return f"{name}: the analytic gradient is the transpose of the numeric one"
    return (
        f"{name}: the analytic values are the numeric gradient transposed ({cols}x{rows}) "
        f"and read row by row into {rows}x{cols}: a gradient computed as (out, in) and "
        "reshaped (not transposed) to (in, out), or flattened from W.T"
    )
