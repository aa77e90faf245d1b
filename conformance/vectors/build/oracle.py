"""An independent high-precision oracle for the vectors' expected values (mpmath, 40 digits).

The generator takes expected values from the reference in float64 and checks
every one against this module, which recomputes the same quantity from the
SPEC formulas with 40 significant digits. It shares no code with ``reference``.

Formulas (SPEC clauses): u = xW - b (S1, S2); step, sigmoid, tanh, ReLU,
identity, softmax (S5-S10); E = 1/2 sum (y - t)^2 (S13); E = -sum t ln y with
0 ln 0 = 0 (S14, E1); backprop dW = x delta, db = -delta, dx = W delta (S20)
with delta through each activation's derivative (S19, ReLU'(0) a parameter,
S8); SGD (S22); Adam, Algorithm 1 (S23); Box-Muller sqrt(-2 ln X) cos(2 pi Y)
(S25).
"""

from __future__ import annotations

import mpmath

mpf = mpmath.mpf
DIGITS = 40


def _m(values):
    return [mpf(v) for v in values]


def linear(x, W, b):
    """S1, S2: u_j = sum_i x_i W[i][j] - b_j."""
    with mpmath.workdps(DIGITS):
        return [
            mpmath.fsum(mpf(x[i]) * mpf(W[i][j]) for i in range(len(x))) - mpf(b[j])
            for j in range(len(b))
        ]


def activate(name, u):
    """S5-S10, exact: the output vector of activation ``name``."""
    with mpmath.workdps(DIGITS):
        u = _m(u)
        if name == "step":
            return [mpf(1) if v >= 0 else mpf(0) for v in u]
        if name == "sigmoid":
            return [1 / (1 + mpmath.exp(-v)) for v in u]
        if name == "tanh":
            return [mpmath.tanh(v) for v in u]
        if name == "relu":
            return [v if v > 0 else mpf(0) for v in u]
        if name == "identity":
            return list(u)
        if name == "softmax":
            top = max(u)
            e = [mpmath.exp(v - top) for v in u]
            s = mpmath.fsum(e)
            return [v / s for v in e]
    raise ValueError(f"unknown activation {name!r}")


def squared_error(y, t):
    """S13: E = 1/2 sum (y_k - t_k)^2 (a halved sum, E6)."""
    with mpmath.workdps(DIGITS):
        return mpmath.fsum((mpf(a) - mpf(b)) ** 2 for a, b in zip(y, t)) / 2


def cross_entropy(y, t):
    """S14: E = -sum t_k ln y_k, natural log (E1); terms with t_k = 0 are 0."""
    with mpmath.workdps(DIGITS):
        return -mpmath.fsum(mpf(tk) * mpmath.log(mpf(yk)) for yk, tk in zip(y, t) if tk != 0)


def forward(layers, x):
    """Outputs of every layer, exact; the last is the network's output."""
    xs = [list(x)]
    us = []
    for layer in layers:
        u = linear(xs[-1], layer["W"], layer["b"])
        us.append(u)
        xs.append(activate(layer["activation"], u))
    return xs, us


def _delta_through(name, u, y, dy, relu_grad_at_zero):
    """S19: dE/du from dE/dy through activation ``name`` (full Jacobian for softmax)."""
    if name == "sigmoid":
        return [d * a * (1 - a) for d, a in zip(dy, y)]
    if name == "tanh":
        return [d * (1 - a * a) for d, a in zip(dy, y)]
    if name == "relu":
        slope = [1 if v > 0 else (relu_grad_at_zero if v == 0 else 0) for v in u]
        return [d * s for d, s in zip(dy, slope)]
    if name == "identity":
        return list(dy)
    if name == "softmax":
        dot = mpmath.fsum(d * a for d, a in zip(dy, y))
        return [a * (d - dot) for d, a in zip(dy, y)]
    raise ValueError(f"cannot backpropagate through {name!r}")


def gradients(layers, x, t, loss, relu_grad_at_zero=1):
    """S15-S20: [{"W": dW, "b": db}, ...] of one sample's loss, exact."""
    with mpmath.workdps(DIGITS):
        xs, us = forward(layers, x)
        y = xs[-1]
        t = _m(t)
        if loss == "squared_error":
            dy = [a - b for a, b in zip(y, t)]
        else:
            dy = [-b / a if b != 0 else mpf(0) for a, b in zip(y, t)]
        delta = _delta_through(layers[-1]["activation"], us[-1], y, dy, relu_grad_at_zero)
        grads = []
        for index in range(len(layers) - 1, -1, -1):
            inp = xs[index]
            grads.append({"W": [[xi * d for d in delta] for xi in inp], "b": [-d for d in delta]})
            if index:
                W = layers[index]["W"]
                dx = [
                    mpmath.fsum(mpf(W[i][j]) * delta[j] for j in range(len(delta)))
                    for i in range(len(inp))
                ]
                below = layers[index - 1]["activation"]
                delta = _delta_through(below, us[index - 1], xs[index], dx, relu_grad_at_zero)
        return grads[::-1]


def softmax_cross_entropy_delta(layers, x, t):
    """S15/E4: for a softmax output with cross-entropy, dE/du = y - t (t one-hot)."""
    with mpmath.workdps(DIGITS):
        xs, _ = forward(layers, x)
        return [a - mpf(b) for a, b in zip(xs[-1], t)]


def sgd_step(w, g, lr):
    """S22: w <- w - eta g."""
    with mpmath.workdps(DIGITS):
        return [mpf(a) - mpf(lr) * mpf(b) for a, b in zip(w, g)]


def adam_step(w, g, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """S23, Algorithm 1 of Kingma & Ba, step number t (1-based): returns (w, m, v)."""
    with mpmath.workdps(DIGITS):
        b1, b2 = mpf(beta1), mpf(beta2)
        m = [b1 * mpf(a) + (1 - b1) * mpf(b) for a, b in zip(m, g)]
        v = [b2 * mpf(a) + (1 - b2) * mpf(b) ** 2 for a, b in zip(v, g)]
        c1, c2 = 1 - b1**t, 1 - b2**t
        w = [
            mpf(p) - mpf(lr) * (a / c1) / (mpmath.sqrt(b / c2) + mpf(eps))
            for p, a, b in zip(w, m, v)
        ]
        return w, m, v


def box_muller(x, y):
    """S25: z = sqrt(-2 ln X) cos(2 pi Y)."""
    with mpmath.workdps(DIGITS):
        return mpmath.sqrt(-2 * mpmath.log(mpf(x))) * mpmath.cos(2 * mpmath.pi * mpf(y))
