"""Shared helpers of the adapter tests: loading adapters, seeded networks, finite differences.

torch and jax are optional: ``load`` skips the test with the reason when one is missing.
"""

from __future__ import annotations

import importlib

import numpy as np
import pytest

from nnref.conformance.protocol.names import HIDDEN, LOSSES

ADAPTERS = ("numpy", "torch", "jax")
INSTALL = {"torch": "pip install torch==2.13.0", "jax": "pip install jax jaxlib"}
#: Hidden activations (S6-S9) and softmax (S10), each also tried as the output.
ACTIVATIONS = (*HIDDEN, "softmax")
#: Every (output activation, loss) pairing; S15's canonical pairs are two of them.
PAIRINGS = [(a, loss) for a in ACTIVATIONS for loss in LOSSES]


def load(name: str):
    """The adapter ``nnref.conformance.adapters.<name>_impl``, or a skip naming what is missing."""
    if name != "numpy":
        pytest.importorskip(name, reason=f"{name} is not installed ({INSTALL[name]})")
    return importlib.import_module(f"nnref.conformance.adapters.{name}_impl")


def arr(a) -> np.ndarray:
    """Anything an adapter returns (list, numpy array, tensor, jax array) as float64 numpy."""
    return np.asarray(a, dtype=np.float64)


def random_network(seed: int, sizes: list[int], activations: list[str]) -> list[dict]:
    """A network of plain lists with Gaussian weights and thresholds from a seeded generator."""
    rng = np.random.default_rng(seed)
    return [
        {
            "W": rng.normal(size=(n, m)).tolist(),
            "b": rng.normal(size=m).tolist(),
            "activation": name,
        }
        for n, m, name in zip(sizes, sizes[1:], activations)
    ]


def sample(seed: int, n_in: int) -> list[float]:
    return np.random.default_rng(seed + 1000).normal(size=n_in).tolist()


def teacher_for(y, loss: str, seed: int) -> list[float]:
    """A teacher that makes the loss finite: one-hot on the largest output for cross-entropy
    (so ln y is taken of a positive number), Gaussian for squared error."""
    y = arr(y)
    if loss == "cross_entropy":
        return np.eye(y.size)[int(np.argmax(y))].tolist()
    return np.random.default_rng(seed + 2000).normal(size=y.size).tolist()


def assert_same_gradients(got: list[dict], expected: list[dict], rtol=1e-10, atol=1e-12):
    """Layer by layer, W and b, within tolerance; the message names the layer and the key."""
    assert len(got) == len(expected), f"{len(got)} layers of gradients, expected {len(expected)}"
    for k, (g, e) in enumerate(zip(got, expected)):
        for key in ("W", "b"):
            np.testing.assert_allclose(
                arr(g[key]), arr(e[key]), rtol=rtol, atol=atol, err_msg=f"layer {k} d{key}"
            )


def finite_difference_gradients(forward, loss_fn, layers, x, t, h=1e-6) -> list[dict]:
    """Central differences (E(p + h) - E(p - h)) / 2h of loss_fn(forward(layers, x), t)."""

    def energy(net):
        return float(loss_fn(forward(net, x), t))

    grads = []
    for k, layer in enumerate(layers):
        g = {"W": np.zeros(np.shape(layer["W"])), "b": np.zeros(len(layer["b"]))}
        for key in ("W", "b"):
            for index in np.ndindex(g[key].shape):
                plus, minus = _copy(layers), _copy(layers)
                _nudge(plus[k][key], index, h)
                _nudge(minus[k][key], index, -h)
                g[key][index] = (energy(plus) - energy(minus)) / (2 * h)
        grads.append(g)
    return grads


def _copy(layers):
    return [
        {"W": [row[:] for row in L["W"]], "b": L["b"][:], "activation": L["activation"]}
        for L in layers
    ]


def _nudge(values, index, h):
    if len(index) == 2:
        values[index[0]][index[1]] += h
    else:
        values[index[0]] += h
