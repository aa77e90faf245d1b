"""A small numpy MLP with hand-written backprop (u = xW - b, SPEC S1/S2, S15-S20), and bugs.

Used by the bank (correct and deliberately wrong gradients) and the benchmark.
``bug`` names one deliberate mistake; ``None`` is the correct backprop.
"""

from __future__ import annotations

import itertools

import numpy as np

BUGS = (
    "bias_sign",  # db = +delta instead of -delta (S20)
    "act_deriv",  # hidden derivative f(u) instead of f'(u) (S6/S7/S8)
    "transpose_W",  # dW = outer(delta, x) (square layers only)
    "half_loss",  # forgets the 1/2 of the squared error: a factor 2 (S13)
    "missing_act",  # hidden delta without the activation derivative (S19)
    "wrong_layer_x",  # dW of layer l uses the layer's output, not its input (off by one)
    "softmax_as_identity",  # output delta y - t for softmax + squared error (E4)
    "deriv_no_square",  # tanh' = 1 - y instead of 1 - y^2 (S7)
    "backprop_WT",  # dx = W^T delta instead of W delta (square layers only)
    "mean_loss",  # output error divided by the number of outputs: a mean, not the sum (E6)
)


def activate(name: str, u: np.ndarray) -> np.ndarray:
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-u))
    if name == "tanh":
        return np.tanh(u)
    if name == "relu":
        return np.maximum(u, 0.0)
    if name == "identity":
        return u
    if name == "softmax":
        e = np.exp(u - np.max(u))
        return e / e.sum()
    raise ValueError(name)


def derivative(name: str, u: np.ndarray, y: np.ndarray, relu_at_zero: float = 1.0) -> np.ndarray:
    """f'(u), from the recorded output where the tutorial does (S6, S7, S8)."""
    if name == "sigmoid":
        return y * (1.0 - y)
    if name == "tanh":
        return 1.0 - y**2
    if name == "relu":
        return np.where(u > 0, 1.0, np.where(u < 0, 0.0, relu_at_zero))
    if name == "identity":
        return np.ones_like(u)
    raise ValueError(name)


def make_params(sizes, rng, scale=1.0, bias=0.3) -> dict:
    params = {}
    for l, (n_in, n_out) in enumerate(itertools.pairwise(sizes), start=1):
        params[f"W{l}"] = scale * rng.standard_normal((n_in, n_out)) / np.sqrt(n_in)
        params[f"b{l}"] = bias * rng.standard_normal(n_out)
    return params


def forward(params, x, hidden, output):
    """Activations ``ys`` (ys[0] = x) and pre-activations ``us``; u = xW - b (S1, S2)."""
    L = len(params) // 2
    ys, us = [np.asarray(x, float)], []
    for l in range(1, L + 1):
        u = ys[-1] @ params[f"W{l}"] - params[f"b{l}"]
        us.append(u)
        ys.append(activate(output if l == L else hidden, u))
    return ys, us


def loss(params, x, t, hidden, output, loss_name) -> float:
    y = forward(params, x, hidden, output)[0][-1]
    if loss_name == "squared_error":
        return float(0.5 * np.sum((y - t) ** 2))
    return float(-np.sum(t * np.log(y)))


def gradients(params, x, t, hidden, output, loss_name, bug=None, relu_at_zero=1.0) -> dict:
    """dE/dW, dE/db for every layer by backprop (S15-S20), with an optional ``bug``."""
    ys, us = forward(params, x, hidden, output)
    L = len(us)
    y = ys[-1]
    delta = _output_delta(y, t, output, loss_name, bug)
    grads = {}
    for l in range(L, 0, -1):
        x_in = ys[l] if bug == "wrong_layer_x" else ys[l - 1]  # off by one (square layers)
        grads[f"W{l}"] = np.outer(delta, x_in) if bug == "transpose_W" else np.outer(x_in, delta)
        grads[f"b{l}"] = delta.copy() if bug == "bias_sign" else -delta
        if l > 1:
            W = params[f"W{l}"]
            back = W.T @ delta if bug == "backprop_WT" else W @ delta
            u, yh = us[l - 2], ys[l - 1]
            if bug == "missing_act":
                delta = back
            elif bug == "act_deriv":
                delta = back * yh
            elif bug == "deriv_no_square" and hidden == "tanh":
                delta = back * (1.0 - yh)
            else:
                delta = back * derivative(hidden, u, yh, relu_at_zero)
    return grads


def _output_delta(y, t, output, loss_name, bug):
    if loss_name == "squared_error":
        g = y - t
        if bug == "half_loss":
            g = 2.0 * g
        if bug == "mean_loss":
            g = g / len(g)
        if output == "identity" or bug == "softmax_as_identity":
            return g
        if output == "sigmoid":
            return g * y * (1.0 - y)
        return y * (g - np.dot(y, g))  # softmax Jacobian (symmetric)
    if output == "softmax":  # S15: y - t for the logits
        return y - t
    if output == "sigmoid":
        return -t * (1.0 - y)
    raise ValueError("cross_entropy needs a softmax or sigmoid output")


def as_layers(params: dict, hidden: str, output: str) -> list[dict]:
    """The protocol's layers ``[{"W", "b", "activation"}, ...]`` as Python lists."""
    L = len(params) // 2
    return [
        {
            "W": params[f"W{l}"].tolist(),
            "b": params[f"b{l}"].tolist(),
            "activation": output if l == L else hidden,
        }
        for l in range(1, L + 1)
    ]
