"""The reference with W stored as (out, in), one row per neuron, as torch.nn.Linear stores it.

``undeclared`` says nothing about its layout; ``declared`` says it with
``nnref_conventions``. ``numpy_float32`` also takes numpy float32 arrays (and
refuses anything else), declaring ``input_type=numpy`` and ``precision=float32``.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from nnref import reference


def _transposed(W):
    return [list(col) for col in zip(*W)]


def _in_out(layers):
    """The layers in the reference's layout; W must be (out, in) for the next layer's input."""
    return [{**layer, "W": _transposed(layer["W"])} for layer in layers]


def forward(layers, x):
    return reference.forward(_in_out(layers), x)


def gradients(layers, x, t, loss):
    grads = reference.gradients(_in_out(layers), x, t, loss)
    return [{"W": _transposed(g["W"]), "b": g["b"]} for g in grads]


def _protocol(**extra):
    fns = {
        "forward": forward,
        "gradients": gradients,
        "squared_error": reference.squared_error,
        "cross_entropy": reference.cross_entropy,
    }
    return SimpleNamespace(**fns, **extra)


undeclared = _protocol()
declared = _protocol(nnref_conventions={"weight_layout": "out_in"})


def _arrays(value, name):
    if not isinstance(value, np.ndarray) or value.dtype != np.float32:
        raise TypeError(f"{name} must be a float32 numpy array, got {type(value).__name__}")
    return value


def _f32_forward(layers, x):
    y = _arrays(x, "x")
    for layer in layers:
        W, b = _arrays(layer["W"], "W"), _arrays(layer["b"], "b")
        u = W @ y - b
        y = np.asarray(reference.forward([_one(layer["activation"], len(b))], u.tolist()))
        y = y.astype(np.float32)
    return y


def _one(activation, n):
    """An identity layer of n units followed by ``activation``: the reference's activation."""
    return {"W": np.eye(n).tolist(), "b": [0.0] * n, "activation": activation}


def _f32_gradients(layers, x, t, loss):
    layers = [{**la, "W": _arrays(la["W"], "W").tolist(), "b": la["b"].tolist()} for la in layers]
    grads = gradients(layers, _arrays(x, "x").tolist(), t.tolist(), loss)
    return [{"W": np.float32(g["W"]), "b": np.float32(g["b"])} for g in grads]


def _f32_loss(name):
    def loss(y, t):
        return np.float32(getattr(reference, name)(_arrays(y, "y").tolist(), t.tolist()))

    return loss


numpy_float32 = SimpleNamespace(
    forward=_f32_forward,
    gradients=_f32_gradients,
    squared_error=_f32_loss("squared_error"),
    cross_entropy=_f32_loss("cross_entropy"),
    nnref_conventions={"weight_layout": "out_in", "input_type": "numpy", "precision": "float32"},
)
