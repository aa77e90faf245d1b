"""The protocol's callables under a set of knobs, built from the reference's own pieces.

``protocol(k)`` returns ``{name: callable}`` for every protocol callable. Where
a knob is at the reference's value, the reference's function runs (layer's
``linear``, ``linear_backward`` and ``input_gradient``, the activations and
their derivatives, the losses, ``output_delta``, ``adam_step``, ``box_muller``);
a turned knob swaps in the one piece it names. Shapes are checked strictly,
as numpy would (a (3, 2) W read as (out, in) against 3 inputs is an error,
not a silent truncation), so a variant never "matches" by accident.
"""

from __future__ import annotations

import math
from dataclasses import replace

from nnref.conformance.variants.knobs import REFERENCE, Knobs
from nnref.reference import activations as A
from nnref.reference import losses as L
from nnref.reference.errors import NetworkError
from nnref.reference.init import box_muller as ref_box_muller
from nnref.reference.layer import input_gradient, linear_backward
from nnref.reference.layer import linear as ref_linear
from nnref.reference.network import output_delta as ref_output_delta
from nnref.reference.optimizers import adam_step as ref_adam_step

INF = float("inf")
#: Binary cross-entropy, summed or (as Keras and torch.nn.BCELoss by default) averaged.
BINARY = ("binary", "binary_mean")
SE_FACTOR = {"half_sum": lambda n: 1.0, "sum": lambda n: 2.0}
SE_FACTOR |= {"mean": lambda n: 2.0 / n, "half_mean": lambda n: 1.0 / n}


def transpose(M):
    return [list(col) for col in zip(*M)]


def _weights(k: Knobs, W):
    """W as the reference reads it (one row per input)."""
    return transpose(W) if k.weight_layout == "out_in" else [list(row) for row in W]


def _linear(k: Knobs, x, W, b):
    W = _weights(k, W)
    if len(W) != len(x) or any(len(row) != len(b) for row in W):
        raise ValueError(f"shapes: x has {len(x)} entries, W is {len(W)} x {len(W[0])}")
    if k.threshold_ignored:
        b = [0.0] * len(b)
    elif k.threshold == "added":
        b = [-bj for bj in b]
    return ref_linear(x, W, b)


def _activate(k: Knobs, name: str, u):
    if name == "step" and k.step_at_zero == "0":
        return [1.0 if ui > 0 else 0.0 for ui in u]
    if name == "softmax" and not k.softmax_shift:
        e = [math.exp(ui) if ui < 709.0 else INF for ui in u]  # numpy: overflow gives inf
        total = sum(e)
        return [ei / total if total not in (0.0, INF) else math.nan for ei in e]
    return A.get_activation(name).f(u)


def _act_backward(k: Knobs, name: str, u, y, dy):
    """dE/du from dE/dy through activation ``name`` (S19), with the derivative knobs."""
    if name == "step":
        raise NetworkError("the step activation has no derivative (S5)")
    if name in ("sigmoid", "tanh"):
        at = getattr(k, f"{name}_grad")
        f = A.get_activation(name)
        point = {"y": y, "u": u, "f_of_y": f.f(y), "delta": dy}[at]
        return [d * p for d, p in zip(dy, f.derivative(point, point))]
    if name == "softmax" and k.softmax_grad == "diagonal":
        return [d * p for d, p in zip(dy, A.sigmoid_derivative(y, y))]
    return A.get_activation(name).backward(u, y, dy, float(k.relu_grad_at_zero))


def _dE_dy(k: Knobs, loss: str, y, t):
    if loss == "squared_error":
        c = SE_FACTOR[k.squared_error](len(y))
        return [c * g for g in L.squared_error_gradient(y, t)]
    if k.cross_entropy in BINARY:
        c = 1.0 / len(y) if k.cross_entropy == "binary_mean" else 1.0
        return [
            c * (-tk / max(yk, L.TINY) + (1 - tk) / max(1 - yk, L.TINY)) for yk, tk in zip(y, t)
        ]
    if k.cross_entropy == "of_logits":  # its own softmax on y: d/dy = softmax(y) sum(t) - t
        total = sum(t)
        return [sk * total - tk for sk, tk in zip(A.softmax(y), t)]
    c = 1.0 / len(y) if k.cross_entropy == "mean" else 1.0
    return [c * g for g in L.cross_entropy_gradient(y, t)]


def _output_delta(k: Knobs, act: str, loss: str, u, y, t):
    """S15 under the knobs: the canonical shortcut scaled by the loss's factor, else the chain."""
    if k.output_delta == "y_minus_t":
        return [yk - tk for yk, tk in zip(y, t)]
    if k.output_delta == "dE_dy":
        return _dE_dy(k, loss, y, t)
    plain_ce = k.cross_entropy not in (*BINARY, "of_logits")
    from_u = act in L.get_loss(loss).from_u and plain_ce  # the reference computes it from u
    if from_u and act == "identity":
        return _dE_dy(k, loss, y, t)
    if from_u and _untouched(k, act):
        c = 1.0 / len(y) if k.cross_entropy == "mean" else 1.0
        return [c * d for d in ref_output_delta(act, loss, u, y, t)]
    return _act_backward(k, act, u, y, _dE_dy(k, loss, y, t))


def _untouched(k: Knobs, act: str) -> bool:
    """The reference's own derivative of ``act`` is in force (no knob changes it)."""
    if act == "sigmoid":
        return k.sigmoid_grad == "y"
    return not (act == "softmax" and k.softmax_grad != "jacobian")


def _forward_records(k: Knobs, layers, x):
    records = []
    for layer in layers:
        u = _linear(k, x, layer["W"], layer["b"])
        y = _activate(k, layer["activation"], u)
        records.append((x, u, y))
        x = y
    return records


