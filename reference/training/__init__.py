"""Training classifiers with the reference network (standard library only).

``data`` reads CSV into a Dataset; ``prepare`` splits (seeded, stratified)
and standardizes from training statistics; ``loop.train`` runs SGD or Adam
one sample (or one batch) at a time; ``metrics`` gives accuracy and the
majority-class baseline; ``progress`` shows epochs on a terminal.

    from nnref.reference.datasets import load
    from nnref.reference.training import TrainConfig, train
    result = train(load("iris"), TrainConfig())
    result.test_accuracy
"""

from nnref.reference.datasets.parse import Dataset, parse_csv, read_csv
from nnref.reference.errors import DataError
from nnref.reference.training.config import TrainConfig, parse_hidden
from nnref.reference.training.loop import TrainResult, evaluate, predict, train

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
