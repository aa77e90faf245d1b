"""Implementations that are correct but written differently: diagnosis must name nothing.

Each returns what the reference returns, by another road: numpy arrays, tanh
through the sigmoid, cross-entropy through log-sum-exp, and a small float
noise well inside the tolerances.
"""

from __future__ import annotations

import math

import numpy as np

from nnref import reference
from nnref.conformance.protocol.names import PROTOCOL


def _arrays(fn):
    def wrapped(*args, **kw):
        out = fn(*args, **kw)
        if isinstance(out, tuple):
            return tuple(np.asarray(o) for o in out)
        if isinstance(out, list) and out and isinstance(out[0], dict):
            return [{k: np.asarray(v) for k, v in g.items()} for g in out]
        return np.asarray(out)

    return wrapped


def _tanh_through_sigmoid(u):
    return [2.0 * s - 1.0 for s in reference.sigmoid([2.0 * ui for ui in u])]


def _cross_entropy_bits(y, t):
    """-sum t ln y, computed in bits and converted: ln y = log2(y) ln 2. (The log-softmax of
    ln y is not another road: it renormalises y, which changes E where y does not sum to 1.)"""
    return -math.log(2) * sum(tk * math.log2(max(yk, 5e-324)) for yk, tk in zip(y, t) if tk != 0)


def _noisy(fn, scale=1e-13):
    def wrapped(*args):
        return [v * (1 + scale) for v in fn(*args)]

    return wrapped


NUMPY_RETURNS = {name: _arrays(getattr(reference, name)) for name in PROTOCOL}
OTHER_ROADS = {name: getattr(reference, name) for name in PROTOCOL} | {
    "tanh": _tanh_through_sigmoid,
    "cross_entropy": _cross_entropy_bits,
    "sigmoid": _noisy(reference.sigmoid),
}
BENIGN = {"numpy_returns": NUMPY_RETURNS, "other_roads": OTHER_ROADS}
