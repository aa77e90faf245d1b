"""Small implementations in the styles of public from-scratch code, written for these tests.

Each mirrors one behaviour seen in a real library when nnref was tried on it (see
conformance/variants/FIELD.md); none is copied from one. They take and return numpy
arrays and declare the conventions their authors follow.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np


def _a(x):
    return np.asarray(x, dtype=float)


def _bias_network(relu_grad_at_zero: float):
    """A scalar-autograd style network: one row of W per neuron, bias added, relu and
    identity layers only, squared error written as the plain sum of squares."""

    def forward_records(layers, x):
        records, a = [], _a(x)
        for la in layers:
            u = _a(la["W"]) @ a + _a(la["b"])
            y = np.maximum(u, 0.0) if la["activation"] == "relu" else u
            records.append((a, u))
            a = y
        return records, a

    def forward(layers, x):
        return forward_records(layers, x)[1]

    def gradients(layers, x, t, loss):
        records, y = forward_records(layers, x)
        delta = 2.0 * (y - _a(t))  # d/dy of sum (y - t)^2; the last layer is identity
        grads = []
        for i in range(len(layers) - 1, -1, -1):
            a, u = records[i]
            if layers[i]["activation"] == "relu":
                delta = delta * np.where(u > 0, 1.0, np.where(u == 0, relu_grad_at_zero, 0.0))
            grads.append({"W": np.outer(delta, a), "b": delta})
            delta = _a(layers[i]["W"]).T @ delta
        return grads[::-1]

    return SimpleNamespace(
        forward=forward,
        gradients=gradients,
        nnref_conventions={
            "threshold": "added",
            "weight_layout": "out_in",
            "squared_error": "sum",
            "relu_grad_at_zero": str(int(relu_grad_at_zero)),
        },
    )


#: ReLU'(0) = 0 (the output's gradient test is u > 0), declared as 0: correct.
BIAS_RELU0_DECLARED = _bias_network(0.0)
#: The same code declaring only bias, layout and loss: ReLU'(0) = 0 goes undeclared.
BIAS_RELU0_UNDECLARED = _bias_network(0.0)
del BIAS_RELU0_UNDECLARED.nnref_conventions["relu_grad_at_zero"]


def _loss_mean_gradient_sum():
    """Built from nnref's own variant model: the loss of one convention, the gradients of
    another, both with the bias added."""
    from nnref.conformance.variants.knobs import knobs
    from nnref.conformance.variants.mutant import protocol

    loss = protocol(knobs(threshold="added", squared_error="half_mean"))["squared_error"]
    grads = protocol(knobs(threshold="added", squared_error="half_sum"))["gradients"]
    conventions = {"threshold": "added", "squared_error": "half_mean"}
    return SimpleNamespace(squared_error=loss, gradients=grads, nnref_conventions=conventions)


#: The reported loss is the mean over the outputs of 1/2 (y - t)^2 while the gradients are the
#: halved sum's (no 1/n), as in a library whose network averages the elementwise loss it
#: differentiates: declaring either squared_error convention leaves the other failing.
LOSS_MEAN_GRADIENT_SUM = _loss_mean_gradient_sum()


def _binary_cross_entropy_mean(y, t):
    """Binary cross-entropy per output, then averaged, as Keras's binary_crossentropy and
    torch.nn.BCELoss (reduction='mean') compute it; outputs clipped away from 0 and 1."""
    y, t = np.clip(_a(y), 1e-300, 1.0 - 1e-16), _a(t)
    return float(np.mean(-(t * np.log(y) + (1.0 - t) * np.log1p(-y))))


#: A library's binary cross-entropy offered as the protocol's (categorical) cross_entropy.
BINARY_CE_MEAN = SimpleNamespace(cross_entropy=_binary_cross_entropy_mean)


def _tanh_for_arrays(u):
    """tanh through the logistic function, written for arrays: on a list, -2 * u is []."""
    return 2.0 / (1.0 + np.exp(-2 * u)) - 1.0


def _sgd_for_arrays(w, g, lr):
    return w - lr * g  # on lists: "can't multiply sequence by non-int of type 'float'"


#: Code written for numpy arrays, handed the protocol's plain lists.
ARRAY_CODE_GIVEN_LISTS = SimpleNamespace(tanh=_tanh_for_arrays, sgd_step=_sgd_for_arrays)


def _adam_per_weight(w, g, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """Adam kept per weight, as code with one object per weight does it; a weight whose
    gradient is exactly 0 is left alone (no step, its moments not decayed)."""
    out_w, out_m, out_v = [], [], []
    for wi, gi, mi, vi in zip(w, g, m, v):
        if gi != 0:
            mi = beta1 * mi + (1 - beta1) * gi
            vi = beta2 * vi + (1 - beta2) * gi * gi
            m_hat, v_hat = mi / (1 - beta1**t), vi / (1 - beta2**t)
            wi = wi - lr * m_hat / (v_hat**0.5 + eps)
        out_w.append(wi)
        out_m.append(mi)
        out_v.append(vi)
    return out_w, out_m, out_v


#: One entry of the gradient 0 is enough for the skip to show (adam_step-small-gradient-002).
ADAM_PER_WEIGHT_SKIP = SimpleNamespace(adam_step=_adam_per_weight)


def _tutorial_code_gradients(layers, x, t, loss):
    """Backpropagation as the tutorial's own code does it: the output error is y - t for any
    output and loss, tanh's derivative is taken from the incoming gradient g as g (1 - g^2),
    and ReLU's from its output (0 where the output is 0). u = xW - b, W (in, out)."""
    acts = {
        "identity": lambda u: u,
        "relu": lambda u: np.maximum(u, 0.0),
        "tanh": np.tanh,
        "sigmoid": lambda u: 0.5 * (1.0 + np.tanh(0.5 * u)),
        "softmax": lambda u: np.exp(u - u.max()) / np.exp(u - u.max()).sum(),
    }
    back = {
        "identity": lambda y, g: g,
        "relu": lambda y, g: g * (y != 0),
        "tanh": lambda y, g: g * (1.0 - g**2),
        "sigmoid": lambda y, g: g * y * (1.0 - y),
    }
    if any(la["activation"] not in acts for la in layers):
        raise ValueError("no step")
    ins, outs, a = [], [], _a(x)
    for la in layers:
        ins.append(a)
        a = acts[la["activation"]](a @ _a(la["W"]) - _a(la["b"]))
        outs.append(a)
    g, grads = a - _a(t), []
    for i in range(len(layers) - 1, -1, -1):
        if i < len(layers) - 1:
            g = back[layers[i]["activation"]](outs[i], g)
        grads.append({"W": np.outer(ins[i], g), "b": -g})
        g = _a(layers[i]["W"]) @ g
    return grads[::-1]


