"""A complete, vectorized numpy implementation of the nnref protocol (a worked example).

Check it with ``nnref check nnref.conformance.adapters.numpy_impl``. It is written from the
formulas of the spec, independently of ``reference`` (which is plain Python), so the two
check each other. Every protocol callable is a module-level function:

=================================  ==========================================================
protocol callable                  here
=================================  ==========================================================
``linear(x, W, b)``                ``x @ W - b``: the threshold is subtracted (S1, S2)
``step`` .. ``softmax``            numpy ufuncs on the whole vector (S5-S10), overflow-free
``squared_error``                  ``0.5 * sum((y - t)**2)``, a halved sum (S13, E6)
``cross_entropy``                  ``-sum t ln y`` over t != 0, natural log (S14, E1)
``forward(layers, x)``             one ``linear`` + activation per layer
``gradients(layers, x, t, loss)``  backprop (S15-S20) -> ``[{"W": dW, "b": db}, ...]``
``sgd_step``, ``adam_step``        S22, S23 on flat arrays
``box_muller(x, y)``               ``sqrt(-2 ln x) cos(2 pi y)`` (S25)
=================================  ==========================================================

Beyond the protocol, ``encode_applicant`` (S4) is an extra the runner checks when present.

Conventions: W[i][j] is the weight from input i to neuron j; ReLU'(0) = 1 as in the
tutorial (S8; ``gradients(..., relu_grad_at_zero=0.0)`` gives the other convention);
a layer's output error delta = dE/du starts from y - t for the canonical pairs (identity
+ squared error, softmax + cross-entropy, S15) and from dE/dy times the activation's
Jacobian for every other pair. An output that underflowed to 0 where t_k != 0 counts as
the smallest normal float in cross-entropy, so the loss stays finite (as in ``reference``).
"""

from __future__ import annotations

from numbers import Integral

import numpy as np

TINY = np.finfo(np.float64).tiny  # stands in for y_k = 0 inside ln and 1/y


