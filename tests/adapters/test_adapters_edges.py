"""Edge cases the spec implies, for every adapter: overflow-free activations and losses,
step refused in backprop, optimizers, Box-Muller, untouched inputs, one-line errors."""

from __future__ import annotations

import copy
import math
import warnings

import numpy as np
import pytest

from nnref import reference
from tests.adapters.cases import ADAPTERS, arr, assert_same_gradients, load

TINY = np.finfo(np.float64).tiny


@pytest.fixture(params=ADAPTERS)
def impl(request):
    return load(request.param)


@pytest.fixture(autouse=True)
def _warnings_are_errors():
    """An overflow or log(0) that numpy only warns about must fail the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        yield


# --- S6, S10, S14: finite at +-1000 and 1e300 ----------------------------------------


@pytest.mark.slow
@pytest.mark.spec("S6")
def test_S6_sigmoid_saturates_without_overflow(impl):
    y = arr(impl.sigmoid([1000.0, -1000.0, 1e300, -1e300, 0.0]))
    assert y.tolist() == [1.0, 0.0, 1.0, 0.0, 0.5]


@pytest.mark.slow
@pytest.mark.spec("S10")
@pytest.mark.parametrize(
    ("u", "expected"),
    [
        ([1000.0, -1000.0, 0.0], [1.0, 0.0, 0.0]),
        ([1e300, -1e300], [1.0, 0.0]),
        ([1000.0, 1000.0], [0.5, 0.5]),
        ([-1000.0, -1000.0, -1000.0, -1000.0], [0.25] * 4),
    ],
)
def test_S10_softmax_is_finite_for_huge_logits(impl, u, expected):
    y = arr(impl.softmax(u))
    np.testing.assert_allclose(y, expected, atol=1e-15)
    assert y.sum() == pytest.approx(1.0, abs=1e-15)


@pytest.mark.spec("S14")
def test_S14_terms_with_t_zero_contribute_zero_even_where_y_is_zero(impl):
    assert float(impl.cross_entropy([0.5, 0.0, 0.5], [1.0, 0.0, 0.0])) == pytest.approx(
        math.log(2.0), rel=1e-15
    )


@pytest.mark.spec("S14")
def test_S14_an_output_that_underflowed_counts_as_the_smallest_float(impl):
    """Where t_k != 0 and y_k = 0, ln y_k is taken at TINY, as the reference does."""
    got = float(impl.cross_entropy([1.0, 0.0], [0.0, 1.0]))
    assert got == -math.log(TINY) == reference.cross_entropy([1.0, 0.0], [0.0, 1.0])


@pytest.mark.spec("S14")
def test_S14_a_negative_output_is_refused_where_t_is_not_zero(impl):
    with pytest.raises(ValueError, match="y >= 0"):
        impl.cross_entropy([-0.5, 1.5], [1.0, 0.0])


@pytest.mark.slow
@pytest.mark.spec("S15")
def test_S15_softmax_cross_entropy_gradient_is_y_minus_t_at_logits_of_1000(impl):
    layers = [{"W": [[1000.0, -1000.0, 0.0]], "b": [0.0, 0.0, 0.0], "activation": "softmax"}]
    grads = impl.gradients(layers, [1.0], [0.0, 1.0, 0.0], "cross_entropy")
    delta = np.array([1.0, 0.0, 0.0]) - [0.0, 1.0, 0.0]  # y - t
    np.testing.assert_allclose(arr(grads[0]["b"]), -delta, atol=1e-15)
    np.testing.assert_allclose(arr(grads[0]["W"]), [delta], atol=1e-15)


@pytest.mark.slow
@pytest.mark.spec("S15")
def test_S15_softmax_cross_entropy_with_a_teacher_that_does_not_sum_to_1(impl):
    """delta = y sum(t) - t, the exact gradient (y - t holds only for one-hot t)."""
    layers = [{"W": [[1.0, -2.0, 0.5]], "b": [0.1, 0.0, -0.3], "activation": "softmax"}]
    x, t = [0.7], [0.5, 0.5, 0.5]
    expected = reference.gradients(layers, x, t, "cross_entropy")
    assert_same_gradients(impl.gradients(layers, x, t, "cross_entropy"), expected)


# --- S5: step cannot be backpropagated -------------------------------------------------


@pytest.mark.spec("S5")
@pytest.mark.parametrize("where", [0, 1])
def test_S5_backprop_through_step_is_refused_naming_the_layer(impl, where):
    layers = [
        {"W": [[1.0, -1.0]], "b": [0.0, 0.5], "activation": "relu"},
        {"W": [[1.0], [2.0]], "b": [0.0], "activation": "identity"},
    ]
    layers[where]["activation"] = "step"
    assert arr(impl.forward(layers, [1.0])).shape == (1,)  # forward through step is fine
    with pytest.raises(ValueError, match=f"layer {where} uses the step activation"):
        impl.gradients(layers, [1.0], [1.0], "squared_error")


# --- S22, S23: optimizers -------------------------------------------------------------


@pytest.mark.spec("S22")
def test_S22_sgd_step(impl):
    np.testing.assert_allclose(arr(impl.sgd_step([1.0, 2.0], [0.5, -1.0], 0.1)), [0.95, 2.1])


@pytest.mark.spec("S23")
def test_S23_adam_zero_gradient_still_moves_and_counts_as_a_step(impl):
    """A multi-step trajectory from m = v = 0 with zero gradients in the middle."""
    w, m, v = [1.0, -2.0], [0.0, 0.0], [0.0, 0.0]
    rw, rm, rv = w, m, v
    for t, g in enumerate([[0.3, -0.1], [0.0, 0.0], [0.0, 0.0], [1.0, 2.0]], start=1):
        before = w
        w, m, v = (arr(s).tolist() for s in impl.adam_step(w, g, m, v, t))
        rw, rm, rv = reference.adam_step(rw, g, rm, rv, t)
        for got, expected in zip((w, m, v), (rw, rm, rv)):
            np.testing.assert_allclose(got, expected, rtol=1e-13, atol=1e-300)
        assert w[0] != before[0]  # every step moves w, a zero-gradient step too


@pytest.mark.spec("S23")
def test_S23_adam_hyperparameters_are_keywords(impl):
    w, m, v = impl.adam_step([1.0], [0.5], [0.1], [0.2], 3, lr=0.01, beta1=0.5, beta2=0.9, eps=0.1)
    expected = reference.adam_step([1.0], [0.5], [0.1], [0.2], 3, 0.01, 0.5, 0.9, 0.1)
    for got, e in zip((w, m, v), expected):
        np.testing.assert_allclose(arr(got), e, rtol=1e-14)


@pytest.mark.spec("S23")
@pytest.mark.parametrize("t", [0, -1, 1.5, True])
def test_S23_adam_step_number_is_a_positive_integer(impl, t):
    with pytest.raises(ValueError, match="step number t"):
        impl.adam_step([1.0], [0.5], [0.0], [0.0], t)


# --- S25: Box-Muller ------------------------------------------------------------------


@pytest.mark.spec("S25")
@pytest.mark.parametrize(
    ("x", "y", "z"),
    [
        (math.exp(-0.5), 0.0, 1.0),
        (1.0, 0.3, 0.0),
        (math.exp(-2.0), 0.5, -2.0),
        (math.exp(-4.5), 0.25, 0.0),
    ],
)
def test_S25_box_muller_at_known_uniforms(impl, x, y, z):
    assert float(impl.box_muller(x, y)) == pytest.approx(z, abs=1e-15)


@pytest.mark.spec("S25")
@pytest.mark.parametrize("x", [0.0, -0.1, 1.5])
def test_S25_box_muller_refuses_x_outside_0_1(impl, x):
    with pytest.raises(ValueError, match="x must lie in"):
        impl.box_muller(x, 0.5)


# --- the protocol's promises: inputs untouched, repeatable, one-line errors ------------


@pytest.mark.slow
def test_gradients_leave_the_callers_arrays_alone_and_repeat(impl):
    layers = copy.deepcopy(reference.TUTORIAL_LAYERS)
    for layer in layers:
        layer["W"], layer["b"] = np.array(layer["W"]), np.array(layer["b"])
    x, t = np.array(reference.TUTORIAL_X), np.array(reference.TUTORIAL_T)
    first = impl.gradients(layers, x, t, "cross_entropy")
    second = impl.gradients(layers, x, t, "cross_entropy")
    assert_same_gradients(first, second, rtol=0, atol=0)
    for layer, original in zip(layers, reference.TUTORIAL_LAYERS):
        assert layer["W"].tolist() == original["W"] and layer["b"].tolist() == original["b"]
    assert x.tolist() == reference.TUTORIAL_X and t.tolist() == reference.TUTORIAL_T


def test_adam_step_leaves_the_callers_arrays_alone(impl):
    w, g, m, v = (np.array([1.0, 2.0]), np.array([0.1, 0.2]), np.zeros(2), np.zeros(2))
    impl.adam_step(w, g, m, v, 1)
    assert w.tolist() == [1.0, 2.0] and m.tolist() == [0.0, 0.0] and v.tolist() == [0.0, 0.0]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda L: L[1].update(activation="gelu"), "layer 1: unknown activation 'gelu'"),
        (lambda L: L[1].update(W=[[1.0, 2.0]]), "layer 1: W has shape"),
        (lambda L: L[0].pop("b"), "layer 0 must be a dict"),
    ],
    ids=["unknown-activation", "W-shape", "missing-b"],
)
def test_bad_network_gives_a_one_line_error(impl, change, message):
    layers = copy.deepcopy(reference.TUTORIAL_LAYERS)
    change(layers)
    for call in (
        lambda: impl.forward(layers, [1.0, 0.0, 1.0]),
        lambda: impl.gradients(layers, [1.0, 0.0, 1.0], [1.0, 0.0, 0.0], "cross_entropy"),
    ):
        with pytest.raises(ValueError, match=message) as info:
            call()
        assert "\n" not in str(info.value)


def test_bad_loss_and_teacher_give_one_line_errors(impl):
    layers, x = reference.TUTORIAL_LAYERS, reference.TUTORIAL_X
    with pytest.raises(ValueError, match="unknown loss 'hinge'"):
        impl.gradients(layers, x, [1.0, 0.0, 0.0], "hinge")
    with pytest.raises(ValueError, match="3 entries but the teacher t has 2"):
        impl.gradients(layers, x, [1.0, 0.0], "cross_entropy")
