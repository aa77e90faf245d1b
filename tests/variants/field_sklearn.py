"""A thin adapter for scikit-learn's MLP internals: ``_forward_pass`` and ``_backprop`` of a
``MLPRegressor`` whose weights are the case's, the activations and losses of
``sklearn.neural_network._base``, and its own SGD and Adam optimizers.

Differences from the tutorial, read from the source (FIELD.md lists them with lines): the
bias is added, ReLU'(0) = 0, the squared loss is the halved mean over the outputs but its
output error is y - t, the output error is y - t for every output activation, the log loss
clips y into [eps, 1 - eps] with float64's eps, one activation serves every hidden layer,
and Adam is the efficient form. L2 regularisation is turned off (alpha = 0).
"""

from __future__ import annotations

import numpy as np
from sklearn.neural_network import MLPRegressor
from sklearn.neural_network import _base as B
from sklearn.neural_network._stochastic_optimizers import AdamOptimizer, SGDOptimizer

RIGHT_CONVENTIONS = {
    "threshold": "added",
    "relu_grad_at_zero": "0",
    "squared_error": "half_mean",
    "adam": "efficient",
}
NAME = {"sigmoid": "logistic", "identity": "identity", "tanh": "tanh", "relu": "relu"}
NAME["softmax"] = "softmax"
LOSS = {"squared_error": "squared_error", "cross_entropy": "log_loss"}


def _net(layers):
    """An MLPRegressor holding ``layers``: one hidden activation, any output activation."""
    hidden = {la["activation"] for la in layers[:-1]}
    acts = [la["activation"] for la in layers]
    if len(hidden) > 1 or "step" in acts or (hidden & {"softmax"}):
        raise NotImplementedError("scikit-learn's MLP: one of its hidden activations throughout")
    net = MLPRegressor(alpha=0.0)
    net.coefs_ = [np.asarray(la["W"], dtype=float) for la in layers]
    net.intercepts_ = [np.asarray(la["b"], dtype=float) for la in layers]
    net.n_layers_ = len(layers) + 1
    net.activation = NAME[hidden.pop()] if hidden else "identity"
    net.out_activation_ = NAME[layers[-1]["activation"]]
    return net


def _activations(net, x):
    return [np.asarray([x], dtype=float)] + [None] * (net.n_layers_ - 1)


def linear(x, W, b):
    return forward([{"W": W, "b": b, "activation": "identity"}], x)


def forward(layers, x):
    net = _net(layers)
    return net._forward_pass(_activations(net, x))[-1][0]


def _activation(name):
    def f(u):
        z = np.asarray([u], dtype=float)
        B.ACTIVATIONS[NAME[name]](z)
        return z[0]

    return f


sigmoid, tanh, relu, identity, softmax = map(
    _activation, ("sigmoid", "tanh", "relu", "identity", "softmax")
)


def squared_error(y, t):
    return B.squared_loss(np.asarray([t], dtype=float), np.asarray([y], dtype=float))


def cross_entropy(y, t):
    return B.log_loss(np.asarray([t], dtype=float), np.asarray([y], dtype=float))


def gradients(layers, x, t, loss):
    net = _net(layers)
    net.loss = LOSS[loss]
    n = len(layers)
    _, dW, db = net._backprop(
        np.asarray([x], dtype=float),
        np.asarray([t], dtype=float),
        None,
        _activations(net, x),
        [None] * n,
        [None] * n,
        [None] * n,
    )
    return [{"W": w, "b": b} for w, b in zip(dW, db)]


def sgd_step(w, g, lr):
    params = [np.asarray(w, dtype=float)]
    SGDOptimizer(params, learning_rate_init=lr, momentum=0.0, nesterov=False).update_params(
        params, [np.asarray(g, dtype=float)]
    )
    return params[0]


def adam_step(w, g, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    params = [np.asarray(w, dtype=float)]
    opt = AdamOptimizer(params, lr, beta1, beta2, eps)
    opt.t, opt.ms, opt.vs = t - 1, [np.asarray(m, dtype=float)], [np.asarray(v, dtype=float)]
    opt.update_params(params, [np.asarray(g, dtype=float)])
    return params[0], opt.ms[0], opt.vs[0]
