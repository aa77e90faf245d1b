"""Each activation is one entry of ``ACTIVATIONS``: a new one needs nothing else (S19).

The network never switches on an activation's name: its forward, backward
(the entry's ``backward``), initial scale and "has no derivative" check all
come from the entry. A softplus added here is trained through and its
gradients agree with central differences.
"""

from __future__ import annotations

import math

import pytest

from nnref import reference as r
from nnref.reference.activations import ACTIVATIONS, Activation, elementwise_backward
from nnref.reference.init import weight_scale


def softplus(u):
    return [math.log1p(math.exp(ui)) for ui in u]


def softplus_derivative(u, y):
    return [1.0 / (1.0 + math.exp(-ui)) for ui in u]


@pytest.fixture
def with_softplus(monkeypatch):
    entry = Activation(
        "softplus", softplus, softplus_derivative, elementwise_backward(softplus_derivative)
    )
    monkeypatch.setitem(ACTIVATIONS, "softplus", entry)


@pytest.mark.spec("S19", "S20")
def test_a_new_activation_backpropagates_from_its_entry_alone(with_softplus):
    layers = [
        {"W": [[0.5, -0.25]], "b": [0.1, 0.2], "activation": "softplus"},
        {"W": [[1.0], [2.0]], "b": [0.3], "activation": "identity"},
    ]
    x, t, h = [0.7], [1.0], 1e-6
    grads = r.gradients(layers, x, t, "squared_error")
    for (i, j), analytic in (((0, 0), grads[0]["W"][0][0]), ((0, 1), grads[0]["W"][0][1])):
        up = [dict(layer, W=[list(row) for row in layer["W"]]) for layer in layers]
        down = [dict(layer, W=[list(row) for row in layer["W"]]) for layer in layers]
        up[0]["W"][i][j] += h
        down[0]["W"][i][j] -= h
        numeric = (
            r.loss_value(up, x, t, "squared_error") - r.loss_value(down, x, t, "squared_error")
        ) / (2 * h)
        assert analytic == pytest.approx(numeric, rel=1e-6)


@pytest.mark.spec("S5", "S24")
def test_the_entry_says_whether_it_has_a_derivative_and_how_to_scale_weights(with_softplus):
    assert [a.name for a in ACTIVATIONS.values() if not a.differentiable] == ["step"]
    assert weight_scale(8, "softplus") == 1.0 / math.sqrt(8)
    assert weight_scale(8, "relu") == math.sqrt(2.0 / 8)
