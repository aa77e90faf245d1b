"""The library-style numpy module made to pass under the tutorial's conventions by converting.

This is what a user had to write before conventions could be declared: every
convention undone by hand around the library's functions. It exists to measure
(and to prove) what declaring ``nnref_conventions`` saves.
"""

from __future__ import annotations

import math

import numpy as np

from nnref.conformance.adapters import numpy_library_style as lib

step, sigmoid, tanh, relu = lib.step, lib.sigmoid, lib.tanh, lib.relu
identity, softmax, cross_entropy = lib.identity, lib.softmax, lib.cross_entropy
sgd_step, box_muller = lib.sgd_step, lib.box_muller


def _library_layers(layers):
    """(in, out) W and subtracted thresholds -> (out, in) W and added biases."""
    return [
        {**la, "W": np.asarray(la["W"], dtype=float).T, "b": -np.asarray(la["b"], dtype=float)}
        for la in layers
    ]


def linear(x, W, b):
    return lib.linear(x, np.asarray(W, dtype=float).T, -np.asarray(b, dtype=float))


def forward(layers, x):
    return lib.forward(_library_layers(layers), x)


def squared_error(y, t):
    return 0.5 * len(y) * lib.squared_error(y, t)  # mean -> halved sum


def gradients(layers, x, t, loss):
    lib_layers = _library_layers(layers)
    grads = lib.gradients(lib_layers, x, t, loss)
    if loss == "squared_error":
        grads = [{k: g * len(t) / 2 for k, g in la.items()} for la in grads]
    grads = _relu_at_zero_one(layers, lib_layers, x, t, loss, grads)
    return [{"W": g["W"].T, "b": -g["b"]} for g in grads]


def _relu_at_zero_one(layers, lib_layers, x, t, loss, grads):
    """ReLU'(0) = 1 instead of the library's 0: redo the backward pass where a ReLU sits at 0."""
    a, us = np.asarray(x, dtype=float), []
    for la in lib_layers:
        u = lib.linear(a, la["W"], la["b"])
        us.append(u)
        a = lib.ACTIVATIONS[la["activation"]](u)
    if not any(la["activation"] == "relu" and (u == 0).any() for la, u in zip(layers, us)):
        return grads
    from nnref.reference import gradients as tutorial_gradients  # no numpy way around it here

    out = tutorial_gradients(layers, list(x), list(t), loss)
    return [{"W": np.asarray(g["W"]).T, "b": -np.asarray(g["b"])} for g in out]


def adam_step(w, g, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """Algorithm 1's eps is the efficient form's eps-hat = eps sqrt(1 - beta2^t)."""
    return lib.adam_step(w, g, m, v, t, lr, beta1, beta2, eps * math.sqrt(1 - beta2**t))
