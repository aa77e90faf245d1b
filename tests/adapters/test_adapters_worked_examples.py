"""Each example adapter reproduces the spec's worked examples and the tutorial network.

The expected numbers are the tutorial's (the spec's table, conformance/spec/spec.md),
typed in here; the tutorial
network's full gradient is also checked against central finite differences and against
``reference``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from nnref import reference
from tests.adapters.cases import (
    ADAPTERS,
    arr,
    assert_same_gradients,
    finite_difference_gradients,
    load,
)

PRINTED = 1e-10  # the tutorial prints 11 decimals
W3_3 = [0.11419519938, 0.84379473448, 0.04201006613]
W4_1 = [-0.88580480062, 0.84379473448, 0.04201006613]
D_SOFTMAX = [0.93623955187, 0.04661262257, 0.01714782554]
LAYER_1, LAYER_2, LAYER_3 = reference.TUTORIAL_LAYERS  # D_hidden, W3_2, W3_3


@pytest.fixture(params=ADAPTERS)
def impl(request):
    return load(request.param)


def _layer_output(impl, layer, x):
    u = impl.linear(x, layer["W"], layer["b"])
    return arr(getattr(impl, layer["activation"])(u))


@pytest.mark.spec("W1_1")
def test_W1_1_weighted_sum_subtracts_the_threshold(impl):
    u = impl.linear([1.0, -1.0, 2.0, -2.0], [[1.0], [2.0], [-1.0], [-2.0]], [2.0])
    np.testing.assert_allclose(arr(u), [-1.0], atol=1e-15)


@pytest.mark.parametrize(
    ("clause", "fn", "u", "expected"),
    [
        ("W2_1", "step", -1.0, 0.0),
        ("W2_2", "step", 5.0, 1.0),
        ("W2_3", "relu", -1.0, 0.0),
        ("W2_4", "relu", 5.0, 5.0),
    ],
)
def test_W2_step_and_relu_of_the_weighted_sums(impl, clause, fn, u, expected):
    assert arr(getattr(impl, fn)([u])).tolist() == [expected], clause


@pytest.mark.slow
@pytest.mark.spec("D_hidden")
def test_D_hidden_first_hidden_layer(impl):
    np.testing.assert_allclose(_layer_output(impl, LAYER_1, [1.0, 0.0, 1.0]), [1.0, 0.0])


@pytest.mark.spec("W3_2")
def test_W3_2_second_hidden_layer(impl):
    np.testing.assert_allclose(_layer_output(impl, LAYER_2, [1.0, 0.0]), [0.0, 1.0, 2.0])


@pytest.mark.spec("D_softmax")
def test_D_softmax(impl):
    np.testing.assert_allclose(arr(impl.softmax([3.0, 0.0, -1.0])), D_SOFTMAX, atol=PRINTED)


@pytest.mark.spec("W3_3")
def test_W3_3_output_layer(impl):
    np.testing.assert_allclose(_layer_output(impl, LAYER_3, [0.0, 1.0, 2.0]), W3_3, atol=PRINTED)


@pytest.mark.spec("W3_3")
def test_W3_3_forward_through_the_tutorial_network(impl):
    y = impl.forward(reference.TUTORIAL_LAYERS, reference.TUTORIAL_X)
    np.testing.assert_allclose(arr(y), W3_3, atol=PRINTED)


@pytest.mark.spec("D_mse", "E6")
def test_D_mse_squared_error_is_a_halved_sum_E6(impl):
    assert float(impl.squared_error([28.0, 500.0], [30.0, 550.0])) == 1252.0


@pytest.mark.spec("D_ce", "E1")
def test_D_ce_cross_entropy_uses_the_natural_log_E1(impl):
    y = impl.softmax([3.0, 0.0, -1.0])  # D_softmax, unrounded
    loss = float(impl.cross_entropy(y, [0.0, 1.0, 0.0]))
    assert loss == pytest.approx(3.0658839038, abs=PRINTED)
    assert loss != pytest.approx(1.33149646163, abs=1e-3)  # the printed value, log10 (E1)
    assert loss == pytest.approx(-math.log(arr(y)[1]), rel=1e-15)


@pytest.mark.slow
@pytest.mark.spec("W4_1")
def test_W4_1_output_error_of_softmax_cross_entropy(impl):
    """S15/S20: the last layer's db = -delta = -(y - t); dW[i] = x_i delta with x = (0, 1, 2)."""
    grads = impl.gradients(
        reference.TUTORIAL_LAYERS, reference.TUTORIAL_X, reference.TUTORIAL_T, "cross_entropy"
    )
    delta = np.array(W4_1)
    np.testing.assert_allclose(arr(grads[2]["b"]), -delta, atol=PRINTED)
    np.testing.assert_allclose(arr(grads[2]["W"]), [0 * delta, delta, 2 * delta], atol=PRINTED)


@pytest.mark.slow
@pytest.mark.spec("S20")
def test_S20_tutorial_network_gradients_match_finite_differences(impl):
    layers, x, t = reference.TUTORIAL_LAYERS, reference.TUTORIAL_X, reference.TUTORIAL_T
    numeric = finite_difference_gradients(
        reference.forward, reference.cross_entropy, layers, x, t, h=1e-6
    )
    got = impl.gradients(layers, x, t, "cross_entropy")
    assert_same_gradients(got, numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.spec("S20")
def test_S20_tutorial_network_gradients_match_the_reference(impl):
    layers, x, t = reference.TUTORIAL_LAYERS, reference.TUTORIAL_X, reference.TUTORIAL_T
    expected = reference.gradients(layers, x, t, "cross_entropy")
    assert_same_gradients(impl.gradients(layers, x, t, "cross_entropy"), expected)


@pytest.mark.spec("W3_1")
@pytest.mark.parametrize(
    ("clause", "applicant", "x"),
    [
        ("W3_1", (900_000, False, False), [0.0, 0.0, 0.0]),  # student, rents a flat
        ("S4", (5_000_000, False, True), reference.TUTORIAL_X),  # the tutorial's input
        ("S4", (4_700_000, True, False), [1.0, 1.0, 0.0]),  # the boundary counts
    ],
)
def test_W3_1_numpy_encodes_the_applicant(clause, applicant, x):
    assert arr(load("numpy").encode_applicant(*applicant)).tolist() == x, clause
