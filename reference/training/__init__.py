"""Training classifiers with the reference network (standard library only).

``data`` reads CSV into a Dataset; ``prepare`` splits (seeded, stratified)
and standardizes from training statistics; ``loop.train`` runs SGD or Adam
one sample (or one batch) at a time; ``metrics`` gives accuracy and the
majority-class baseline; ``progress`` shows epochs on a terminal.

    from reference.datasets import load
    from reference.training import TrainConfig, train
    result = train(load("iris"), TrainConfig())
    result.test_accuracy
"""

from reference.errors import DataError
from reference.training.config import TrainConfig, parse_hidden
from reference.training.data import Dataset, parse_csv, read_csv
from reference.training.loop import TrainResult, evaluate, predict, train

__all__ = [
    "DataError",
    "Dataset",
    "TrainConfig",
    "TrainResult",
    "evaluate",
    "parse_csv",
    "parse_hidden",
    "predict",
    "read_csv",
    "train",
]