def _forward(k: Knobs, layers, x):
    x, u, y = _forward_records(k, layers, list(x))[-1]
    return u if k.forward_output == "logits" else y


def _gradients(k: Knobs, layers, x, t, loss):
    L.get_loss(loss)
    records = _forward_records(k, layers, list(x))
    if layers[-1]["activation"] == "step":
        raise NetworkError("the step activation has no derivative (S5)")
    _, u, y = records[-1]
    delta = _output_delta(k, layers[-1]["activation"], loss, u, y, list(t))
    grads = []
    for index in range(len(layers) - 1, -1, -1):
        grads.append(_layer_gradient(k, records[index][0], delta))
        if index > 0:
            dx = input_gradient(_weights(k, layers[index]["W"]), delta)
            _, u, y = records[index - 1]
            delta = _act_backward(k, layers[index - 1]["activation"], u, y, dx)
    grads.reverse()
    return grads


def _layer_gradient(k: Knobs, x, delta) -> dict:
    dW, db = linear_backward(x, delta)
    if k.threshold_ignored:
        db = [0.0] * len(db)
    elif (k.threshold == "added") != (k.db_sign == "plus"):
        db = [-g for g in db]
    if (k.weight_layout == "out_in") != (k.dW_layout == "transposed"):
        dW = transpose(dW)
    if k.gradient_sign == "negated":
        dW, db = [[-g for g in row] for row in dW], [-g for g in db]
    return {"W": dW, "b": db}


def _squared_error(k: Knobs, y, t):
    n = len(y)
    total = 2.0 * L.squared_error(y, t)  # sum of squares
    return {"half_sum": 0.5, "sum": 1.0, "mean": 1.0 / n, "half_mean": 0.5 / n}[
        k.squared_error
    ] * total


def _cross_entropy(k: Knobs, y, t):
    if k.cross_entropy in BINARY:
        total = -sum(
            tk * math.log(max(yk, L.TINY)) + (1 - tk) * math.log(max(1 - yk, L.TINY))
            for yk, tk in zip(y, t)
        )
        return total / len(y) if k.cross_entropy == "binary_mean" else total
    if k.cross_entropy == "of_logits":
        return L.cross_entropy_from_logits(y, t)
    value = L.cross_entropy(y, t)
    return {"natural": 1.0, "log10": 1 / math.log(10), "mean": 1.0 / len(y)}[
        k.cross_entropy
    ] * value


def _sgd_step(k: Knobs, w, g, lr):
    s = -1.0 if k.sgd_sign == "minus" else 1.0
    return [wi + s * lr * gi for wi, gi in zip(w, g)]


def _adam_step(k: Knobs, w, g, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=None):
    eps = k.adam_eps_default if eps is None else eps
    if k.adam_zero_skip:  # each weight whose gradient is 0 keeps w, m and v as they were
        k = replace(k, adam_zero_skip=False)
        stepped = _adam_step(k, w, g, m, v, t, lr, beta1, beta2, eps)
        return tuple(
            [old if gi == 0 else new for old, new, gi in zip(before, after, g)]
            for before, after in zip((w, m, v), stepped)
        )
    if _adam_reference(k):
        return ref_adam_step(w, g, m, v, t, lr, beta1, beta2, eps)
    m = [beta1 * mi + (1 - beta1) * gi for mi, gi in zip(m, g)]
    v = [beta2 * vi + (1 - beta2) * gi * gi for vi, gi in zip(v, g)]
    n = {"t": t, "t_plus_1": t + 1, "twice": t}.get(k.adam_bias)
    c1, c2 = (1 - beta1**n, 1 - beta2**n) if n else (1.0, 1.0)
    if k.adam_bias == "one_minus_beta":
        c1, c2 = 1 - beta1, 1 - beta2
    if k.adam == "efficient" or k.adam_bias == "twice":
        rate = lr * math.sqrt(c2) / c1  # the step size carries the correction
        if k.adam_bias != "twice":
            c1 = c2 = 1.0
    else:
        rate = lr
    root = (lambda s: math.sqrt(s + eps)) if k.adam_eps_place == "inside" else None
    new_w = [
        wi - rate * (mi / c1) / (root(vi / c2) if root else math.sqrt(vi / c2) + eps)
        for wi, mi, vi in zip(w, m, v)
    ]
    return new_w, m, v


def _adam_reference(k: Knobs) -> bool:
    return (k.adam, k.adam_bias, k.adam_eps_place) == ("algorithm1", "t", "outside")


def _box_muller(k: Knobs, x, y):
    if k.box_muller_ln_of == "y":
        x, y = y, x
    if k.box_muller_trig == "cos":
        return ref_box_muller(x, y)
    ref_box_muller(x, y)  # the same domain check
    return math.sqrt(-2.0 * math.log(x)) * math.sin(2.0 * math.pi * y)


def protocol(k: Knobs = REFERENCE) -> dict:
    """Every protocol callable, as an implementation with knobs ``k`` would compute it."""
    fns = {
        "linear": lambda x, W, b: _linear(k, list(x), W, list(b)),
        "squared_error": lambda y, t: _squared_error(k, y, t),
        "cross_entropy": lambda y, t: _cross_entropy(k, y, t),
        "forward": lambda layers, x: _forward(k, layers, x),
        "gradients": lambda layers, x, t, loss: _gradients(k, layers, x, t, loss),
        "sgd_step": lambda w, g, lr: _sgd_step(k, w, g, lr),
        "adam_step": lambda w, g, m, v, t, **hyper: _adam_step(k, w, g, m, v, t, **hyper),
        "box_muller": lambda x, y: _box_muller(k, x, y),
    }
    for name in A.ACTIVATIONS:
        fns[name] = lambda u, name=name: _activate(k, name, list(u))
    return fns
