"""The tutorial's worked examples, computed through the reference's public API."""

import math

import pytest

from nnref import reference as r
from nnref.reference.tutorial import encode_applicant

# The tutorial prints 11 decimals, truncated (0.9362395518765 -> 0.93623955187), and
# derives later answers from those printed numbers (W4_1: f - 1 = -0.88580480062).
# So a printed answer agrees with the exact value to within one unit of the 11th decimal.
PRINTED = 1e-11


@pytest.mark.spec("W1_1")
def test_W1_1_weighted_sum_subtracts_threshold():
    # S1: u = 1*1 + (-1)*2 + 2*(-1) + (-2)*(-2) - 2 = -1
    W = [[1.0], [2.0], [-1.0], [-2.0]]
    assert r.linear([1.0, -1.0, 2.0, -2.0], W, [2.0]) == [-1.0]


@pytest.mark.spec("S1")
def test_S1_negative_threshold_adds():
    assert r.linear([1.0], [[1.0]], [-3.0]) == [4.0]


@pytest.mark.spec("W1_2", "W2_2", "W2_4")
def test_W1_2_figure_value_feeds_W2_2_and_W2_4():
    # W1_2's inputs live in a missing figure; its answer u = 5 is what W2_2 and W2_4 use.
    assert r.step([5.0]) == [1.0]  # W2_2
    assert r.relu([5.0]) == [5.0]  # W2_4


@pytest.mark.spec("W1_1", "W2_1")
def test_W2_1_step_of_W1_1():
    assert r.step([-1.0]) == [0.0]


@pytest.mark.spec("W1_1", "W2_3")
def test_W2_3_relu_of_W1_1():
    assert r.relu([-1.0]) == [0.0]


@pytest.mark.spec("S5")
def test_S5_step_at_zero_is_one():
    assert r.step([0.0, -0.0, -1e-300]) == [1.0, 1.0, 0.0]


@pytest.mark.spec("S4", "W3_1")
def test_W3_1_S4_input_encoding_student():
    # A student: income under 1 million yen, no loan, rents a flat.
    assert encode_applicant(999_999, has_loan=False, detached_house=False) == [0.0, 0.0, 0.0]


@pytest.mark.spec("S4")
def test_S4_tutorial_applicant_is_the_network_input():
    assert encode_applicant(5_000_000, has_loan=False, detached_house=True) == r.TUTORIAL_X
    assert encode_applicant(4_700_000, True, False) == [1.0, 1.0, 0.0]  # "at least" 4.7 million


@pytest.mark.spec("D_hidden")
def test_D_hidden_first_layer():
    layer = r.TUTORIAL_LAYERS[0]
    assert r.relu(r.linear(r.TUTORIAL_X, layer["W"], layer["b"])) == [1.0, 0.0]


@pytest.mark.spec("W3_2")
def test_W3_2_second_layer():
    layer = r.TUTORIAL_LAYERS[1]
    assert r.relu(r.linear([1.0, 0.0], layer["W"], layer["b"])) == [0.0, 1.0, 2.0]


@pytest.mark.spec("D_softmax")
def test_D_softmax_example():
    assert r.softmax([3.0, 0.0, -1.0]) == pytest.approx(
        [0.93623955187, 0.04661262257, 0.01714782554], abs=PRINTED
    )


@pytest.mark.spec("S10", "W3_3")
def test_W3_3_output_layer_and_S10_softmax():
    layer = r.TUTORIAL_LAYERS[2]
    y = r.softmax(r.linear([0.0, 1.0, 2.0], layer["W"], layer["b"]))
    assert y == pytest.approx([0.11419519938, 0.84379473448, 0.04201006613], abs=PRINTED)


@pytest.mark.spec("W3_3")
def test_tutorial_network_forward_equals_W3_3():
    y = r.forward(r.TUTORIAL_LAYERS, r.TUTORIAL_X)
    assert y == pytest.approx([0.11419519938, 0.84379473448, 0.04201006613], abs=PRINTED)


@pytest.mark.spec("D_mse", "E6")
def test_D_mse_E6_halved_sum():
    # S13/E6: 1/2 ((28-30)^2 + (500-550)^2) = 1/2 (4 + 2500) = 1252; a mean would give 626.
    assert r.squared_error([28.0, 500.0], [30.0, 550.0]) == 1252.0


@pytest.mark.spec("D_ce", "E1")
def test_D_ce_E1_natural_log():
    y = r.softmax([3.0, 0.0, -1.0])
    assert r.cross_entropy(y, [0.0, 1.0, 0.0]) == pytest.approx(3.0658839038, abs=5e-11)


@pytest.mark.spec("D_ce", "E1")
def test_D_ce_E1_printed_value_is_log10():
    # The tutorial's printed 1.33149646163 is -log10 of its printed (truncated) g = 0.04661262257,
    # to all 12 digits; the natural-log loss divided by ln 10 agrees to 1e-10.
    assert -math.log10(0.04661262257) == pytest.approx(1.33149646163, abs=5e-12)
    y = r.softmax([3.0, 0.0, -1.0])
    assert r.cross_entropy(y, [0.0, 1.0, 0.0]) / math.log(10) == pytest.approx(
        1.33149646163, abs=1e-10
    )
    assert r.cross_entropy(y, [0.0, 1.0, 0.0]) != pytest.approx(1.33149646163, abs=1e-3)


@pytest.mark.spec("W4_1")
def test_W4_1_output_error_is_y_minus_t_on_logits():
    # S15/E4: with softmax + cross-entropy the output layer's delta = y - t;
    # S20: the output thresholds' gradients are -delta.
    grads = r.gradients(r.TUTORIAL_LAYERS, r.TUTORIAL_X, r.TUTORIAL_T, "cross_entropy")
    delta = [-db for db in grads[2]["b"]]
    assert delta == pytest.approx([-0.88580480062, 0.84379473448, 0.04201006613], abs=PRINTED)
