"""The losses and their output gradients dE/dy under a set of knobs (see ``model.py``).

The reference's own functions run where the knobs are the tutorial's; a turned
knob changes one step: the squared error's factor, the cross-entropy's log base,
sign or mean, its binary or logits form, and the guards libraries put around ln y
(renormalising y to sum to 1, clipping it into [c, 1 - c] with a zero gradient
outside, or no guard at all, so that 0 ln 0 is NaN). Where a guard is turned, the
gradient is the chain rule through it, as autodiff computes it.
"""

from __future__ import annotations

import math

from nnref.conformance.variants.knobs import Knobs
from nnref.reference import activations as A
from nnref.reference import losses as L

INF = float("inf")
#: Binary cross-entropy, summed or (as Keras and torch.nn.BCELoss by default) averaged.
BINARY = ("binary", "binary_mean")
SE_FACTOR = {"half_sum": lambda n: 1.0, "sum": lambda n: 2.0}
SE_FACTOR |= {"mean": lambda n: 2.0 / n, "half_mean": lambda n: 1.0 / n}
LOG_SCALE = {"natural": 1.0, "log10": 1 / math.log(10), "log2": 1 / math.log(2), "mean": 1.0}


def squared_error(k: Knobs, y, t) -> float:
    n = len(y)
    total = 2.0 * L.squared_error(y, t)  # sum of squares
    return {"half_sum": 0.5, "sum": 1.0, "mean": 1.0 / n, "half_mean": 0.5 / n}[
        k.squared_error
    ] * total


def guarded(k: Knobs) -> bool:
    """True when a guard around ln y is turned: the gradient is then the chain through it."""
    return k.cross_entropy_renormalise or k.cross_entropy_clip > 0 or _nan_terms(k)


def _nan_terms(k: Knobs) -> bool:
    return k.cross_entropy_zero_terms == "nan"


def _prepared(k: Knobs, y) -> tuple[list, list]:
    """(y renormalised, then clipped): what ln is taken of."""
    y = list(y)
    if k.cross_entropy_renormalise:
        total = sum(y)
        y = [v / total if total else math.nan for v in y]
    c = k.cross_entropy_clip
    return y, ([min(max(v, c), 1.0 - c) for v in y] if c > 0 else y)


def _ln(v: float) -> float:
    return -INF if v == 0 else math.log(v)


def cross_entropy(k: Knobs, y, t) -> float:
    if k.cross_entropy in BINARY:
        total = -sum(
            tk * math.log(max(yk, L.TINY)) + (1 - tk) * math.log(max(1 - yk, L.TINY))
            for yk, tk in zip(y, t)
        )
        return total / len(y) if k.cross_entropy == "binary_mean" else total
    if k.cross_entropy == "of_logits":
        return L.cross_entropy_from_logits(y, t)
    _, y = _prepared(k, y)
    # every class's term, 0 ln 0 included (NaN), or the reference's (t = 0 terms skipped)
    nan_terms = -sum(tk * _ln(yk) for yk, tk in zip(y, t)) if _nan_terms(k) else None
    value = L.cross_entropy(y, t) if nan_terms is None else nan_terms
    value *= LOG_SCALE[k.cross_entropy] / (len(y) if k.cross_entropy == "mean" else 1)
    return -value if k.cross_entropy_sign == "plus" else value


def dE_dy(k: Knobs, loss: str, y, t) -> list:
    """The loss's gradient with respect to the outputs y."""
    if loss == "squared_error":
        c = SE_FACTOR[k.squared_error](len(y))
        return [c * g for g in L.squared_error_gradient(y, t)]
    if k.cross_entropy in BINARY:
        c = 1.0 / len(y) if k.cross_entropy == "binary_mean" else 1.0
        return [
            c * (-tk / max(yk, L.TINY) + (1 - tk) / max(1 - yk, L.TINY)) for yk, tk in zip(y, t)
        ]
    if k.cross_entropy == "of_logits":  # its own softmax on y: d/dy = softmax(y) sum(t) - t
        total = sum(t)
        return [sk * total - tk for sk, tk in zip(A.softmax(y), t)]
    c = 1.0 / len(y) if k.cross_entropy == "mean" else 1.0
    if not guarded(k):
        return [c * g for g in L.cross_entropy_gradient(y, t)]
    return [c * g for g in _guarded_gradient(k, y, t)]


def _guarded_gradient(k: Knobs, y, t) -> list:
    """-t / y through the clip (0 outside [c, 1 - c]) and the renormalisation y / sum(y)."""
    renormalised, clipped = _prepared(k, y)
    if _nan_terms(k):
        g = [_divide(-tk, yk) for yk, tk in zip(clipped, t)]
    else:
        g = L.cross_entropy_gradient(clipped, t)
    c = k.cross_entropy_clip
    if c > 0:
        g = [gk if c <= rk <= 1.0 - c else 0.0 for gk, rk in zip(g, renormalised)]
    if k.cross_entropy_renormalise:
        total = sum(y)
        inner = sum(gk * rk for gk, rk in zip(g, renormalised))
        g = [(gk - inner) / total for gk in g]
    return g


def _divide(a: float, b: float) -> float:
    """a / b as floating point arrays divide: 0/0 is NaN, a/0 an infinity."""
    if b != 0:
        return a / b
    return math.nan if a == 0 else math.copysign(INF, a) * math.copysign(1.0, b)
