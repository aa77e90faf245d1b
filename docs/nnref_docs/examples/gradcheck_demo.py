"""Gradient-checker examples shown (source and output) on the docs' gradient-checker page."""

import numpy as np

from nnref.conformance.finitediff import gradcheck

rng = np.random.default_rng(0)
x = rng.normal(size=4)  # one sample, 4 inputs
t = np.array([0.0, 1.0, 0.0])  # its one-hot teacher
params = {"W": rng.normal(size=(4, 3)), "b": rng.normal(size=3)}


def loss(p):
    """Softmax + cross-entropy of one layer, u = xW - b (S1, S14)."""
    u = x @ p["W"] - p["b"]
    y = np.exp(u - u.max()) / np.exp(u - u.max()).sum()
    return float(-np.sum(t * np.log(y)))


def analytic(p, bias_sign=-1.0):
    """delta = y - t (S15); dW = x^T delta, db = -delta (S20)."""
    u = x @ p["W"] - p["b"]
    y = np.exp(u - u.max()) / np.exp(u - u.max()).sum()
    delta = y - t
    return {"W": np.outer(x, delta), "b": bias_sign * delta}


def right():
    return gradcheck(loss, params, analytic(params))


def wrong_bias_sign():
    return gradcheck(loss, params, analytic(params, bias_sign=+1.0))


def relu_kink():
    """sum(relu(v)) at points where some entries are exactly 0: ReLU's kink."""
    v = np.array([-1.0, 0.0, 2.0, 0.0])
    return gradcheck(lambda v: float(np.maximum(v, 0).sum()), v, (v >= 0).astype(float))


def fast_one_wrong_entry():
    """20,000 parameters, one wrong entry of the gradient; fast mode finds it."""
    w = np.random.default_rng(1).normal(size=20_000)
    grad = 2 * w
    grad[13_337] += 0.5  # one wrong entry
    return gradcheck(lambda w: float(np.dot(w, w)), w, grad, fast=True, seed=0)
