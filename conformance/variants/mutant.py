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

from nnref.conformance.variants import mutant_losses as ML
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
BINARY = ML.BINARY
#: numpy's exp: inf past this, instead of Python's OverflowError.
EXP_MAX = 709.78


class ShapeError(ValueError):
    """The arguments' shapes do not fit (as numpy's matmul would say)."""


def transpose(M):
    return [list(col) for col in zip(*M)]


def _weights(k: Knobs, W):
    """W as the reference reads it (one row per input)."""
    return transpose(W) if k.weight_layout == "out_in" else [list(row) for row in W]


def _linear(k: Knobs, x, W, b):
    W = _weights(k, W)
    if len(W) != len(x) or any(len(row) != len(b) for row in W):
        raise ShapeError(f"shapes: x has {len(x)} entries, W is {len(W)} x {len(W[0])}")
    if k.threshold_ignored:
        b = [0.0] * len(b)
    elif k.threshold == "added":
        b = [-bj for bj in b]
    return ref_linear(x, W, b)


def _exp(v: float) -> float:
    return math.exp(v) if v < EXP_MAX else INF


def _activate(k: Knobs, name: str, u):
    if name == "step" and k.step_at_zero == "0":
        return [1.0 if ui > 0 else 0.0 for ui in u]
    if name == "sigmoid" and k.sigmoid_form == "negated":  # 1 / (1 + e^u)
        return A.sigmoid([-ui for ui in u])
    if name == "tanh" and k.tanh_form == "exp":  # numpy: inf / inf is nan
        return [_nan_divide(_exp(v) - _exp(-v), _exp(v) + _exp(-v)) for v in u]
    if name == "softmax" and k.softmax_shift != "max":
        top = max(u) if k.softmax_shift == "numerator" else 0.0
        total = sum(_exp(ui) for ui in u)
        if total in (0.0, INF) and k.softmax_shift == "none":
            return [math.nan] * len(u)
        return [_nan_divide(_exp(ui - top), total) for ui in u]
    return A.get_activation(name).f(u)


def _nan_divide(a: float, b: float) -> float:
    """a / b as numpy divides: 0/0 and inf/inf are nan, a/0 an infinity."""
    if b == 0:
        return math.nan if a == 0 or math.isnan(a) else math.copysign(INF, a)
    return math.nan if math.isinf(a) and math.isinf(b) else a / b


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
    if name == "relu" and k.relu_grad == "always_1":  # y >= 0 holds for every output
        return list(dy)
    if name == "relu" and k.relu_grad == "relu":  # ReLU itself taken as its derivative
        return [d * yi for d, yi in zip(dy, y)]
    return A.get_activation(name).backward(u, y, dy, float(k.relu_grad_at_zero))


def _output_delta(k: Knobs, act: str, loss: str, u, y, t):
    """S15 under the knobs: the canonical shortcut scaled by the loss's factor, else the chain."""
    if k.output_delta == "y_minus_t":
        return [yk - tk for yk, tk in zip(y, t)]
    if k.output_delta == "dE_dy":
        return ML.dE_dy(k, loss, y, t)
    if k.output_delta == "se_form":  # the squared error's output error, whatever the loss
        return _act_backward(k, act, u, y, ML.dE_dy(k, "squared_error", y, t))
    plain_ce = k.cross_entropy not in (*BINARY, "of_logits") and not ML.guarded(k)
    from_u = act in L.get_loss(loss).from_u and plain_ce  # the reference computes it from u
    if from_u and act == "identity":
        return ML.dE_dy(k, loss, y, t)
    if from_u and _untouched(k, act):
        c = 1.0 / len(y) if k.cross_entropy == "mean" else 1.0
        return [c * d for d in ref_output_delta(act, loss, u, y, t)]
    return _act_backward(k, act, u, y, ML.dE_dy(k, loss, y, t))


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
        x_in = records[index][0]
        if index > 0 and k.dW_input == "u_below":  # the layer below's u, not its output
            x_in = records[index - 1][1]
        grads.append(_layer_gradient(k, x_in, delta))
        if index > 0:
            dx = input_gradient(_weights(k, layers[index]["W"]), delta)
            _, u, y = records[index - 1]
            if k.hidden_derivative == "skipped":  # delta = W delta_next, no f'(u)
                delta = dx
            else:
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
    b1, b2 = (beta2, beta1) if k.adam_betas == "swapped" else (beta1, beta2)
    m = [b1 * mi + (1 - b1) * gi for mi, gi in zip(m, g)]
    v = [b2 * vi + (1 - b2) * (gi if k.adam_v_of == "g" else gi * gi) for vi, gi in zip(v, g)]
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
    new_w = [
        wi - rate * (mi / c1) / _adam_denominator(k, vi / c2, eps) for wi, mi, vi in zip(w, m, v)
    ]
    return new_w, m, v


def _adam_denominator(k: Knobs, v_hat: float, eps: float) -> float:
    if not k.adam_sqrt:
        return v_hat + eps
    if k.adam_eps_place == "inside":
        return _sqrt(v_hat + eps)
    return _sqrt(v_hat) + eps


def _sqrt(v: float) -> float:
    return math.sqrt(v) if v >= 0 else math.nan  # numpy: the root of a negative number is nan


def _adam_reference(k: Knobs) -> bool:
    settings = (k.adam, k.adam_bias, k.adam_eps_place, k.adam_v_of, k.adam_sqrt, k.adam_betas)
    return settings == ("algorithm1", "t", "outside", "g2", True, "right")


def _box_muller(k: Knobs, x, y):
    if k.box_muller_ln_of == "y":
        x, y = y, x
    elif k.box_muller_ln_of == "one_minus_x":  # CPython's random.gauss: ln(1 - u)
        ref_box_muller(x, y)  # the same domain check
        trig = math.cos if k.box_muller_trig == "cos" else math.sin
        return math.sqrt(-2.0 * math.log(1.0 - x)) * trig(2.0 * math.pi * y)
    if k.box_muller_trig == "cos":
        return ref_box_muller(x, y)
    ref_box_muller(x, y)  # the same domain check
    return math.sqrt(-2.0 * math.log(x)) * math.sin(2.0 * math.pi * y)


def protocol(k: Knobs = REFERENCE) -> dict:
    """Every protocol callable, as an implementation with knobs ``k`` would compute it."""
    fns = {
        "linear": lambda x, W, b: _linear(k, list(x), W, list(b)),
        "squared_error": lambda y, t: ML.squared_error(k, y, t),
        "cross_entropy": lambda y, t: ML.cross_entropy(k, y, t),
        "forward": lambda layers, x: _forward(k, layers, x),
        "gradients": lambda layers, x, t, loss: _gradients(k, layers, x, t, loss),
        "sgd_step": lambda w, g, lr: _sgd_step(k, w, g, lr),
        "adam_step": lambda w, g, m, v, t, **hyper: _adam_step(k, w, g, m, v, t, **hyper),
        "box_muller": lambda x, y: _box_muller(k, x, y),
    }
    for name in A.ACTIVATIONS:
        fns[name] = lambda u, name=name: _activate(k, name, list(u))
    return fns
