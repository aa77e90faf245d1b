"""Implementations for the variants' tests: the library-style module with a mistake put in."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np

from conformance.adapters import numpy_library_style as lib
from conformance.names import PROTOCOL


def _sgd_plus(w, g, lr):
    return np.asarray(w, dtype=float) + lr * np.asarray(g, dtype=float)


#: Library conventions declared, and SGD adds the gradient (a mistake under any convention).
LIBRARY_SGD_PLUS = SimpleNamespace(
    **{name: getattr(lib, name) for name in PROTOCOL},
    nnref_conventions=dict(lib.nnref_conventions),
)
LIBRARY_SGD_PLUS.sgd_step = _sgd_plus


def _softmax_unshifted(u):
    e = [math.exp(v) for v in u]
    return [v / sum(e) for v in e]


#: Softmax written from the formula with math.exp: e^1000 raises OverflowError.
SOFTMAX_MATH_EXP = SimpleNamespace(softmax=_softmax_unshifted)


def _model_with(**changes) -> SimpleNamespace:
    from conformance.variants.knobs import knobs
    from conformance.variants.model import protocol

    return SimpleNamespace(**protocol(knobs(**changes)))


#: The reference with ReLU'(0) = 1/2 (autodiff of maximum(u, 0)), and with ReLU'(0) = 1/4.
RELU_HALF = _model_with(relu_grad_at_zero="0.5")
RELU_QUARTER = _model_with(relu_grad_at_zero="0.25")
