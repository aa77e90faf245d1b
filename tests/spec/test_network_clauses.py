"""S27 (the forward pass), S28 (supervised pairs) and S29 (one training step), on the
reference: the network is the composition of its layers, a sample is an input with its
teacher, and a step computes every gradient before it changes any weight."""

from __future__ import annotations

import copy
import itertools
import random

import pytest

from nnref import reference
from nnref.reference import SGD, TUTORIAL_LAYERS, TUTORIAL_T, TUTORIAL_X, NetworkError
from nnref.reference.activations import get_activation
from nnref.reference.init import init_layers
from nnref.reference.layer import input_gradient, linear, linear_backward
from nnref.reference.network import forward_pass


def _layer(layer: dict, x: list[float]) -> list[float]:
    """One layer on its own: y = f(xW - b) (S2)."""
    return get_activation(layer["activation"]).f(linear(x, layer["W"], layer["b"]))


def _network(seed: int) -> list[dict]:
    return init_layers([3, 4, 3, 2], ["sigmoid", "tanh", "softmax"], random.Random(seed))


@pytest.mark.spec("S27", "S2", "S3")
@pytest.mark.parametrize(
    "layers", [TUTORIAL_LAYERS, _network(1), _network(2)], ids=["tutorial", "seed1", "seed2"]
)
def test_S27_the_network_is_the_composition_of_its_layers(layers):
    x = list(TUTORIAL_X)
    composed = x
    for layer in layers:
        composed = _layer(layer, composed)
    assert reference.forward(layers, x) == composed
    records = forward_pass(layers, x)
    assert records[0].x == x  # the input layer hands x on unchanged (S3)
    assert all(a.y == b.x for a, b in itertools.pairwise(records))  # each layer feeds the next


@pytest.mark.spec("S27", "D_hidden", "W3_2", "W3_3")
def test_S27_the_tutorial_network_passes_its_answers_layer_to_layer():
    hidden1 = _layer(TUTORIAL_LAYERS[0], list(TUTORIAL_X))
    hidden2 = _layer(TUTORIAL_LAYERS[1], hidden1)
    assert (hidden1, hidden2) == ([1.0, 0.0], [0.0, 1.0, 2.0])  # D_hidden, W3_2
    out = _layer(TUTORIAL_LAYERS[2], hidden2)
    assert out == pytest.approx([0.11419519938, 0.84379473448, 0.04201006613], abs=1e-10)


@pytest.mark.spec("S28", "S14")
def test_S28_a_sample_is_an_input_with_a_teacher_of_the_output_layers_width():
    loss = reference.loss_value(TUTORIAL_LAYERS, TUTORIAL_X, TUTORIAL_T, "cross_entropy")
    assert loss > 0.0
    with pytest.raises(NetworkError, match="teacher has 2 entries but the network has 3"):
        reference.gradients(TUTORIAL_LAYERS, TUTORIAL_X, [1.0, 0.0], "cross_entropy")
    with pytest.raises(NetworkError, match="input has 2 entries"):
        reference.gradients(TUTORIAL_LAYERS, [1.0, 0.0], TUTORIAL_T, "cross_entropy")


def _tutorial_code_order(layers: list[dict], x, t, lr: float) -> list[dict]:
    """SGD the way the tutorial's code walks down: pass the gradient below, then update."""
    layers = copy.deepcopy(layers)
    records = forward_pass(layers, x)
    delta = [y - tk for y, tk in zip(records[-1].y, t)]  # softmax + cross-entropy (S15)
    for index in range(len(layers) - 1, -1, -1):
        dW, db = linear_backward(records[index].x, delta)
        below = input_gradient(layers[index]["W"], delta) if index else None  # old weights
        layer = layers[index]
        layer["W"] = [[w - lr * g for w, g in zip(*rows)] for rows in zip(layer["W"], dW)]
        layer["b"] = [b - lr * g for b, g in zip(layer["b"], db)]
        if index:
            previous = records[index - 1]
            act = get_activation(layers[index - 1]["activation"])
            delta = act.backward(previous.u, previous.y, below)
    return layers


def _update_before_passing_down(layers: list[dict], x, t, lr: float) -> list[dict]:
    """The wrong order: a layer's new weights carry the gradient to the layer below."""
    layers = copy.deepcopy(layers)
    records = forward_pass(layers, x)
    delta = [y - tk for y, tk in zip(records[-1].y, t)]
    for index in range(len(layers) - 1, -1, -1):
        dW, db = linear_backward(records[index].x, delta)
        layer = layers[index]
        layer["W"] = [[w - lr * g for w, g in zip(*rows)] for rows in zip(layer["W"], dW)]
        layer["b"] = [b - lr * g for b, g in zip(layer["b"], db)]
        if index:
            previous = records[index - 1]
            act = get_activation(layers[index - 1]["activation"])
            delta = act.backward(previous.u, previous.y, input_gradient(layer["W"], delta))
    return layers


@pytest.mark.spec("S29", "S22", "S20")
@pytest.mark.parametrize("seed", [3, 4])
def test_S29_every_gradient_comes_before_any_update(seed):
    layers, x, t, lr = _network(seed), [0.5, -1.0, 2.0], [0.0, 1.0], 0.5
    grads = reference.gradients(layers, x, t, "cross_entropy")
    stepped = copy.deepcopy(layers)
    SGD(lr).step(stepped, grads)
    assert _tutorial_code_order(layers, x, t, lr) == stepped  # the tutorial's code: the same
    wrong = _update_before_passing_down(layers, x, t, lr)
    assert wrong[-1] == stepped[-1] and wrong[0] != stepped[0]  # differs below the top


@pytest.mark.spec("S29", "S14")
def test_S29_a_step_lowers_the_loss_of_its_sample():
    layers, x, t = _network(5), [0.5, -1.0, 2.0], [0.0, 1.0]
    before = reference.loss_value(layers, x, t, "cross_entropy")
    SGD(0.1).step(layers, reference.gradients(layers, x, t, "cross_entropy"))
    assert reference.loss_value(layers, x, t, "cross_entropy") < before
