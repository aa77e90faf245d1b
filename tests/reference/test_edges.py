"""Extreme inputs, conventions and errors of the reference (S5, S8, S14, S23, E5)."""

import math

import pytest

from nnref import reference as r
from nnref.conformance.protocol.names import PROTOCOL
from nnref.reference.activations import relu_derivative

HUGE = (1000.0, -1000.0, 1e300, -1e300, 1.7e308, -1.7e308)


@pytest.mark.spec("S6", "S7")
@pytest.mark.parametrize("u", HUGE)
def test_S6_S7_sigmoid_tanh_finite_at_extremes(u):
    assert math.isfinite(r.sigmoid([u])[0]) and math.isfinite(r.tanh([u])[0])


@pytest.mark.spec("S6", "E5")
def test_S6_E5_sigmoid_saturates_without_overflow():
    assert r.sigmoid([1000.0, -1000.0]) == [1.0, 0.0]
    assert 0.0 < r.sigmoid([-700.0])[0] < 1e-300


@pytest.mark.spec("S10")
@pytest.mark.parametrize("u", [[1000.0, -1000.0, 0.0], [1e300, -1e300], [-1.7e308, 1.7e308]])
def test_S10_softmax_finite_at_extremes(u):
    y = r.softmax(u)
    assert all(math.isfinite(v) for v in y) and math.isclose(sum(y), 1.0)


@pytest.mark.spec("S14")
def test_S14_cross_entropy_zero_output_where_teacher_zero_contributes_nothing():
    assert r.cross_entropy([0.0, 1.0], [0.0, 1.0]) == 0.0


@pytest.mark.spec("S14")
def test_S14_cross_entropy_finite_when_output_underflowed():
    loss = r.cross_entropy([0.0, 1.0], [1.0, 0.0])
    assert math.isfinite(loss) and loss > 700


@pytest.mark.spec("S14")
def test_S14_softmax_cross_entropy_through_log_softmax_at_extremes():
    layers = [{"W": [[1.0, -1.0]], "b": [0.0, 0.0], "activation": "softmax"}]
    loss = r.loss_value(layers, [1000.0], [0.0, 1.0], "cross_entropy")
    assert loss == pytest.approx(2000.0)  # the exact value, not a clamp
    grads = r.gradients(layers, [1000.0], [0.0, 1.0], "cross_entropy")
    assert all(math.isfinite(v) for row in grads[0]["W"] for v in row)


@pytest.mark.spec("S8")
def test_S8_relu_derivative_at_zero_convention():
    assert relu_derivative([0.0, 2.0, -2.0], None) == [1.0, 1.0, 0.0]
    assert relu_derivative([0.0], None, at_zero=0.0) == [0.0]


@pytest.mark.spec("S8")
def test_S8_relu_convention_reaches_gradients():
    layers = [
        {"W": [[1.0]], "b": [0.0], "activation": "relu"},
        {"W": [[1.0]], "b": [0.0], "activation": "identity"},
    ]
    one = r.gradients(layers, [0.0], [1.0], "squared_error")
    zero = r.gradients(layers, [0.0], [1.0], "squared_error", relu_grad_at_zero=0.0)
    # delta_out = y - t = -1, so the hidden threshold gradient is -(-1 * relu'(0)).
    assert one[0]["b"] == [1.0] and zero[0]["b"] == [0.0]


@pytest.mark.spec("S5")
def test_S5_backprop_through_step_names_the_layer():
    layers = [
        {"W": [[1.0]], "b": [0.0], "activation": "step"},
        {"W": [[1.0]], "b": [0.0], "activation": "identity"},
    ]
    assert r.forward(layers, [2.0]) == [1.0]
    with pytest.raises(r.NetworkError, match="layer 0 uses the step activation"):
        r.gradients(layers, [2.0], [1.0], "squared_error")


@pytest.mark.spec("S23")
def test_S23_zero_gradient_still_counts_as_a_step():
    w, m, v = r.adam_step([1.0], [0.0], [0.2], [0.04], 3)
    assert m == [0.9 * 0.2] and v == [0.999 * 0.04] and w[0] < 1.0


