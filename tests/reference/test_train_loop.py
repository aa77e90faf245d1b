"""The training loop: the tutorial's pieces (S15-S26) wired together, seeded and reproducible."""

from __future__ import annotations

import math
import random
import statistics

import pytest

from nnref import reference
from nnref.reference import datasets
from nnref.reference.training import DataError, TrainConfig, parse_csv, parse_hidden, train
from nnref.reference.training.loop import one_hot, step_gradients
from nnref.reference.training.prepare import Standardizer, stratified_split

# A small, clearly learnable problem: the class is which of x0, x1 is larger.
_rng = random.Random(1234)
_ROWS = [[_rng.uniform(-1, 1), _rng.uniform(-1, 1), _rng.uniform(-1, 1)] for _ in range(60)]
TOY = parse_csv(
    "x0,x1,noise,class\n"
    + "".join(f"{a!r},{b!r},{c!r},{'A' if a > b else 'B'}\n" for a, b, c in _ROWS),
    "class",
    name="toy",
)
FAST = TrainConfig(hidden=(8,), epochs=3, lr=0.01)


def _without_time(history):
    return [{k: v for k, v in e.items() if k != "seconds"} for e in history]


# --- split and standardization ---------------------------------------------------------


def test_stratified_split_keeps_class_proportions_and_partitions_the_samples():
    targets = datasets.load("wine").targets
    train_idx, test_idx = stratified_split(targets, 0.3, random.Random(0))
    assert sorted(train_idx + test_idx) == list(range(len(targets)))
    test_counts = [sum(targets[n] == k for n in test_idx) for k in range(3)]
    assert test_counts == [round(0.3 * 59), round(0.3 * 71), round(0.3 * 48)]


def test_split_is_seeded():
    targets = datasets.load("iris").targets
    first = stratified_split(targets, 0.3, random.Random(5))
    assert first == stratified_split(targets, 0.3, random.Random(5))
    assert first != stratified_split(targets, 0.3, random.Random(6))


def test_standardizer_uses_training_statistics_only():
    rows = [[1.0, 5.0], [3.0, 5.0]]
    z = Standardizer.fit(rows)
    assert z.mean == [2.0, 5.0] and z.std == [1.0, 1.0]  # constant column: std 0 -> 1
    assert z([3.0, 7.0]) == [1.0, 2.0]
    data = datasets.load("iris")
    result = train(data, TrainConfig(epochs=0))
    assert result.n_train == 90
    columns = list(zip(*[result.standardizer(data.rows[n]) for n in range(len(data))]))
    # Over ALL rows the standardized means are near 0 but not exactly: the test rows are
    # not part of the statistics.
    assert any(abs(statistics.fmean(c)) > 1e-9 for c in columns)


# --- one step: gradients and losses (S13-S20) ------------------------------------------


@pytest.mark.spec("S15", "S20")
def test_S15_S20_step_gradients_of_one_sample_are_the_reference_gradients():
    layers = reference.init_layers([3, 5, 4, 2], ["relu", "tanh", "softmax"], random.Random(3))
    x, t = [0.3, -1.2, 2.0], one_hot(1, 2)
    loss, grads = step_gradients(layers, [x], [t])
    expected = reference.gradients(layers, x, t, "cross_entropy")
    assert grads == expected
    assert loss == pytest.approx(reference.loss_value(layers, x, t, "cross_entropy"), rel=1e-12)


@pytest.mark.spec("S14")
def test_S14_batch_loss_and_gradient_are_the_mean_over_the_batch():
    layers = reference.init_layers([3, 4, 3], ["sigmoid", "softmax"], random.Random(4))
    xs = [[0.1, 0.2, 0.3], [-1.0, 0.5, 2.0], [0.0, 0.0, 1.0]]
    ts = [one_hot(k, 3) for k in (0, 2, 1)]
    loss, grads = step_gradients(layers, xs, ts)
    losses = [reference.loss_value(layers, x, t, "cross_entropy") for x, t in zip(xs, ts)]
    assert loss == pytest.approx(sum(losses) / 3, rel=1e-12)
    expected = reference.batch_gradients(layers, xs, ts, "cross_entropy")
    for got, want in zip(grads, expected):
        for row, row_want in zip(got["W"] + [got["b"]], want["W"] + [want["b"]]):
            assert row == pytest.approx(row_want, rel=1e-12, abs=1e-15)


# --- initialization (S24-S26) and the optimizers (S22, S23) ----------------------------


