"""Comparing what an implementation returned with a vector's expected value.

Results may be floats, lists, numpy arrays or tensors: anything ``numpy.asarray``
accepts (tensors go through ``.detach().cpu().numpy()``). Each entry passes when

    |got - expected| <= tolerance.abs + tolerance.rel * |expected|

and is finite. The worst absolute error, the worst relative error (over entries
whose expected value is not 0) and the first entry that fails are reported.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


class Malformed(Exception):
    """The result cannot be compared at all (wrong type or structure): reported as ERROR."""


@dataclass
class Comparison:
    """The outcome of comparing one case: passed, worst errors, and a message when not."""

    passed: bool
    max_abs_err: float | None
    max_rel_err: float | None
    message: str = ""


def to_array(value, what: str) -> np.ndarray:
    """``value`` as a float64 array, or Malformed naming what came back."""
    if value is None or isinstance(value, str | bytes | dict):
        raise Malformed(f"{what} is {_kind(value)}, expected numbers")
    try:
        return np.asarray(_untensor(value), dtype=np.float64)
    except (TypeError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else ""
        raise Malformed(f"{what} ({_kind(value)}) is not numeric: {first}") from None


def _untensor(value):
    if hasattr(value, "detach") and callable(value.detach):
        value = value.detach()
        if hasattr(value, "cpu"):
            value = value.cpu()
        return value.numpy()
    if isinstance(value, list | tuple):
        return [_untensor(v) for v in value]
    return value


def _kind(value) -> str:
    return "None" if value is None else f"a {type(value).__name__}"


def leaf(expected, got, what: str) -> tuple[str, np.ndarray, np.ndarray]:
    """``(what, expected, got)`` as arrays of one shape (a scalar may come back as shape (1,))."""
    e = np.asarray(expected, dtype=np.float64)
    g = to_array(got, what)
    if e.ndim == 0 and g.size == 1:
        g = g.reshape(())
    if g.shape != e.shape:
        raise ShapeMismatch(f"{what} has shape {g.shape}, expected {e.shape}")
    return what, e, g


class ShapeMismatch(Exception):
    """A result of the wrong shape: reported as FAIL (an answer, but the wrong one)."""


def compare_leaves(leaves, tolerance) -> Comparison:
    """Compare ``[(label, expected_array, got_array), ...]`` entry by entry."""
    worst_abs, worst_rel, first_bad = 0.0, 0.0, None
    for label, e, g in leaves:
        err = np.abs(g - e)
        bound = tolerance["abs"] + tolerance["rel"] * np.abs(e)
        bad = ~(err <= bound)  # NaN compares False, so it is bad
        if err.size:
            worst_abs = _nanmax(worst_abs, err)
            nonzero = e != 0
            if nonzero.any():
                worst_rel = _nanmax(worst_rel, err[nonzero] / np.abs(e[nonzero]))
        if first_bad is None and bad.any():
            index = tuple(int(i) for i in np.argwhere(bad)[0])
            first_bad = (label, index, e, g)
    if first_bad is None:
        return Comparison(True, worst_abs, worst_rel)
    return Comparison(False, worst_abs, worst_rel, _describe(*first_bad, tolerance))


def _nanmax(current: float, values: np.ndarray) -> float:
    if np.isnan(values).any():
        return float("nan")
    return max(current, float(values.max()))


def _describe(label, index, e, g, tolerance) -> str:
    where = label + "".join(f"[{i}]" for i in index)
    exp_v, got_v = float(e[index]), float(g[index])
    if not np.isfinite(got_v):
        head = f"{where} is {got_v!r}, expected {exp_v!r}"
    else:
        head = f"{where}: expected {exp_v!r}, got {got_v!r} (abs err {abs(got_v - exp_v):.3g})"
    if 1 < e.size <= 8:
        head += f"; expected {_short(e)}, got {_short(g)}"
    return head


def _short(a: np.ndarray) -> str:
    """A small array on one line, 12 significant digits: ``[[-3, -3], [0.5, 1]]``."""
    return _fmt(a.tolist())


def _fmt(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    return f"{value:.12g}"
