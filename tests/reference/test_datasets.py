"""The built-in data sets: shipped inside the package, counts, class balance, known values."""

from __future__ import annotations

import math
from collections import Counter
from importlib import resources

import pytest

from nnref.reference import datasets
from nnref.reference.training import DataError


def test_iris_has_150_samples_4_features_50_per_class():
    data = datasets.load("iris")
    assert len(data) == 150
    assert data.feature_names == [
        "sepal_length_cm",
        "sepal_width_cm",
        "petal_length_cm",
        "petal_width_cm",
    ]
    assert data.target_name == "class"
    assert data.classes == ["setosa", "versicolor", "virginica"]
    assert Counter(data.labels) == {"setosa": 50, "versicolor": 50, "virginica": 50}
    assert all(len(row) == 4 for row in data.rows)


def test_wine_has_178_samples_13_features_59_71_48():
    data = datasets.load("wine")
    assert len(data) == 178
    assert len(data.feature_names) == 13
    assert data.feature_names[0] == "alcohol" and data.feature_names[-1] == "proline"
    assert data.classes == ["1", "2", "3"]
    assert Counter(data.labels) == {"1": 59, "2": 71, "3": 48}
    assert all(len(row) == 13 for row in data.rows)


def test_first_rows_are_the_published_values():
    iris, wine = datasets.load("iris"), datasets.load("wine")
    assert iris.rows[0] == [5.1, 3.5, 1.4, 0.2] and iris.labels[0] == "setosa"
    assert iris.rows[-1] == [5.9, 3.0, 5.1, 1.8] and iris.labels[-1] == "virginica"
    assert wine.rows[0][:3] == [14.23, 1.71, 2.43] and wine.rows[0][-1] == 1065.0
    assert wine.labels[0] == "1" and wine.labels[-1] == "3"


@pytest.mark.parametrize(
    ("name", "column", "mean"),
    [
        ("iris", "petal_length_cm", 3.758),  # Fisher's data: mean petal length 3.758 cm
        ("wine", "alcohol", 13.0),  # UCI's summary: mean 13.0, 746 for proline
        ("wine", "proline", 746.0),
    ],
)
def test_column_means_match_the_published_summary(name, column, mean):
    data = datasets.load(name)
    k = data.feature_names.index(column)
    value = math.fsum(row[k] for row in data.rows) / len(data)
    assert value == pytest.approx(mean, rel=2e-3)


def test_files_ship_inside_the_package_with_readme():
    folder = resources.files("nnref.reference.datasets")
    for filename in [*datasets.FILES.values(), "README.md"]:
        assert folder.joinpath(filename).is_file()
    readme = folder.joinpath("README.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in readme and "UCI" in readme


def test_unknown_data_set_names_the_known_ones():
    with pytest.raises(DataError, match=r"unknown data set 'irsi'.*iris, wine"):
        datasets.load("irsi")
