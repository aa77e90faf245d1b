"""The training loop: split, standardize, initialize, then epochs of SGD or Adam steps.

One step takes ``batch_size`` samples (1 = the tutorial's one sample at a
time), computes the gradient of their MEAN cross-entropy by backpropagation
(S15-S20), and moves every weight and threshold with the optimizer (S22,
S23). The output layer is softmax and the loss cross-entropy, so the output
error is delta = y - t (S15). Every random choice (split, initial weights
S24-S26, sample order) comes from ``random.Random`` instances derived from
the one seed, so the same seed gives bit-identical results.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

from nnref.reference.datasets.parse import Dataset
from nnref.reference.errors import DataError
from nnref.reference.init import init_layers
from nnref.reference.network import batch_loss_and_gradients, forward_pass
from nnref.reference.optimizers import SGD, Adam, make_optimizer
from nnref.reference.training.config import TrainConfig
from nnref.reference.training.metrics import accuracy, argmax, majority_baseline
from nnref.reference.training.prepare import Standardizer, stratified_split

LOSS = "cross_entropy"


@dataclass
class TrainResult:
    """The trained network and everything needed to use it, judge it and reproduce it."""

    config: TrainConfig
    layers: list[dict]
    optimizer: SGD | Adam
    standardizer: Standardizer
    classes: list[str]
    n_train: int
    n_test: int
    baseline: float  # majority-class accuracy on the test set
    history: list[dict] = field(default_factory=list)  # one entry per epoch
    train_accuracy: float = 0.0  # of the final network
    test_accuracy: float = 0.0


def one_hot(k: int, n: int) -> list[float]:
    """The teacher vector t of class k among n (t_k = 1, every other entry 0)."""
    return [1.0 if j == k else 0.0 for j in range(n)]


def step_gradients(layers: list[dict], xs: list[list[float]], ts: list[list[float]]):
    """(mean loss, mean gradients) of a batch: forward, delta = y - t, backward (S15-S20)."""
    return batch_loss_and_gradients(layers, xs, ts, LOSS, check=False)


def predict(layers: list[dict], x: list[float]) -> int:
    """The predicted class of one (standardized) sample: the largest softmax output."""
    return argmax(forward_pass(layers, x)[-1].y)


def evaluate(layers: list[dict], rows: list[list[float]], targets: list[int]) -> float:
    """Accuracy of the network on standardized rows."""
    return accuracy([predict(layers, x) for x in rows], targets)


def train(data: Dataset, config: TrainConfig, on_epoch=None) -> TrainResult:
    """Train a classifier on ``data`` as ``config`` says; ``on_epoch(entry)`` after each epoch.

    Each history entry: epoch, loss (mean training loss over the epoch's
    steps, each taken before its update), train_accuracy and test_accuracy
    (after the epoch), seconds (of the epoch's training steps).
    """
    config.validate()
    master = random.Random(config.seed)
    split_rng, init_rng, order_rng = (random.Random(master.getrandbits(64)) for _ in range(3))
    targets = data.targets
    train_idx, test_idx = stratified_split(targets, config.test_fraction, split_rng)
    if not test_idx:
        raise DataError(
            f"{data.name}: a test fraction of {config.test_fraction:g} leaves no test sample "
            f"out of {len(targets)}"
        )
    standardizer = Standardizer.fit([data.rows[n] for n in train_idx])
    x_train = [standardizer(data.rows[n]) for n in train_idx]
    x_test = [standardizer(data.rows[n]) for n in test_idx]
    y_train = [targets[n] for n in train_idx]
    y_test = [targets[n] for n in test_idx]
    n_classes = len(data.classes)
    t_train = [one_hot(k, n_classes) for k in y_train]

    sizes = [len(data.feature_names), *config.hidden, n_classes]
    activations = [config.activation] * len(config.hidden) + ["softmax"]
    layers = init_layers(sizes, activations, init_rng)
    optimizer = make_optimizer(config.optimizer, config.lr)
    result = TrainResult(
        config,
        layers,
        optimizer,
        standardizer,
        list(data.classes),
        len(train_idx),
        len(test_idx),
        majority_baseline(y_train, y_test),
    )
    order = list(range(len(x_train)))
    for epoch in range(1, config.epochs + 1):
        order_rng.shuffle(order)
        start = time.perf_counter()
        losses = []
        for s in range(0, len(order), config.batch_size):
            batch = order[s : s + config.batch_size]
            loss, grads = step_gradients(
                layers, [x_train[n] for n in batch], [t_train[n] for n in batch]
            )
            optimizer.step(layers, grads)
            losses.append(loss)
        seconds = time.perf_counter() - start
        entry = {
            "epoch": epoch,
            "loss": sum(losses) / len(losses),
            "train_accuracy": evaluate(layers, x_train, y_train),
            "test_accuracy": evaluate(layers, x_test, y_test),
            "seconds": seconds,
        }
        result.history.append(entry)
        if on_epoch is not None:
            on_epoch(entry)
    if result.history:
        result.train_accuracy = result.history[-1]["train_accuracy"]
        result.test_accuracy = result.history[-1]["test_accuracy"]
    else:  # no epoch: the untrained network
        result.train_accuracy = evaluate(layers, x_train, y_train)
        result.test_accuracy = evaluate(layers, x_test, y_test)
    return result
