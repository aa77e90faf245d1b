"""A student's numpy network with one classic bug, checked on the docs' "Checking" page.

Everything follows the protocol (conformance/protocol/README.md); the bug is in ``gradients``: the
threshold gradient is +delta, but the threshold is subtracted (u = xW - b), so
dE/db = -delta (S20). ``nnref check`` names the failing cases and indices.
"""

import numpy as np


def linear(x, W, b):
    return np.asarray(x) @ np.asarray(W) - np.asarray(b)


def relu(u):
    return np.maximum(np.asarray(u, dtype=float), 0.0)


def softmax(u):
    z = np.exp(np.asarray(u, dtype=float) - np.max(u))
    return z / z.sum()


def forward(layers, x):
    y = np.asarray(x, dtype=float)
    for layer in layers:
        y = {"relu": relu, "softmax": softmax}[layer["activation"]](
            linear(y, layer["W"], layer["b"])
        )
    return y


def gradients(layers, x, t, loss):
    xs, ys = [np.asarray(x, dtype=float)], []
    for layer in layers:
        u = linear(xs[-1], layer["W"], layer["b"])
        y = relu(u) if layer["activation"] == "relu" else softmax(u)
        ys.append((u, y))
        xs.append(y)
    delta = xs[-1] - np.asarray(t, dtype=float)  # softmax + cross-entropy (S15)
    grads = []
    for k in reversed(range(len(layers))):
        W = np.asarray(layers[k]["W"], dtype=float)
        grads.append({"W": np.outer(xs[k], delta), "b": delta})  # BUG: should be -delta
        if k:
            delta = (W @ delta) * (ys[k - 1][0] >= 0)
    return grads[::-1]
