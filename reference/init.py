"""Initialization: Box-Muller Gaussians from the standard library (S24-S26).

All randomness comes from a ``random.Random`` the caller seeds and passes in.
"""

from __future__ import annotations

import math
import random

from nnref.reference.activations import get_activation
from nnref.reference.errors import NetworkError


def box_muller(x: float, y: float) -> float:
    """S25: one standard normal number z = sqrt(-2 ln x) cos(2 pi y) from uniforms x, y.

    x must lie in (0, 1]: ln 0 is undefined.
    """
    if not 0.0 < x <= 1.0:
        raise NetworkError(f"box_muller: x must lie in (0, 1] (ln x), got {x!r}")
    return math.sqrt(-2.0 * math.log(x)) * math.cos(2.0 * math.pi * y)


def gaussian(rng: random.Random) -> float:
    """A standard normal number; the first uniform is 1 - random() so it lies in (0, 1]."""
    return box_muller(1.0 - rng.random(), rng.random())


def weight_scale(fan_in: int, activation: str) -> float:
    """S24/E2: the standard deviation sqrt(2/n) before ReLU, 1/sqrt(n) otherwise (n = fan-in).

    Each activation carries its own scale (``Activation.init_scale``).
    """
    return get_activation(activation).init_scale(fan_in)


def init_layers(sizes: list[int], activations: list[str], rng: random.Random) -> list[dict]:
    """A fresh network: sizes [n_in, n_1, ..., n_out], one activation per layer.

    Weights are Gaussian with mean 0 and the scale of S24; thresholds start at 0 (S26).
    """
    if len(sizes) < 2 or any(not isinstance(n, int) or n < 1 for n in sizes):
        raise NetworkError(f"layer sizes must be at least two positive integers, got {sizes!r}")
    if len(activations) != len(sizes) - 1:
        raise NetworkError(
            f"{len(sizes) - 1} layers need {len(sizes) - 1} activations, got {len(activations)}"
        )
    layers = []
    for n, m, activation in zip(sizes, sizes[1:], activations):
        get_activation(activation)
        s = weight_scale(n, activation)
        W = [[s * gaussian(rng) for _ in range(m)] for _ in range(n)]
        layers.append({"W": W, "b": [0.0] * m, "activation": activation})
    return layers
