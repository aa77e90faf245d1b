"""Reading training data from CSV: delimiters, the target column, errors naming the problem."""

from __future__ import annotations

import pytest

from nnref.reference.datasets.parse import detect_delimiter
from nnref.reference.training import DataError, parse_csv, read_csv

# The tutorial code's red wine-quality file: semicolons, a quoted header, target 'quality'.
WINE_QUALITY = """"fixed acidity";"volatile acidity";"alcohol";"quality"
7.4;0.7;9.4;5
7.8;0.88;9.8;5
11.2;0.28;9.8;6
7.3;0.65;10;7
"""


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_is_detected(delimiter):
    text = delimiter.join(["a", "b", "class"]) + "\n" + delimiter.join(["1.5", "2", "x"]) + "\n"
    text += delimiter.join(["3", "-4e-2", "y"]) + "\n"
    assert detect_delimiter(text) == delimiter
    data = parse_csv(text, "class")
    assert data.feature_names == ["a", "b"]
    assert data.rows == [[1.5, 2.0], [3.0, -0.04]]
    assert data.labels == ["x", "y"]


def test_wine_quality_format_reads_as_is():
    data = parse_csv(WINE_QUALITY, "quality", name="winequality-red.csv")
    assert data.feature_names == ["fixed acidity", "volatile acidity", "alcohol"]
    assert data.target_name == "quality"
    assert data.classes == ["5", "6", "7"]
    assert data.targets == [0, 0, 1, 2]
    assert data.rows[3] == [7.3, 0.65, 10.0]


def test_target_may_be_any_column_and_numeric_labels_sort_as_numbers():
    text = "grade,x\n10,1\n9,2\n10,3\n"
    data = parse_csv(text, "grade")
    assert data.classes == ["9", "10"]  # not the text order '10' < '9'
    assert data.feature_names == ["x"]
    assert data.targets == [1, 0, 1]


def test_non_numeric_feature_names_column_and_line():
    text = WINE_QUALITY.replace("11.2;0.28", "11.2;low")
    with pytest.raises(DataError, match=r"'low' in column 'volatile acidity', line 4"):
        parse_csv(text, "quality", name="f.csv")


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", ""])
def test_missing_or_non_finite_feature_is_rejected(value):
    with pytest.raises(DataError, match=r"column 'a', line 3"):
        parse_csv(f"a,class\n1,x\n{value},y\n", "class")


def test_unknown_target_lists_the_columns():
    with pytest.raises(DataError, match=r"no target column 'Quality'; the columns are: fixed acid"):
        parse_csv(WINE_QUALITY, "Quality")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   \n\n", "empty"),
        ("a,class\n", "no rows"),
        ("a,class\n1,x\n2,x\n", "only one class"),
        ("a,b,class\n1,2,x\n1,y\n", r"line 3 has 2 fields, the header has 3"),
        ("a,a,class\n1,2,x\n3,4,y\n", "distinct"),
        ("justonecolumn\n1\n2\n", "delimiter"),
        ("a,class\n1,\n2,y\n", "empty 'class' on line 2"),
    ],
)
def test_malformed_csv_gives_one_line_error(text, message):
    with pytest.raises(DataError, match=message) as info:
        parse_csv(text, "class")
    assert "\n" not in str(info.value)


def test_bom_and_blank_lines_are_tolerated():
    data = parse_csv("\ufeffa;class\n1;x\n\n2;y\n", "class")
    assert data.feature_names == ["a"] and len(data) == 2


def test_read_csv_errors_name_the_file(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        read_csv(tmp_path / "missing.csv", "class")
    with pytest.raises(DataError, match="is a directory"):
        read_csv(tmp_path, "class")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00\x81")
    with pytest.raises(DataError, match="not a UTF-8 text file"):
        read_csv(binary, "class")
    good = tmp_path / "winequality-red.csv"
    good.write_text(WINE_QUALITY, encoding="utf-8")
    assert read_csv(good, "quality").name == str(good)
