"""Checks that mutation testing (benchmarks/bench_mutation.py) found no test for: the
reference's own input checks (S24, S26), a loss's gradient beside the loss (S14), the
batch loop's per-sample checks, the saved network's checks, and the epoch timer."""

import json
import math
import random

import pytest

from nnref import reference as r
from nnref.reference import datasets
from nnref.reference.losses import cross_entropy, cross_entropy_gradient
from nnref.reference.training import TrainConfig, train


@pytest.mark.spec("S24", "S26")
@pytest.mark.parametrize(
    "sizes, activations, what",
    [
        ([3], [], "at least two positive integers"),
        ([2, 0], ["identity"], "at least two positive integers"),
        ([2, 2.5], ["identity"], "at least two positive integers"),
        ([2, 3, 1], ["tanh"], "2 layers need 2 activations, got 1"),
    ],
)
def test_S24_init_layers_rejects_what_is_not_a_network(sizes, activations, what):
    with pytest.raises(r.NetworkError, match=what):
        r.init_layers(sizes, activations, random.Random(0))


@pytest.mark.spec("S14", "S15")
def test_S14_cross_entropy_gradient_is_the_derivative_of_cross_entropy():
    y, t, h = [0.2, 0.5, 0.3], [0.25, 0.0, 0.75], 1e-7
    for k, g in enumerate(cross_entropy_gradient(y, t)):
        up, down = list(y), list(y)
        up[k] += h
        down[k] -= h
        numeric = (cross_entropy(up, t) - cross_entropy(down, t)) / (2 * h)
        assert g == pytest.approx(numeric, rel=1e-6, abs=1e-9)
    assert cross_entropy_gradient([0.5], [1.0]) == [-2.0]  # -t / y


@pytest.mark.spec("S15")
def test_S15_batch_gradients_check_every_sample():
    layers = [{"W": [[1.0]], "b": [0.0], "activation": "identity"}]
    with pytest.raises(r.NetworkError, match="the teacher has 2 entries"):
        r.batch_gradients(layers, [[1.0], [2.0]], [[1.0], [1.0, 0.0]], "squared_error")


def _saved(tmp_path, **change) -> str:
    path = tmp_path / "net.json"
    r.save_network(str(path), [{"W": [[0.5]], "b": [0.25], "activation": "identity"}])
    doc = json.loads(path.read_text())
    doc["layers"][0].update(change)
    path.write_text(json.dumps(doc))
    return str(path)


def test_load_network_rejects_a_boolean_weight(tmp_path):
    with pytest.raises(r.NetworkError, match="not a finite number: True"):
        r.load_network(_saved(tmp_path, W=[[True]]))


def test_load_network_names_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "net.json"
    path.write_bytes(b'{"format": "\xff"}')
    with pytest.raises(r.NetworkError, match="cannot read network file"):
        r.load_network(str(path))


def test_each_epoch_is_timed_from_its_own_start():
    result = train(datasets.load("iris"), TrainConfig(hidden=(4,), epochs=2, lr=0.01))
    assert all(0.0 <= e["seconds"] < 60.0 for e in result.history)
    assert math.isfinite(sum(e["seconds"] for e in result.history))


@pytest.mark.spec("S8")
def test_S8_training_steps_take_the_tutorials_relu_derivative_at_zero():
    from nnref.reference.training.loop import step_gradients

    layers = [
        {"W": [[1.0, -1.0]], "b": [0.0, 0.5], "activation": "relu"},  # x = 0: u = (0, -0.5)
        {"W": [[1.0, 0.5], [0.5, 1.0]], "b": [0.0, 0.0], "activation": "softmax"},
    ]
    _, grads = step_gradients(layers, [[0.0]], [[1.0, 0.0]])
    one = r.batch_gradients(layers, [[0.0]], [[1.0, 0.0]], "cross_entropy", 1.0)
    zero = r.batch_gradients(layers, [[0.0]], [[1.0, 0.0]], "cross_entropy", 0.0)
    assert grads == one and grads != zero
