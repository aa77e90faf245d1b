"""The tutorial network's full backward pass (S15-S20), value by value.

Hand derivation (x = (1, 0, 1), t = (1, 0, 0)):
hidden 1: u = (1, -1), y = (1, 0); hidden 2: u = (-1, 1, 2), y = (0, 1, 2);
output: u = (-1, 1, -2), y = softmax(u), delta3 = y - t.
delta2 = (W3 delta3) * relu'(u2) = (.., ..) with the first entry zeroed (u2_1 = -1 < 0);
delta1 = (W2 delta2) * relu'(u1) with the second entry zeroed (u1_2 = -1 < 0).
"""

import math

import pytest

from nnref import reference as r

E = math.e
Z = E**-1 + E + E**-2
Y = [E**-1 / Z, E / Z, E**-2 / Z]
DELTA3 = [Y[0] - 1.0, Y[1], Y[2]]
# W3 rows are the inputs c, d, e: dx_i = sum_j W3[i][j] delta3_j, then relu'(u2) = (0, 1, 1).
W3 = r.TUTORIAL_LAYERS[2]["W"]
DX2 = [sum(w * d for w, d in zip(row, DELTA3)) for row in W3]
DELTA2 = [0.0, DX2[1], DX2[2]]
W2 = r.TUTORIAL_LAYERS[1]["W"]
DX1 = [sum(w * d for w, d in zip(row, DELTA2)) for row in W2]
DELTA1 = [DX1[0], 0.0]


@pytest.fixture(scope="module")
def grads():
    return r.gradients(r.TUTORIAL_LAYERS, r.TUTORIAL_X, r.TUTORIAL_T, "cross_entropy")


@pytest.mark.spec("S20")
def test_S20_output_layer_weight_gradients(grads):
    x3 = [0.0, 1.0, 2.0]
    expected = [[xi * dj for dj in DELTA3] for xi in x3]
    assert grads[2]["W"] == [pytest.approx(row, rel=1e-14, abs=1e-15) for row in expected]


@pytest.mark.spec("S20")
def test_S20_threshold_gradient_is_minus_delta(grads):
    assert grads[2]["b"] == pytest.approx([-d for d in DELTA3], rel=1e-14)
    assert grads[1]["b"] == pytest.approx([-d for d in DELTA2], rel=1e-14)
    assert grads[0]["b"] == pytest.approx([-d for d in DELTA1], rel=1e-14)


@pytest.mark.spec("S19", "S20")
def test_S19_S20_hidden_layers(grads):
    assert grads[1]["W"] == [
        pytest.approx([xi * d for d in DELTA2], rel=1e-14) for xi in (1.0, 0.0)
    ]
    assert grads[0]["W"] == [
        pytest.approx([xi * d for d in DELTA1], rel=1e-14) for xi in r.TUTORIAL_X
    ]


@pytest.mark.spec("S20")
def test_S20_closed_form_first_layer_value(grads):
    # delta1_a = W2[0] . delta2 = 1*0 + (-1)*dx2_d + (-2)*dx2_e; a number to pin, 4.0509334078...
    assert grads[0]["b"][0] == pytest.approx(4.050933407870433, rel=1e-14)
    assert grads[0]["W"][0][0] == pytest.approx(-4.050933407870433, rel=1e-14)


@pytest.mark.spec("S14")
def test_S14_tutorial_network_loss():
    loss = r.loss_value(r.TUTORIAL_LAYERS, r.TUTORIAL_X, r.TUTORIAL_T, "cross_entropy")
    assert loss == pytest.approx(-math.log(Y[0]), rel=1e-15)


@pytest.mark.spec("S2")
def test_S2_tutorial_network_shape():
    assert [(len(L["W"]), len(L["b"])) for L in r.TUTORIAL_LAYERS] == [(3, 2), (2, 3), (3, 3)]
    assert [L["activation"] for L in r.TUTORIAL_LAYERS] == ["relu", "relu", "softmax"]
