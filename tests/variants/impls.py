"""Implementations for the variants' tests: the library-style module with a mistake put in."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np

from nnref.conformance.adapters import numpy_library_style as lib
from nnref.conformance.protocol.names import PROTOCOL


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
    from nnref.conformance.variants.knobs import knobs
    from nnref.conformance.variants.mutant import protocol

    return SimpleNamespace(**protocol(knobs(**changes)))


#: The reference with ReLU'(0) = 1/2 (autodiff of maximum(u, 0)), and with ReLU'(0) = 1/4.
RELU_HALF = _model_with(relu_grad_at_zero="0.5")
RELU_QUARTER = _model_with(relu_grad_at_zero="0.25")


def _torch_style_linear(x, W, b):
    """torch.nn.functional.linear's x W^T + b, given the tutorial's (in, out) W."""
    return np.asarray(x, dtype=float) @ np.asarray(W, dtype=float).T + np.asarray(b, dtype=float)


#: W read as (out, in) and the bias added: a shape error on every non-square layer.
TORCH_STYLE_LINEAR = SimpleNamespace(linear=_torch_style_linear)


def _sklearn_style():
    """scikit-learn's MLP: the loss is the halved mean over the outputs, the output error
    y - t for every output activation (never divided by the number of outputs)."""
    from nnref.conformance.variants.knobs import knobs
    from nnref.conformance.variants.mutant import protocol

    loss = protocol(knobs(threshold="added", squared_error="half_mean"))["squared_error"]
    grads = protocol(knobs(threshold="added", output_delta="y_minus_t"))["gradients"]
    return SimpleNamespace(
        squared_error=loss, gradients=grads, nnref_conventions={"threshold": "added"}
    )


SKLEARN_STYLE = _sklearn_style()


def _autodiff_of_unguarded_cross_entropy():
    """Gradients by autodiff of -sum t ln y (0 ln 0 = NaN where y underflowed), next to a
    correct softmax that subtracts max(u)."""
    from nnref.conformance.variants.knobs import knobs
    from nnref.conformance.variants.mutant import protocol

    fns = protocol(knobs(cross_entropy_zero_terms="nan"))
    return SimpleNamespace(softmax=lib.softmax, gradients=fns["gradients"])


UNGUARDED_CE_AUTODIFF = _autodiff_of_unguarded_cross_entropy()
