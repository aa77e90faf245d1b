"""Optimizers: SGD (S22) and Adam (S23), on flat lists and on whole networks.

``sgd_step`` and ``adam_step`` are the protocol's functions on flat lists of
parameters. ``SGD`` and ``Adam`` apply them row by row to a network in place,
thresholds exactly like weights (S22), and keep Adam's state.
"""

from __future__ import annotations

import math

from nnref.reference.errors import NetworkError

Vector = list[float]


def sgd_step(w: Vector, g: Vector, lr: float) -> Vector:
    """S22: w <- w - eta * dw."""
    _same_lengths("sgd_step", w=w, g=g)
    return [w_i - lr * g_i for w_i, g_i in zip(w, g)]


def _same_lengths(what: str, **vectors: Vector) -> None:
    """A one-line error unless every vector has as many entries as the first."""
    (first, n), *rest = ((name, len(v)) for name, v in vectors.items())
    for name, m in rest:
        if m != n:
            raise NetworkError(f"{what}: {name} has {m} entries but {first} has {n}")


def adam_step(
    w: Vector,
    g: Vector,
    m: Vector,
    v: Vector,
    t: int,
    lr: float = 0.001,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
) -> tuple[Vector, Vector, Vector]:
    """S23, Algorithm 1 of Kingma & Ba, step number t (1-based): returns (w, m, v).

    m <- beta1 m + (1 - beta1) g;  v <- beta2 v + (1 - beta2) g^2;
    m_hat = m / (1 - beta1^t);  v_hat = v / (1 - beta2^t);
    w <- w - lr m_hat / (sqrt(v_hat) + eps). A zero gradient is still a step.
    """
    if isinstance(t, bool) or not isinstance(t, int) or t < 1:
        raise NetworkError(f"adam_step: the step number t must be an integer >= 1, got {t!r}")
    _same_lengths("adam_step", w=w, g=g, m=m, v=v)
    a1, a2 = 1.0 - beta1, 1.0 - beta2
    correction1, correction2 = 1.0 - beta1**t, 1.0 - beta2**t
    sqrt = math.sqrt
    m = [beta1 * m_i + a1 * g_i for m_i, g_i in zip(m, g)]
    v = [beta2 * v_i + a2 * g_i * g_i for v_i, g_i in zip(v, g)]
    w = [
        w_i - lr * (m_i / correction1) / (sqrt(v_i / correction2) + eps)
        for w_i, m_i, v_i in zip(w, m, v)
    ]
    return w, m, v


def _zeros_like(layers: list[dict]) -> list[dict]:
    return [
        {"W": [[0.0] * len(row) for row in layer["W"]], "b": [0.0] * len(layer["b"])}
        for layer in layers
    ]


class SGD:
    """S22 on a whole network: every weight and threshold moves by -lr times its gradient."""

    name = "sgd"

    def __init__(self, lr: float = 0.001):
        self.lr = lr

    def step(self, layers: list[dict], grads: list[dict]) -> None:
        for layer, grad in zip(layers, grads):
            layer["W"] = [
                sgd_step(w_row, g_row, self.lr) for w_row, g_row in zip(layer["W"], grad["W"])
            ]
            layer["b"] = sgd_step(layer["b"], grad["b"], self.lr)

    def state(self) -> dict:
        return {"name": self.name, "lr": self.lr}


class Adam:
    """S23 on a whole network, keeping m, v (shaped like the network) and the step count t."""

    name = "adam"

    def __init__(
        self, lr: float = 0.001, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8
    ):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.t = 0
        self.m: list[dict] | None = None
        self.v: list[dict] | None = None

    def step(self, layers: list[dict], grads: list[dict]) -> None:
        if self.m is None:
            self.m, self.v = _zeros_like(layers), _zeros_like(layers)
        self.t += 1
        hyper = (self.t, self.lr, self.beta1, self.beta2, self.eps)
        for layer, grad, m, v in zip(layers, grads, self.m, self.v):
            for i, (w_row, g_row) in enumerate(zip(layer["W"], grad["W"])):
                layer["W"][i], m["W"][i], v["W"][i] = adam_step(
                    w_row, g_row, m["W"][i], v["W"][i], *hyper
                )
            layer["b"], m["b"], v["b"] = adam_step(layer["b"], grad["b"], m["b"], v["b"], *hyper)

    def state(self) -> dict:
        return {
            "name": self.name,
            "lr": self.lr,
            "beta1": self.beta1,
            "beta2": self.beta2,
            "eps": self.eps,
            "t": self.t,
            "m": self.m,
            "v": self.v,
        }


def optimizer_from_state(state: dict) -> SGD | Adam:
    """Rebuild an optimizer saved with ``.state()``."""
    name = state.get("name") if isinstance(state, dict) else None
    if name == "sgd":
        return SGD(state["lr"])
    if name == "adam":
        opt = Adam(state["lr"], state["beta1"], state["beta2"], state["eps"])
        opt.t, opt.m, opt.v = state["t"], state["m"], state["v"]
        return opt
    raise NetworkError(f"unknown optimizer {name!r} in saved state (expected 'sgd' or 'adam')")


def make_optimizer(name: str, lr: float) -> SGD | Adam:
    """An optimizer by name: 'sgd' or 'adam'."""
    if name == "sgd":
        return SGD(lr)
    if name == "adam":
        return Adam(lr)
    raise NetworkError(f"unknown optimizer {name!r} (expected one of: sgd, adam)")