@pytest.mark.spec("S24", "S26")
def test_S24_S26_initial_network_is_box_muller_with_zero_thresholds():
    data = datasets.load("wine")
    result = train(data, TrainConfig(hidden=(400,), activation="relu", epochs=0))
    first, last = result.layers
    assert first["b"] == [0.0] * 400 and last["b"] == [0.0] * 3  # S26
    weights = [w for row in first["W"] for w in row]
    assert statistics.fmean(weights) == pytest.approx(0.0, abs=0.03)
    assert statistics.pstdev(weights) == pytest.approx(math.sqrt(2 / 13), rel=0.05)  # S24 ReLU
    out = [w for row in last["W"] for w in row]
    assert statistics.pstdev(out) == pytest.approx(1 / math.sqrt(400), rel=0.1)  # S24 softmax


@pytest.mark.spec("S24")
def test_S24_tanh_hidden_layer_uses_one_over_sqrt_fan_in():
    result = train(datasets.load("wine"), TrainConfig(hidden=(400,), activation="tanh", epochs=0))
    weights = [w for row in result.layers[0]["W"] for w in row]
    assert statistics.pstdev(weights) == pytest.approx(1 / math.sqrt(13), rel=0.05)


@pytest.mark.spec("S22")
def test_S22_one_full_batch_sgd_step_moves_every_parameter_by_minus_lr_times_gradient():
    config = TrainConfig(hidden=(4,), optimizer="sgd", lr=0.1, epochs=0, batch_size=1000)
    start = train(TOY, config)
    after = train(TOY, TrainConfig(**{**config.__dict__, "epochs": 1}))
    xs = [start.standardizer(TOY.rows[n]) for n in range(len(TOY))]
    # The training rows: the split drawn from the first generator derived from the seed.
    split_rng = random.Random(random.Random(config.seed).getrandbits(64))
    train_idx, _ = stratified_split(TOY.targets, config.test_fraction, split_rng)
    assert len(train_idx) == start.n_train
    ts = [one_hot(TOY.targets[n], 2) for n in train_idx]
    grads = reference.batch_gradients(start.layers, [xs[n] for n in train_idx], ts, "cross_entropy")
    for before, moved, g in zip(start.layers, after.layers, grads):
        for w_row, m_row, g_row in zip(
            before["W"] + [before["b"]], moved["W"] + [moved["b"]], g["W"] + [g["b"]]
        ):
            assert m_row == pytest.approx([w - 0.1 * gi for w, gi in zip(w_row, g_row)], rel=1e-9)


def test_samples_come_one_at_a_time_in_a_fresh_seeded_order_each_epoch(monkeypatch):
    from nnref.reference.training import loop

    seen = []
    real = loop.step_gradients

    def recording(layers, xs, ts):
        seen.append(tuple(xs[0]))
        assert len(xs) == 1  # batch size 1: the tutorial's one sample per step
        return real(layers, xs, ts)

    monkeypatch.setattr(loop, "step_gradients", recording)
    result = train(TOY, TrainConfig(hidden=(4,), epochs=2))
    n = result.n_train
    first, second = seen[:n], seen[n:]
    assert len(seen) == 2 * n and sorted(first) == sorted(second)
    assert first != second  # reshuffled every epoch
    split_rng = random.Random(random.Random(0).getrandbits(64))
    train_idx, _ = stratified_split(TOY.targets, result.config.test_fraction, split_rng)
    in_split_order = [tuple(result.standardizer(TOY.rows[k])) for k in train_idx]
    assert first != in_split_order and sorted(first) == sorted(in_split_order)


@pytest.mark.spec("S23")
def test_S23_adam_counts_every_step():
    result = train(TOY, TrainConfig(hidden=(4,), epochs=3, batch_size=5))
    steps_per_epoch = math.ceil(result.n_train / 5)
    assert result.optimizer.t == 3 * steps_per_epoch
    assert result.optimizer.state()["name"] == "adam"


@pytest.mark.spec("S22", "S23")
@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_S22_S23_training_lowers_the_loss_and_beats_the_baseline(optimizer):
    lr = 0.05 if optimizer == "sgd" else 0.01
    result = train(TOY, TrainConfig(hidden=(8,), optimizer=optimizer, lr=lr, epochs=15))
    losses = [e["loss"] for e in result.history]
    assert losses[-1] < 0.6 * losses[0]
    assert result.test_accuracy > result.baseline + 0.2


# --- reproducibility ------------------------------------------------------------------