@pytest.mark.spec("S23")
def test_S23_adam_rejects_step_zero():
    with pytest.raises(r.NetworkError, match="t must be an integer >= 1"):
        r.adam_step([1.0], [1.0], [0.0], [0.0], 0)


@pytest.mark.spec("S22", "S23")
def test_S22_S23_network_optimizers_update_thresholds_like_weights():
    for opt in (r.SGD(lr=0.1), r.Adam(lr=0.1)):
        layers = r.tutorial_layers()
        grads = r.gradients(layers, r.TUTORIAL_X, r.TUTORIAL_T, "cross_entropy")
        opt.step(layers, grads)
        assert layers[2]["b"] != r.TUTORIAL_LAYERS[2]["b"]
        assert layers[2]["W"][1] != r.TUTORIAL_LAYERS[2]["W"][1]
        assert layers[0]["W"][1] == r.TUTORIAL_LAYERS[0]["W"][1]  # x_1 = 0: no gradient


def test_batch_gradients_are_the_mean():
    layers = r.tutorial_layers()
    xs, ts = [r.TUTORIAL_X, [0.0, 1.0, 1.0]], [r.TUTORIAL_T, [0.0, 1.0, 0.0]]
    g0, g1 = (r.gradients(layers, x, t, "cross_entropy") for x, t in zip(xs, ts))
    mean = r.batch_gradients(layers, xs, ts, "cross_entropy")
    assert mean[2]["b"] == pytest.approx([(a + b) / 2 for a, b in zip(g0[2]["b"], g1[2]["b"])])


@pytest.mark.spec("S2")
@pytest.mark.parametrize(
    ("layers", "x", "message"),
    [
        ([], [1.0], "non-empty list"),
        ([{"W": [[1.0]], "b": [0.0]}], [1.0], "keys 'W', 'b' and 'activation'"),
        ([{"W": [[1.0]], "b": [0.0], "activation": "swish"}], [1.0], "unknown activation 'swish'"),
        ([{"W": [[1.0]], "b": [0.0], "activation": "relu"}], [1.0, 2.0], "W has 1 rows"),
        ([{"W": [[1.0, 2.0]], "b": [0.0], "activation": "relu"}], [1.0], r"W\[0\] has 2 columns"),
    ],
)
def test_S2_malformed_networks_get_one_line_errors(layers, x, message):
    with pytest.raises(r.NetworkError, match=message):
        r.forward(layers, x)


@pytest.mark.spec("S14")
def test_S14_unknown_loss_and_wrong_teacher():
    with pytest.raises(r.NetworkError, match="unknown loss 'mae'"):
        r.gradients(r.TUTORIAL_LAYERS, r.TUTORIAL_X, r.TUTORIAL_T, "mae")
    with pytest.raises(r.NetworkError, match="teacher has 2 entries"):
        r.gradients(r.TUTORIAL_LAYERS, r.TUTORIAL_X, [1.0, 0.0], "cross_entropy")


def test_gradients_do_not_modify_the_callers_network():
    layers = r.tutorial_layers()
    r.gradients(layers, r.TUTORIAL_X, r.TUTORIAL_T, "cross_entropy")
    assert layers == r.TUTORIAL_LAYERS


def test_protocol_namespace_is_complete():
    assert all(callable(getattr(r, n)) for n in PROTOCOL)


@pytest.mark.spec("S14")
def test_S14_cross_entropy_of_a_negative_output_is_refused_in_value_and_gradient():
    layers = [{"W": [[1.0, -1.0]], "b": [0.0, 0.0], "activation": "identity"}]
    with pytest.raises(r.NetworkError, match=r"y\[1\] = -2.0"):
        r.loss_value(layers, [2.0], [0.0, 1.0], "cross_entropy")
    with pytest.raises(r.NetworkError, match=r"y\[1\] = -2.0"):
        r.gradients(layers, [2.0], [0.0, 1.0], "cross_entropy")
