"""The options of a training run, checked all at once before any training starts."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from nnref.reference.activations import HIDDEN
from nnref.reference.errors import DataError

HIDDEN_ACTIVATIONS = HIDDEN  # declared once, by the reference's table of activations
OPTIMIZERS = ("adam", "sgd")


@dataclass(frozen=True)
class TrainConfig:
    """What to train and how. The defaults reach >= 95% test accuracy on iris and wine.

    Seed 0: iris 95.0% (57 of 60), wine 98.6% (70 of 71). Over seeds 0-19 the
    mean is 96.5% on iris and 97.2% on wine; 18 of 20 iris splits and 17 of 20
    wine splits reach 95%. The others put several of the few borderline
    samples into the test set: on the same 20 wine splits, linear discriminant
    analysis also stays below 95% four times.

    ``batch_size`` 1 is the tutorial's one sample per step; a larger batch
    steps once per batch on the gradient of the batch's MEAN loss. The output
    layer is always softmax with cross-entropy (classification, S10/S14).
    """

    hidden: tuple[int, ...] = (16,)
    activation: str = "relu"
    optimizer: str = "adam"
    lr: float = 0.003
    epochs: int = 30
    batch_size: int = 1
    seed: int = 0
    test_fraction: float = 0.4

    def validate(self) -> TrainConfig:
        """Return self, or raise DataError naming the first option that cannot be used."""
        if any(not isinstance(n, int) or n < 1 for n in self.hidden):
            raise DataError(f"hidden layer sizes must be positive integers, got {self.hidden!r}")
        if self.activation not in HIDDEN_ACTIVATIONS:
            raise DataError(
                f"unknown hidden activation {self.activation!r}; "
                f"choose one of: {', '.join(HIDDEN_ACTIVATIONS)}"
            )
        if self.optimizer not in OPTIMIZERS:
            raise DataError(
                f"unknown optimizer {self.optimizer!r}; choose one of: {', '.join(OPTIMIZERS)}"
            )
        if not (math.isfinite(self.lr) and self.lr > 0):
            raise DataError(f"the learning rate must be a positive number, got {self.lr!r}")
        if self.epochs < 0:
            raise DataError(f"the number of epochs must be >= 0, got {self.epochs}")
        if self.batch_size < 1:
            raise DataError(f"the batch size must be >= 1, got {self.batch_size}")
        if not 0.0 < self.test_fraction < 1.0:
            raise DataError(
                f"the test fraction must lie strictly between 0 and 1, got {self.test_fraction!r}"
            )
        return self

    def to_json(self) -> dict:
        return {**asdict(self), "hidden": list(self.hidden)}


def parse_hidden(text: str) -> tuple[int, ...]:
    """'100,100' -> (100, 100); '' or 'none' -> () (no hidden layer). Raises DataError."""
    if text.strip().lower() in ("", "none"):
        return ()
    sizes = []
    for part in text.split(","):
        part = part.strip()
        if not (part.isascii() and part.isdigit()) or int(part) < 1:
            raise DataError(
                f"--hidden {text!r}: {part!r} is not a positive integer "
                "(give comma-separated sizes such as 100,100)"
            )
        sizes.append(int(part))
    return tuple(sizes)
