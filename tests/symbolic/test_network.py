"""Exact whole-network gradients: the tutorial network in closed form, conventions, errors."""

from __future__ import annotations

import time

import pytest
import sympy as sp

from nnref.symbolic.gradients import check_size, gradients
from nnref.symbolic.network import (
    MAX_PARAMS,
    SymbolicNetworkError,
    SymbolicSizeError,
    exact,
    forward,
    parameter_count,
    preactivations,
)
from nnref.symbolic.tutorial import TUTORIAL_LAYERS, TUTORIAL_X, tutorial_gradients

e = sp.E
D = 1 + e + e**3  # the tutorial's softmax denominator times e^2


def _same(a, b) -> bool:
    return sp.simplify(a - b) == 0


@pytest.mark.spec("W3_3")
def test_W3_3_tutorial_forward_is_exact_in_e():
    y = forward(TUTORIAL_LAYERS, TUTORIAL_X)
    assert all(_same(yk, v) for yk, v in zip(y, (e / D, e**3 / D, 1 / D), strict=True))


@pytest.mark.slow
@pytest.mark.spec("S15")
def test_S15_tutorial_loss_and_output_layer_gradients_closed_form():
    g = tutorial_gradients()
    assert _same(g.loss, sp.log(D) - 1)  # -ln(e / D)
    db3 = g.grads[2]["b"]
    delta = [e / D - 1, e**3 / D, 1 / D]  # W4_1: y - t
    assert all(_same(db3[j], -delta[j]) for j in range(3))  # S20: db = -delta
    dW3 = g.grads[2]["W"]
    cde = (0, 1, 2)  # S20: dW = x^T delta with x = (c, d, e) of W3_2
    assert all(_same(dW3[i, j], cde[i] * delta[j]) for i in range(3) for j in range(3))


@pytest.mark.slow
@pytest.mark.spec("S20")
def test_S20_tutorial_hidden_gradients_closed_form():
    g = tutorial_gradients()
    # dead ReLUs (b in layer 1, c in layer 2) pass no gradient
    assert g.grads[0]["b"][1] == 0 and g.grads[1]["b"][0] == 0
    assert _same(g.grads[0]["b"][0], (5 * e**3 - 4) / D)
    assert _same(g.grads[1]["b"][1], (2 - 3 * e**3) / D)
    assert _same(g.grads[1]["b"][2], (1 - e**3) / D)


@pytest.mark.slow
@pytest.mark.spec("W4_1")
def test_W4_1_tutorial_gradients_as_floats():
    floats = tutorial_gradients().floats()
    w4_1 = [-0.88580480062, 0.84379473448, 0.04201006613]  # delta = y - t; db = -delta (S20)
    assert floats[2]["b"] == pytest.approx([-v for v in w4_1], abs=1e-11)
    assert [len(g["W"]) for g in floats] == [3, 2, 3]
    assert floats[0]["W"][0][0] == pytest.approx(-4.050933407870433, rel=1e-15)


@pytest.mark.spec("S8")
def test_S8_relu_convention_at_exact_kink():
    layers = [{"W": [[1.0]], "b": [1.0], "activation": "relu"},  # u = 1 - 1 = 0: the kink
              {"W": [[2.0]], "b": [0.0], "activation": "identity"}]  # fmt: skip
    assert preactivations(layers, [1.0])[0] == [0]
    one = gradients(layers, [1.0], [3.0], "squared_error").floats()
    zero = gradients(layers, [1.0], [3.0], "squared_error", relu_grad_at_zero=0).floats()
    assert one[0]["W"] == [[-6.0]] and one[0]["b"] == [6.0]  # dE/dy = -3, times 2, times 1
    assert zero[0]["W"] == [[0.0]] and zero[0]["b"] == [0.0]


@pytest.mark.spec("S1")
def test_S1_parameters_symbolic_or_exact():
    w = sp.Symbol("w", real=True)
    layers = [{"W": [[w]], "b": [sp.Rational(1, 3)], "activation": "identity"}]
    g = gradients(layers, [2], [0], "squared_error")
    assert _same(g.grads[0]["W"][0, 0], 2 * (2 * w - sp.Rational(1, 3)))
    assert exact(0.1) == sp.Rational(1, 10) and exact("1/3") == sp.Rational(1, 3)


def test_size_guard_is_immediate_and_names_the_size():
    n = 12
    big = [{"W": [[0.0] * n] * n, "b": [0.0] * n, "activation": "sigmoid"}] * 2
    count = parameter_count(big)
    assert count > MAX_PARAMS
    start = time.perf_counter()
    with pytest.raises(SymbolicSizeError, match=rf"{count} parameters.*finite differences"):
        gradients(big, [0.0] * n, [0.0] * n, "squared_error")
    assert time.perf_counter() - start < 1.0
    assert check_size(TUTORIAL_LAYERS) == 29


BAD = [
    ("unknown activation", [{"W": [[1]], "b": [0], "activation": "gelu"}], [1], [1],
     "squared_error", "unknown activation 'gelu'"),
    ("W rows", [{"W": [[1], [2]], "b": [0], "activation": "identity"}], [1], [1],
     "squared_error", "W must have 1 rows"),
    ("ragged W", [{"W": [[1, 2]], "b": [0], "activation": "identity"}], [1], [1],
     "squared_error", "len\\(b\\) = 1"),
    ("step layer", [{"W": [[1]], "b": [0], "activation": "step"}], [1], [1],
     "squared_error", "layer 0 uses 'step'.*S5"),
    ("unknown loss", [{"W": [[1]], "b": [0], "activation": "identity"}], [1], [1],
     "hinge", "unknown loss 'hinge'"),
    ("teacher size", [{"W": [[1]], "b": [0], "activation": "identity"}], [1], [1, 0],
     "squared_error", "t has 2 entries"),
    ("not a number", [{"W": [["x"]], "b": [0], "activation": "identity"}], [1], [1],
     "squared_error", "layer 0 W\\[0\\]\\[0\\] is not a decimal"),
    ("nan", [{"W": [[float("nan")]], "b": [0], "activation": "identity"}], [1], [1],
     "squared_error", "must be finite"),
    ("no layers", [], [1], [1], "squared_error", "non-empty list"),
]  # fmt: skip


@pytest.mark.spec("S2", "S5")
@pytest.mark.parametrize(("layers", "x", "t", "loss", "message"), [b[1:] for b in BAD],
                         ids=[f"S2-{b[0]}" for b in BAD])  # fmt: skip
def test_bad_input_is_one_clear_line(layers, x, t, loss, message):
    with pytest.raises(SymbolicNetworkError, match=message) as info:
        gradients(layers, x, t, loss)
    assert "\n" not in str(info.value)


def test_step_forward_is_allowed():
    assert forward([{"W": [[1]], "b": [1], "activation": "step"}], [1]) == [1]  # S5: u = 0 -> 1
