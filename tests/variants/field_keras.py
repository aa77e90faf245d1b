"""A thin adapter for Keras 3 (torch backend): every number comes from Keras's own layers,
activations, losses and optimizers; the adapter only moves arguments in and results out.

Keras computes in float32 (its floatx). Gradients are torch's autograd through the Keras
layers and loss, as ``model.fit`` computes them. Differences from the tutorial, read from
Keras's source (FIELD.md lists them with files and lines): the bias is added, ReLU'(0) = 0
(torch.relu), the squared error is the mean over the outputs, Adam is the paper's efficient
form, and categorical_crossentropy renormalises y and clips it into [1e-7, 1 - 1e-7].
"""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras
import numpy as np
import torch

#: The conventions Keras follows; the cross-entropy's guards are not conventions.
RIGHT_CONVENTIONS = {
    "threshold": "added",
    "squared_error": "mean",
    "relu_grad_at_zero": "0",
    "adam": "efficient",
    "precision": "float32",
}
ACTIVATION = {"identity": "linear", "step": None}
LOSS = {
    "squared_error": keras.losses.mean_squared_error,
    "cross_entropy": keras.losses.categorical_crossentropy,
}


def _plain(t):
    return keras.ops.convert_to_numpy(t).astype(float).tolist()


def _dense(W, b, activation):
    W = np.asarray(W, dtype="float32")
    layer = keras.layers.Dense(W.shape[1], activation=ACTIVATION.get(activation, activation))
    layer.build((None, W.shape[0]))
    layer.set_weights([W, np.asarray(b, dtype="float32")])
    return layer


def linear(x, W, b):
    return _plain(_dense(W, b, "identity")(np.asarray([x], dtype="float32"))[0])


def _activation(name):
    fn = keras.activations.get(ACTIVATION.get(name, name))
    return lambda u: _plain(fn(keras.ops.convert_to_tensor(np.asarray([u], dtype="float32")))[0])


sigmoid, tanh, relu, identity, softmax = map(
    _activation, ("sigmoid", "tanh", "relu", "identity", "softmax")
)


def _loss(name):
    fn = LOSS[name]
    return lambda y, t: float(
        fn(np.asarray([t], dtype="float32"), np.asarray([y], dtype="float32"))[0]
    )


squared_error, cross_entropy = _loss("squared_error"), _loss("cross_entropy")


def _model(layers):
    for la in layers:
        if la["activation"] == "step":
            raise NotImplementedError("Keras has no step activation")
    return [_dense(la["W"], la["b"], la["activation"]) for la in layers]


def _run(model, x):
    y = keras.ops.convert_to_tensor(np.asarray([x], dtype="float32"))
    for layer in model:
        y = layer(y)
    return y


def forward(layers, x):
    return _plain(_run(_model(layers), x)[0])


def gradients(layers, x, t, loss):
    model = _model(layers)
    value = LOSS[loss](np.asarray([t], dtype="float32"), _run(model, x))[0]
    params = [p.value for layer in model for p in (layer.kernel, layer.bias)]
    grads = torch.autograd.grad(value, params)
    return [{"W": _plain(grads[2 * i]), "b": _plain(grads[2 * i + 1])} for i in range(len(model))]


def _tensor(a):
    return keras.ops.convert_to_tensor(np.asarray(a, dtype="float32"))


def sgd_step(w, g, lr):
    var = keras.Variable(np.asarray(w, dtype="float32"))
    keras.optimizers.SGD(learning_rate=lr).apply([_tensor(g)], [var])
    return _plain(var)


def adam_step(w, g, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    var = keras.Variable(np.asarray(w, dtype="float32"))
    opt = keras.optimizers.Adam(learning_rate=lr, beta_1=beta1, beta_2=beta2, epsilon=eps)
    opt.build([var])
    opt._momentums[0].assign(np.asarray(m, dtype="float32"))
    opt._velocities[0].assign(np.asarray(v, dtype="float32"))
    opt.iterations.assign(t - 1)
    opt.apply([_tensor(g)], [var])
    return _plain(var), _plain(opt._momentums[0]), _plain(opt._velocities[0])