def _array(a, name: str, ndim: int) -> np.ndarray:
    """``a`` as a float64 array of ``ndim`` dimensions, or a one-line ValueError."""
    try:
        arr = np.asarray(a, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers in a {ndim}-D list or array") from None
    if arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {arr.shape}")
    return arr


# --- S1, S2: the dense layer --------------------------------------------------------


def linear(x, W, b) -> np.ndarray:
    """S1/S2: u_j = sum_i x_i W[i][j] - b_j, i.e. u = xW - b."""
    x, W, b = _array(x, "x", 1), _array(W, "W", 2), _array(b, "b", 1)
    if W.shape != (x.size, b.size):
        raise ValueError(f"W has shape {W.shape}, expected (len(x), len(b)) = {(x.size, b.size)}")
    return x @ W - b


# --- S5-S10: activations, each beside its backward rule -----------------------------


def step(u) -> np.ndarray:
    """S5: 1 where u >= 0, else 0 (no derivative: backprop through it is an error)."""
    return np.where(_array(u, "u", 1) >= 0, 1.0, 0.0)


def sigmoid(u) -> np.ndarray:
    """S6: 1 / (1 + e^-u); only e^(-|u|) is computed, so nothing overflows."""
    u = _array(u, "u", 1)
    e = np.exp(-np.abs(u))
    return np.where(u >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def tanh(u) -> np.ndarray:
    """S7: the hyperbolic tangent."""
    return np.tanh(_array(u, "u", 1))


def relu(u) -> np.ndarray:
    """S8: max(0, u)."""
    return np.maximum(_array(u, "u", 1), 0.0)


def identity(u) -> np.ndarray:
    """S9: f(u) = u."""
    return _array(u, "u", 1).copy()


def softmax(u) -> np.ndarray:
    """S10: e^u_i / sum_j e^u_j, shifted by max(u) so no exponent overflows."""
    u = _array(u, "u", 1)
    e = np.exp(u - u.max())
    return e / e.sum()


def _relu_backward(u, y, dy, at_zero):
    """S8: f' = 1 for u > 0, ``at_zero`` at u = 0 (tutorial: 1), 0 for u < 0."""
    return dy * np.where(u > 0, 1.0, np.where(u == 0, at_zero, 0.0))


#: S19 through each activation: dE/du from (u, y = f(u), dE/dy, ReLU'(0)).
BACKWARD = {
    "sigmoid": lambda u, y, dy, r0: dy * y * (1.0 - y),  # S6: f' = y (1 - y)
    "tanh": lambda u, y, dy, r0: dy * (1.0 - y * y),  # S7: f' = 1 - y^2
    "relu": _relu_backward,  # S8
    "identity": lambda u, y, dy, r0: dy,  # S9: f' = 1
    "softmax": lambda u, y, dy, r0: y * (dy - dy @ y),  # S10: (diag(y) - y y^T) dy
}

ACTIVATIONS = {
    "step": step,
    "sigmoid": sigmoid,
    "tanh": tanh,
    "relu": relu,
    "identity": identity,
    "softmax": softmax,
}


# --- S13, S14: losses, each beside dE/dy ----------------------------------------------


def _pair(y, t) -> tuple[np.ndarray, np.ndarray]:
    y, t = _array(y, "y", 1), _array(t, "t", 1)
    if y.shape != t.shape:
        raise ValueError(f"the output y has {y.size} entries but the teacher t has {t.size}")
    return y, t


def squared_error(y, t) -> float:
    """S13/E6: E = 1/2 sum_k (y_k - t_k)^2 (a halved sum, not a mean)."""
    y, t = _pair(y, t)
    return float(0.5 * np.sum((y - t) ** 2))


def cross_entropy(y, t) -> float:
    """S14/E1: E = -sum_k t_k ln y_k; a term with t_k = 0 contributes 0."""
    y, t = _ln_domain(*_pair(y, t))
    hit = t != 0
    return float(-np.sum(t[hit] * np.log(np.maximum(y[hit], TINY)))) + 0.0  # no -0.0


def _ln_domain(y: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """S14 takes ln y_k wherever t_k != 0: such an output must not be negative."""
    if np.any(y[t != 0] < 0):
        raise ValueError(f"cross_entropy needs outputs y >= 0 where t != 0, got y = {y.tolist()}")
    return y, t


#: dE/dy of each loss (S13: y - t; S14/E4: -t / y, 0 where t = 0).
LOSS_GRADIENT = {
    "squared_error": lambda y, t: y - t,
    "cross_entropy": lambda y, t: np.where(t != 0, -t / np.maximum(y, TINY), 0.0),
}

#: S15: the output activation with which each loss has delta = y - t on the logits.
CANONICAL = {"squared_error": "identity", "cross_entropy": "softmax"}


# --- the network: forward, and backprop (S15-S20) -----------------------------------


def _network(layers, x) -> list[tuple[np.ndarray, np.ndarray, str]]:
    """(W, b, activation) per layer, every shape checked, or a one-line ValueError."""
    if not isinstance(layers, list | tuple) or not layers:
        raise ValueError("layers must be a non-empty list of {'W', 'b', 'activation'} dicts")
    net, width = [], np.size(x)
    for k, layer in enumerate(layers):
        try:
            W, b, name = layer["W"], layer["b"], layer["activation"]
        except (KeyError, TypeError):
            raise ValueError(f"layer {k} must be a dict with keys 'W', 'b', 'activation'") from None
        W, b = _array(W, f"layer {k} W", 2), _array(b, f"layer {k} b", 1)
        if name not in ACTIVATIONS:
            raise ValueError(f"layer {k}: unknown activation {name!r} (one of {list(ACTIVATIONS)})")
        if W.shape != (width, b.size):
            raise ValueError(f"layer {k}: W has shape {W.shape}, expected {(width, b.size)}")
        net.append((W, b, name))
        width = b.size
    return net


def forward(layers, x) -> np.ndarray:
    """The output y of the last layer: y = f(xW - b), layer after layer."""
    y = _array(x, "x", 1)
    for W, b, name in _network(layers, y):
        y = ACTIVATIONS[name](y @ W - b)
    return y


def _output_delta(name, u, y, t, loss, relu_grad_at_zero) -> np.ndarray:
    """S15: delta = dE/du of the output layer.

    Canonical pairs: y - t (softmax + cross-entropy is written y sum(t) - t, the same for a
    one-hot t and still the exact gradient otherwise). Any other pair: dE/dy through the
    activation's Jacobian (S19).
    """
    if CANONICAL[loss] == name:
        return y * t.sum() - t if name == "softmax" else y - t
    if (name, loss) == ("sigmoid", "cross_entropy"):  # from u: y underflowing keeps -t
        return -t * sigmoid(-u)
    return BACKWARD[name](u, y, LOSS_GRADIENT[loss](y, t), relu_grad_at_zero)


def gradients(layers, x, t, loss, relu_grad_at_zero=1.0) -> list[dict]:
    """dE/dW and dE/db of one sample, one ``{"W": dW, "b": db}`` per layer (S15-S20).

    S20: dW = outer(x, delta), db = -delta (the threshold is subtracted), dx = W delta;
    a hidden layer's delta is its dx through the activation's derivative (S19).
    """
    x = _array(x, "x", 1)
    net = _network(layers, x)
    if loss not in CANONICAL:
        raise ValueError(f"unknown loss {loss!r} (one of {list(CANONICAL)})")
    for k, (_, _, name) in enumerate(net):
        if name == "step":
            raise ValueError(
                f"layer {k} uses the step activation, which has no derivative (S5): "
                "it cannot be backpropagated"
            )
    xs, us, ys = [], [], []  # S12: what the backward pass needs
    for W, b, name in net:
        xs.append(x)
        us.append(x @ W - b)
        ys.append(ACTIVATIONS[name](us[-1]))
        x = ys[-1]
    y, t = _ln_domain(*_pair(ys[-1], t)) if loss == "cross_entropy" else _pair(ys[-1], t)
    delta = _output_delta(net[-1][2], us[-1], y, t, loss, relu_grad_at_zero)
    grads = []
    for k in range(len(net) - 1, -1, -1):
        grads.append({"W": np.outer(xs[k], delta), "b": -delta})
        if k > 0:
            dx = net[k][0] @ delta
            delta = BACKWARD[net[k - 1][2]](us[k - 1], ys[k - 1], dx, relu_grad_at_zero)
    return grads[::-1]


# --- S22, S23: optimizers on flat parameter arrays ----------------------------------


def sgd_step(w, g, lr) -> np.ndarray:
    """S22: w <- w - eta * dw."""
    w, g = _array(w, "w", 1), _array(g, "g", 1)
    if w.shape != g.shape:
        raise ValueError(f"sgd_step: w has {w.size} entries but g has {g.size}")
    return w - lr * g


def adam_step(w, g, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """S23, Kingma & Ba Algorithm 1, step number t (1-based): returns (w, m, v).

    m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;  w <- w - lr m_hat / (sqrt(v_hat) + eps)
    with m_hat = m / (1 - b1^t), v_hat = v / (1 - b2^t). A zero gradient is still a step.
    """
    if isinstance(t, bool) or not isinstance(t, Integral) or t < 1:
        raise ValueError(f"adam_step: the step number t must be an integer >= 1, got {t!r}")
    w, g, m, v = (_array(a, name, 1) for a, name in ((w, "w"), (g, "g"), (m, "m"), (v, "v")))
    if not w.shape == g.shape == m.shape == v.shape:
        raise ValueError(
            f"adam_step: w, g, m, v have {w.size}, {g.size}, {m.size}, {v.size} entries"
        )
    m = beta1 * m + (1.0 - beta1) * g
    v = beta2 * v + (1.0 - beta2) * g * g
    m_hat, v_hat = m / (1.0 - beta1**t), v / (1.0 - beta2**t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


# --- S4: input encoding (an optional extra the runner checks when present) -------------


def encode_applicant(income_yen, has_loan, detached_house) -> np.ndarray:
    """S4: (income >= 4.7 million yen, has a loan, lives in a detached house) as 1/0."""
    return np.array([income_yen >= 4_700_000, has_loan, detached_house], dtype=np.float64)


# --- S25: Box-Muller ----------------------------------------------------------------


def box_muller(x, y) -> float:
    """S25: z = sqrt(-2 ln x) cos(2 pi y), standard normal for uniforms x, y; x in (0, 1]."""
    if not 0.0 < x <= 1.0:
        raise ValueError(f"box_muller: x must lie in (0, 1] (ln x), got {x!r}")
    return float(np.sqrt(-2.0 * np.log(x)) * np.cos(2.0 * np.pi * y))