def test_same_seed_gives_bit_identical_results():
    a, b = train(TOY, FAST), train(TOY, FAST)
    assert a.layers == b.layers  # float ==: bit-identical
    assert _without_time(a.history) == _without_time(b.history)
    assert a.optimizer.state() == b.optimizer.state()
    c = train(TOY, TrainConfig(**{**FAST.__dict__, "seed": 1}))
    assert c.layers != a.layers


def test_history_has_one_entry_per_epoch_with_the_documented_keys():
    result = train(TOY, FAST)
    assert [e["epoch"] for e in result.history] == [1, 2, 3]
    assert set(result.history[0]) == {"epoch", "loss", "train_accuracy", "test_accuracy", "seconds"}
    assert result.test_accuracy == result.history[-1]["test_accuracy"]
    assert result.baseline == pytest.approx(0.5, abs=0.1)


def test_zero_epochs_reports_the_untrained_network():
    result = train(TOY, TrainConfig(epochs=0))
    assert result.history == []
    assert 0.0 <= result.test_accuracy <= 1.0


# --- the defaults reach 95% test accuracy ---------------------------------------------


@pytest.mark.slow
@pytest.mark.spec("S22", "S23")
@pytest.mark.parametrize("name", ["iris", "wine"])
def test_S22_S23_defaults_reach_95_percent_test_accuracy(name):
    result = train(datasets.load(name), TrainConfig())
    assert result.test_accuracy >= 0.95, result.history[-1]


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("name", ["iris", "wine"])
def test_defaults_reach_95_percent_for_other_seeds(name, seed):
    result = train(datasets.load(name), TrainConfig(seed=seed))
    assert result.test_accuracy >= 0.95, result.history[-1]


# --- bad options ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"hidden": (10, 0)}, "positive integers"),
        ({"activation": "softmax"}, "unknown hidden activation 'softmax'"),
        ({"activation": "step"}, "unknown hidden activation 'step'"),
        ({"optimizer": "rmsprop"}, "unknown optimizer 'rmsprop'; choose one of: adam, sgd"),
        ({"lr": 0.0}, "learning rate"),
        ({"lr": float("nan")}, "learning rate"),
        ({"epochs": -1}, "epochs must be >= 0"),
        ({"batch_size": 0}, "batch size"),
        ({"test_fraction": 0.0}, "strictly between 0 and 1"),
        ({"test_fraction": 1.0}, "strictly between 0 and 1"),
    ],
)
def test_bad_options_are_rejected_before_training(options, message):
    with pytest.raises(DataError, match=message):
        train(TOY, TrainConfig(**options))


@pytest.mark.parametrize("text", ["10,,x", "10,x", "-3", "1.5", "10,0", "２"])
def test_malformed_hidden_sizes_are_rejected(text):
    with pytest.raises(DataError, match=r"--hidden .* is not a positive integer"):
        parse_hidden(text)


def test_hidden_sizes_parse():
    assert parse_hidden("100,100") == (100, 100)
    assert parse_hidden(" 4 , 2 ") == (4, 2)
    assert parse_hidden("none") == ()


def test_a_test_fraction_that_leaves_no_test_sample_is_rejected():
    tiny = parse_csv("a,class\n1,x\n2,x\n3,y\n4,y\n", "class", name="tiny")
    with pytest.raises(DataError, match="leaves no test sample"):
        train(tiny, TrainConfig(test_fraction=0.1))


# --- metrics ---------------------------------------------------------------------------


def test_majority_class_baseline_is_the_most_frequent_training_class_on_the_test_set():
    from nnref.reference.training.metrics import accuracy, argmax, majority_baseline, majority_class

    assert majority_class([0, 1, 1, 2, 2, 2, 1, 1]) == 1
    assert majority_class([2, 0, 0, 2]) == 0  # a tie goes to the smaller index
    assert majority_baseline([0, 1, 1], [1, 0, 1, 1]) == 0.75
    assert accuracy([0, 1, 2], [0, 2, 2]) == pytest.approx(2 / 3)
    assert argmax([0.1, 0.7, 0.2]) == 1 and argmax([0.5, 0.5]) == 0
    result = train(datasets.load("wine"), TrainConfig(epochs=0))
    assert result.n_test == 24 + 28 + 19  # round(0.4 * n) of 59, 71 and 48
    assert result.baseline == 28 / result.n_test  # cultivar 2 is the largest class


def test_a_hidden_layer_of_one_neuron_is_a_valid_choice():
    assert TrainConfig(hidden=(1,)).validate().hidden == (1,)
