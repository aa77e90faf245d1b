"""The built-in data sets, shipped as CSV files inside the package (no network needed).

``iris``: 150 flowers, 4 measurements (cm), 3 species, 50 each.
``wine``: 178 wines, 13 chemical measurements, 3 cultivars (59, 71, 48).
Both are public UCI data (CC BY 4.0); see README.md beside this file for the
source and the licence. The class column of each file is ``class``.
"""

from __future__ import annotations

from importlib import resources

from nnref.reference.datasets.parse import Dataset, parse_csv
from nnref.reference.errors import DataError

#: name -> file of the built-in data sets.
FILES = {"iris": "iris.csv", "wine": "wine.csv"}
TARGET = "class"


def read_text(name: str) -> str:
    """The CSV text of built-in data set ``name``."""
    if name not in FILES:
        raise DataError(f"unknown data set {name!r}; the built-in ones are: {', '.join(FILES)}")
    return resources.files(__name__).joinpath(FILES[name]).read_text(encoding="utf-8")


def load(name: str) -> Dataset:
    """Built-in data set ``name`` ('iris' or 'wine') as a Dataset with target column 'class'."""
    return parse_csv(read_text(name), TARGET, name=name)
