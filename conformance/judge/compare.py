"""Comparing what an implementation returned with a vector's expected value.

Results may be floats, lists, numpy arrays or tensors: anything ``numpy.asarray``
accepts (tensors go through ``.detach().cpu().numpy()``). Each entry passes when

    |got - expected| <= tolerance.abs + tolerance.rel * |expected|

and is finite. Two kinds of figure come out of a comparison:

- the case's maxima, ``max_abs_err`` and ``max_rel_err`` (the latter over
  entries whose expected value is not 0), each taken over the whole case and
  possibly from two different entries: the JSON report's fields, which the
  hints read;
- the *worst entry*: the one whose error is the largest multiple of its own
  tolerance, ``|got - expected| / (abs + rel * |expected|)`` (a non-finite
  result is worse than any finite one; ties go to the first). It is the entry
  nearest to failing, or furthest past it, so it is the one the report's line
  shows (its absolute and relative error) and the message names. The maxima
  cannot play that part: the largest absolute error may sit on a large entry
  well within its relative tolerance while another, small entry fails.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnref.conformance.protocol.numbers import Malformed, kind_of, to_array
from nnref.conformance.protocol.operations import triple


@dataclass(frozen=True)
class Worst:
    """The entry whose error is the largest multiple of its tolerance (see the module's doc)."""

    entry: str  # "gradients[1]['W'][0][2]"
    expected: float
    got: float
    abs_err: float
    rel_err: float | None  # None where the expected value is 0
    ratio: float  # abs_err / (tol.abs + tol.rel * |expected|); inf for a non-finite result

    def to_json(self) -> dict:
        """Plain data; a non-finite figure becomes None (JSON has no inf or NaN)."""
        return {k: _finite(getattr(self, k)) for k in _WORST_FIELDS} | {"entry": self.entry}


_WORST_FIELDS = ("expected", "got", "abs_err", "rel_err", "ratio")


def _finite(x):
    return x if x is None or np.isfinite(x) else None


@dataclass
class Comparison:
    """The outcome of comparing one case: passed, the case's maxima, the worst entry, and a
    message (about that worst entry) when it failed."""

    passed: bool
    max_abs_err: float | None
    max_rel_err: float | None
    message: str = ""
    worst: Worst | None = None


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
    """Compare ``[(label, expected_array, got_array), ...]`` entry by entry.

    The case fails when any entry is out of tolerance; the message then
    describes the worst entry (the largest error relative to its tolerance),
    which is necessarily a failing one.
    """
    max_abs, max_rel, passed = 0.0, 0.0, True
    worst, arrays = None, None  # the worst entry, and the expected and returned arrays it is in
    for label, e, g in leaves:
        if not e.size:
            continue
        err = np.abs(g - e)
        bound = tolerance["abs"] + tolerance["rel"] * np.abs(e)
        passed = passed and bool((err <= bound).all())  # NaN compares False, so it fails
        max_abs = _nanmax(max_abs, err)
        nonzero = e != 0
        if nonzero.any():
            max_rel = _nanmax(max_rel, err[nonzero] / np.abs(e[nonzero]))
        candidate = _worst_of(label, e, g, err, bound)
        if worst is None or candidate.ratio > worst.ratio:  # ties go to the first
            worst, arrays = candidate, (e, g)
    message = "" if passed or worst is None else _describe(worst, *arrays)
    return Comparison(passed, max_abs, max_rel, message, worst)


def _worst_of(label: str, e: np.ndarray, g: np.ndarray, err: np.ndarray, bound) -> Worst:
    """The worst entry of one array: the largest ``err / bound``, a non-finite result first."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # huge err: ratio inf
        ratio = np.where(err == 0, 0.0, err / bound)
    ratio = np.where(np.isfinite(g), ratio, np.inf)
    ratio = np.where(np.isnan(ratio), np.inf, ratio)
    index = np.unravel_index(int(np.argmax(ratio)), ratio.shape)
    exp_v, got_v, abs_v = float(e[index]), float(g[index]), float(err[index])
    where = label + "".join(f"[{int(i)}]" for i in index)
    rel_v = abs_v / abs(exp_v) if exp_v != 0 else None
    return Worst(where, exp_v, got_v, abs_v, rel_v, float(ratio[index]))


def _nanmax(current: float, values: np.ndarray) -> float:
    if np.isnan(current) or np.isnan(values).any():
        return float("nan")
    return max(current, float(values.max()))


def _describe(w: Worst, e: np.ndarray, g: np.ndarray) -> str:
    """The worst entry's values, then the whole arrays when they fit on one line."""
    if not np.isfinite(w.got):
        head = f"{w.entry} is {w.got!r}, expected {w.expected!r}"
    else:
        head = f"{w.entry}: expected {w.expected!r}, got {w.got!r} (abs err {w.abs_err:.3g})"
    return head + (f"; expected {_short(e)}, got {_short(g)}" if 1 < e.size <= 8 else "")


def _short(a: np.ndarray) -> str:
    """A small array on one line, 12 significant digits: ``[[-3, -3], [0.5, 1]]``."""
    return _fmt(a.tolist())


def _fmt(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    return f"{value:.12g}"


def leaves(operation: str, expected, got) -> list:
    """``[(label, expected, got)]`` arrays of a result; Malformed/ShapeMismatch if unusable."""
    if operation == "gradients":
        return gradient_leaves(expected, got)
    if operation == "adam_step":
        w, m, v = triple(got, "adam_step")
        return [leaf(expected[k], g, k) for k, g in zip("wmv", (w, m, v))]
    if operation == "adam_trajectory":
        if isinstance(got, dict | str) or not hasattr(got, "__len__") or len(got) != len(expected):
            size = len(got) if hasattr(got, "__len__") else kind_of(got)
            raise Malformed(f"the trajectory has {size} steps, expected {len(expected)}")
        out = []
        for t, (e, g) in enumerate(zip(expected, got), start=1):
            w, m, v = triple(g, f"step {t}")
            out.extend(leaf(e[k], s, f"step {t} {k}") for k, s in zip("wmv", (w, m, v)))
        return out
    return [leaf(expected, got, "result")]


def gradient_leaves(expected, got) -> list:
    if isinstance(got, dict | str) or not hasattr(got, "__len__"):
        raise Malformed(
            f"gradients returned {kind_of(got)}, expected a list of {{'W': dW, 'b': db}}"
        )
    if len(got) != len(expected):
        raise Malformed(f"gradients returned {len(got)} layers, expected {len(expected)}")
    out = []
    for i, (e, g) in enumerate(zip(expected, got)):
        try:
            dW, db = g["W"], g["b"]
        except (TypeError, KeyError, IndexError):
            raise Malformed(
                f"gradients[{i}] is {kind_of(g)}, expected a dict {{'W': dW, 'b': db}}"
            ) from None
        out.append(leaf(e["W"], dW, f"gradients[{i}]['W']"))
        out.append(leaf(e["b"], db, f"gradients[{i}]['b']"))
    return out
