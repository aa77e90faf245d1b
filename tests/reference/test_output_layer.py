"""The output layer's error delta = dE/du (S8, S14, S15): the ReLU convention at an output kink,
and sigmoid + cross-entropy computed from u where the sigmoid's output underflows."""

import math

import pytest

from nnref import reference as r
from nnref.reference.activations import log_sigmoid, softplus

OUTPUT_RELU = [{"W": [[1.0]], "b": [1.0], "activation": "relu"}]  # x = 1 puts u exactly at 0


@pytest.mark.spec("S8", "S15")
@pytest.mark.parametrize("at_zero", [1.0, 0.0, 0.5])
def test_S8_output_relu_at_zero_takes_the_convention_asked_for(at_zero):
    grads = r.gradients(OUTPUT_RELU, [1.0], [1.0], "squared_error", relu_grad_at_zero=at_zero)
    # y = relu(0) = 0, dE/dy = y - t = -1, delta = -1 * ReLU'(0); dW = x delta, db = -delta
    assert grads == [{"W": [[-at_zero]], "b": [at_zero]}]


@pytest.mark.spec("S8", "S15")
def test_S8_batch_gradients_pass_the_convention_to_the_output_layer():
    grads = r.batch_gradients(OUTPUT_RELU, [[1.0]], [[1.0]], "squared_error", 0.0)
    assert grads[0]["b"] == [0.0]


SATURATED = [{"W": [[1.0], [0.0]], "b": [800.0], "activation": "sigmoid"}]  # u = x0 - 800


@pytest.mark.spec("S6", "S14", "S15")
def test_S14_saturated_sigmoid_cross_entropy_keeps_its_gradient():
    (g,) = r.gradients(SATURATED, [1.0, 0.0], [1.0], "cross_entropy")
    # u = -799: sigmoid(u) underflows to 0, yet dE/du = -t (1 - sigmoid(u)) = -1
    assert g == {"W": [[-1.0], [0.0]], "b": [1.0]}
    assert r.loss_value(SATURATED, [1.0, 0.0], [1.0], "cross_entropy") == 799.0


@pytest.mark.spec("S6", "S14")
@pytest.mark.parametrize("u", [-1e300, -5000.0, -745.0, -40.0, -1.5, 0.0, 2.0, 40.0, 5000.0])
def test_S14_sigmoid_cross_entropy_is_finite_and_exact_for_every_finite_u(u):
    layers = [{"W": [[u]], "b": [0.0], "activation": "sigmoid"}]  # x = 1 gives this u
    loss = r.loss_value(layers, [1.0], [1.0], "cross_entropy")
    (g,) = r.gradients(layers, [1.0], [1.0], "cross_entropy")
    assert math.isfinite(loss) and loss == pytest.approx(softplus(-u), rel=1e-15)
    assert g["b"][0] == pytest.approx(1.0 / (1.0 + math.exp(min(u, 700.0))), rel=1e-14, abs=1e-300)


@pytest.mark.spec("S6", "S14")
def test_S14_sigmoid_cross_entropy_from_u_agrees_with_the_chain_where_y_is_not_small():
    layers = [{"W": [[0.5, -1.0]], "b": [0.25, -0.5], "activation": "sigmoid"}]
    x, t = [1.5], [1.0, 0.0]
    y = r.forward(layers, x)
    assert r.loss_value(layers, x, t, "cross_entropy") == pytest.approx(r.cross_entropy(y, t))
    (g,) = r.gradients(layers, x, t, "cross_entropy")
    chain = [-tk / yk * yk * (1 - yk) for yk, tk in zip(y, t)]  # dE/dy times sigmoid'
    assert g["b"] == pytest.approx([-d for d in chain], rel=1e-14)


@pytest.mark.spec("S6")
def test_S6_log_sigmoid_is_minus_softplus_of_minus_u():
    assert log_sigmoid([0.0]) == [-math.log(2.0)]
    assert log_sigmoid([-800.0]) == [-800.0] and log_sigmoid([800.0]) == [-0.0]
    assert softplus(1.0) == pytest.approx(math.log1p(math.e), rel=1e-15)