#: Only the hidden layers' derivatives are taken (any hidden softmax is refused).
TUTORIAL_CODE = SimpleNamespace(gradients=_tutorial_code_gradients)


def _without_sigmoid(layers, x, t, loss):
    """The tutorial's code cannot run a sigmoid layer at all (a NameError in its sigmoid)."""
    if any(la["activation"] == "sigmoid" for la in layers):
        raise NameError("name 'neuron' is not defined")
    return _tutorial_code_gradients(layers, x, t, loss)


#: As TUTORIAL_CODE, but sigmoid layers raise: no case then tells y - t from dE/dy.
TUTORIAL_CODE_NO_SIGMOID = SimpleNamespace(gradients=_without_sigmoid)


def _clipped_cross_entropy(y, t):
    """Categorical cross-entropy with ln's argument clipped at 1e-15, as many libraries do."""
    return float(-np.sum(_a(t) * np.log(np.clip(_a(y), 1e-15, 1.0))))


#: Right everywhere but where y is below the clip (cross_entropy-extreme: y = 1e-300).
CLIPPED_CROSS_ENTROPY = SimpleNamespace(cross_entropy=_clipped_cross_entropy)


def _tanh_from_exponentials(u):
    """tanh from its definition with math.exp, as the tutorial's code writes it."""
    import math

    return [(math.exp(v) - math.exp(-v)) / (math.exp(v) + math.exp(-v)) for v in u]


#: e^1000 raises OverflowError on the extreme tanh case.
TANH_MATH_EXP = SimpleNamespace(tanh=_tanh_from_exponentials)


def _adam_library_default_eps(w, g, m, v, t, **hyper):
    """An adapter that forwards only the hyperparameters it is given to a library whose own
    eps default is 1e-7 (Keras, numpy-ml)."""
    lr, b1, b2 = hyper.get("lr", 0.001), hyper.get("beta1", 0.9), hyper.get("beta2", 0.999)
    eps = hyper.get("eps", 1e-7)
    m = b1 * _a(m) + (1 - b1) * _a(g)
    v = b2 * _a(v) + (1 - b2) * _a(g) ** 2
    w = _a(w) - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
    return w, m, v


ADAM_LIBRARY_EPS = SimpleNamespace(adam_step=_adam_library_default_eps)
