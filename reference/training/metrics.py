"""How good a classifier is: accuracy, and the majority-class baseline to compare it with."""

from __future__ import annotations

from collections import Counter


def argmax(y: list[float]) -> int:
    """Index of the largest output (the first one on a tie): the predicted class."""
    return max(range(len(y)), key=y.__getitem__)


def accuracy(predicted: list[int], targets: list[int]) -> float:
    """Fraction of samples whose predicted class is the target class."""
    if not targets:
        return float("nan")
    return sum(p == t for p, t in zip(predicted, targets, strict=True)) / len(targets)


def majority_class(targets: list[int]) -> int:
    """The most frequent class (the smallest index on a tie)."""
    counts = Counter(targets)
    return min(counts, key=lambda k: (-counts[k], k))


def majority_baseline(train_targets: list[int], test_targets: list[int]) -> float:
    """Accuracy on the test set of always answering the training set's most frequent class."""
    return accuracy([majority_class(train_targets)] * len(test_targets), test_targets)
