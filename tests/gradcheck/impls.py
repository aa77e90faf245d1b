"""Small protocol implementations for ``nnref gradcheck`` tests: one correct, several broken.

``correct`` is a complete numpy implementation of forward, both losses and
gradients (u = xW - b, S1/S2; backprop S15-S20). The others differ from it in
exactly one way each.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from nnref.conformance.casebank import nets


def _forward(layers, x):
    y = np.asarray(x, dtype=float)
    for layer in layers:
        u = y @ np.asarray(layer["W"], float) - np.asarray(layer["b"], float)
        y = nets.activate(layer["activation"], u)
    return y.tolist()


def _squared_error(y, t):
    return float(0.5 * np.sum((np.asarray(y) - np.asarray(t)) ** 2))


def _cross_entropy(y, t):
    t = np.asarray(t, float)
    y = np.asarray(y, float)
    mask = t != 0
    return float(-np.sum(t[mask] * np.log(y[mask])))


def _make_gradients(bug=None):
    def gradients(layers, x, t, loss, relu_grad_at_zero=1.0):
        params = {}
        for l, layer in enumerate(layers, start=1):
            params[f"W{l}"] = np.asarray(layer["W"], float)
            params[f"b{l}"] = np.asarray(layer["b"], float)
        hidden = layers[0]["activation"] if len(layers) > 1 else "identity"
        output = layers[-1]["activation"]
        g = nets.gradients(
            params,
            np.asarray(x, float),
            np.asarray(t, float),
            hidden,
            output,
            loss,
            bug,
            relu_grad_at_zero,
        )
        return [{"W": g[f"W{l}"], "b": g[f"b{l}"]} for l in range(1, len(layers) + 1)]

    return gradients


def _impl(**overrides):
    base = {
        "forward": _forward,
        "squared_error": _squared_error,
        "cross_entropy": _cross_entropy,
        "gradients": _make_gradients(),
    }
    base.update(overrides)
    return SimpleNamespace(**{k: v for k, v in base.items() if v is not None})


def _raising_gradients(layers, x, t, loss):
    raise ValueError("backward not implemented yet")


def _without_relu_kwarg(layers, x, t, loss):
    return _make_gradients()(layers, x, t, loss)


def _relu_zero_gradients(layers, x, t, loss):
    return _make_gradients()(layers, x, t, loss, relu_grad_at_zero=0.0)


def _relu_half_gradients(layers, x, t, loss):
    return _make_gradients()(layers, x, t, loss, relu_grad_at_zero=0.5)


def _ragged_forward(layers, x):
    return [[0.5, 0.25], [1.0]]  # not an array nnref can read


correct = _impl()
no_relu_kwarg = _impl(gradients=_without_relu_kwarg)  # like autograd adapters: own ReLU'(0)
broken_bias = _impl(gradients=_make_gradients("bias_sign"))  # db = +delta (S20)
broken_tanh = _impl(gradients=_make_gradients("deriv_no_square"))  # tanh' = 1 - y (S7)
relu_zero = _impl(gradients=_relu_zero_gradients)  # ReLU'(0) = 0, like most libraries
relu_half = _impl(gradients=_relu_half_gradients)  # ReLU'(0) = 1/2, between the sides
ragged_forward = _impl(forward=_ragged_forward)
no_forward = _impl(forward=None)
no_cross_entropy = _impl(cross_entropy=None)
raises = _impl(gradients=_raising_gradients)
