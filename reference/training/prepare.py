"""Before training: a seeded stratified train/test split, and standardization.

Stratified: each class is split on its own, so the test set keeps the class
proportions of the whole. Standardized: every feature becomes
z = (x - mean) / std with mean and std (population) from the *training*
rows only, so nothing about the test rows leaks into training.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass


def stratified_split(
    targets: list[int], test_fraction: float, rng: random.Random
) -> tuple[list[int], list[int]]:
    """Indices (train, test): round(test_fraction * n_k) of each class k go to test.

    Each class keeps at least one sample in training; the indices within each
    class are shuffled by ``rng``. Both lists come back sorted.
    """
    by_class: dict[int, list[int]] = {}
    for n, k in enumerate(targets):
        by_class.setdefault(k, []).append(n)
    train, test = [], []
    for k in sorted(by_class):
        members = by_class[k]
        rng.shuffle(members)
        n_test = min(round(test_fraction * len(members)), len(members) - 1)
        test += members[:n_test]
        train += members[n_test:]
    return sorted(train), sorted(test)


@dataclass(frozen=True)
class Standardizer:
    """z_i = (x_i - mean_i) / std_i, with statistics from the training rows (std 0 -> 1)."""

    mean: list[float]
    std: list[float]

    @classmethod
    def fit(cls, rows: list[list[float]]) -> Standardizer:
        n = len(rows)
        columns = list(zip(*rows, strict=True))
        mean = [math.fsum(column) / n for column in columns]
        std = [
            math.sqrt(math.fsum((x - mu) ** 2 for x in column) / n) or 1.0
            for column, mu in zip(columns, mean, strict=True)
        ]
        return cls(mean, std)

    def __call__(self, row: list[float]) -> list[float]:
        return [(x - mu) / s for x, mu, s in zip(row, self.mean, self.std, strict=True)]

    def to_json(self) -> dict:
        return {"mean": self.mean, "std": self.std}
