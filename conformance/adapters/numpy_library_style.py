"""A numpy network written the way most libraries write it, checked under its own conventions.

``nnref check nnref.conformance.adapters.numpy_library_style`` passes with no conversion: the
module declares the conventions it follows in ``nnref_conventions`` and nnref computes
the expected values under them. Compare ``numpy_impl.py``, written in the tutorial's
conventions. What differs from the tutorial here, as in PyTorch:

- a bias is added, u = W x + b (the tutorial subtracts a threshold, S1);
- W has one row per neuron, shape (out, in), like ``torch.nn.Linear.weight`` (S2);
- ReLU'(0) = 0 (the tutorial: 1, S8);
- the squared error is the mean over the outputs, like ``torch.nn.MSELoss`` (S13: 1/2 sum);
- Adam in the paper's efficient form, eps-hat added to sqrt(v) (S23: Algorithm 1).
"""

from __future__ import annotations

import numpy as np

nnref_conventions = {
    "threshold": "added",
    "weight_layout": "out_in",
    "relu_grad_at_zero": "0",
    "squared_error": "mean",
    "adam": "efficient",
}

TINY = np.finfo(np.float64).tiny


def linear(x, W, b):
    x, W, b = (np.asarray(a, dtype=float) for a in (x, W, b))
    if W.ndim != 2 or W.shape != (b.size, x.size):
        raise ValueError(f"W has shape {W.shape}, expected (len(b), len(x)) = {(b.size, x.size)}")
    return W @ x + b


def step(u):
    return np.where(np.asarray(u, dtype=float) >= 0, 1.0, 0.0)


def sigmoid(u):
    u = np.asarray(u, dtype=float)
    e = np.exp(-np.abs(u))
    return np.where(u >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def tanh(u):
    return np.tanh(np.asarray(u, dtype=float))


def relu(u):
    return np.maximum(np.asarray(u, dtype=float), 0.0)


def identity(u):
    return np.array(u, dtype=float)


def softmax(u):
    u = np.asarray(u, dtype=float)
    e = np.exp(u - u.max())
    return e / e.sum()


ACTIVATIONS = {
    "step": step,
    "sigmoid": sigmoid,
    "tanh": tanh,
    "relu": relu,
    "identity": identity,
    "softmax": softmax,
}

#: dL/du from (u, y, dL/dy), one per activation.
BACKWARD = {
    "sigmoid": lambda u, y, dy: dy * y * (1.0 - y),
    "tanh": lambda u, y, dy: dy * (1.0 - y * y),
    "relu": lambda u, y, dy: dy * (u > 0),
    "identity": lambda u, y, dy: dy,
    "softmax": lambda u, y, dy: y * (dy - dy @ y),
}


def _same_shape(*arrays):
    """The arrays as floats, or a ValueError when their shapes differ (no broadcasting)."""
    arrays = [np.asarray(a, dtype=float) for a in arrays]
    if len({a.shape for a in arrays}) > 1:
        raise ValueError(f"shapes differ: {[a.shape for a in arrays]}")
    return arrays


def squared_error(y, t):
    y, t = _same_shape(y, t)
    return float(np.mean((y - t) ** 2))


def cross_entropy(y, t):
    y, t = _same_shape(y, t)
    hot = t != 0
    if np.any(y[hot] < 0):
        raise ValueError("cross_entropy: an output y < 0 where t != 0 has no logarithm")
    return float(-np.sum(t[hot] * np.log(np.maximum(y[hot], TINY))))


def _loss_grad(loss, y, t):
    if loss == "squared_error":
        return 2.0 * (y - t) / y.size
    if loss == "cross_entropy":
        return np.where(t != 0, -t / np.maximum(y, TINY), 0.0)
    raise ValueError(f"unknown loss {loss!r}")


def forward(layers, x):
    a = np.asarray(x, dtype=float)
    for layer in layers:
        a = ACTIVATIONS[layer["activation"]](linear(a, layer["W"], layer["b"]))
    return a


def gradients(layers, x, t, loss):
    a, cache = np.asarray(x, dtype=float), []
    for layer in layers:
        u = linear(a, layer["W"], layer["b"])
        y = ACTIVATIONS[layer["activation"]](u)
        cache.append((a, u, y))
        a = y
    y, t = _same_shape(cache[-1][2], t)
    x_in, u, _ = cache[-1]
    last = layers[-1]["activation"]
    if last == "softmax" and loss == "cross_entropy":
        delta = y * t.sum() - t
    elif last == "sigmoid" and loss == "cross_entropy":  # from the logits, as BCE-with-logits
        delta = -t * sigmoid(-u)
    else:
        delta = BACKWARD[last](u, y, _loss_grad(loss, y, t))
    grads = []
    for i in range(len(layers) - 1, -1, -1):
        x_in = cache[i][0]
        grads.append({"W": np.outer(delta, x_in), "b": delta})
        if i > 0:
            dx = np.asarray(layers[i]["W"], dtype=float).T @ delta
            _, u, y = cache[i - 1]
            delta = BACKWARD[layers[i - 1]["activation"]](u, y, dx)
    return grads[::-1]


def sgd_step(w, g, lr):
    w, g = _same_shape(w, g)
    return w - lr * g


def adam_step(w, g, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 1:
        raise ValueError(f"adam_step: the step number t counts from 1, got {t}")
    w, g, m, v = _same_shape(w, g, m, v)
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g * g
    lr_t = lr * np.sqrt(1 - beta2**t) / (1 - beta1**t)
    return w - lr_t * m / (np.sqrt(v) + eps), m, v


def box_muller(x, y):
    if not 0.0 < x <= 1.0:
        raise ValueError(f"box_muller: x must lie in (0, 1], got {x}")
    return float(np.sqrt(-2.0 * np.log(x)) * np.cos(2.0 * np.pi * y))
