"""Tables of numbers with a class column: read from CSV, checked, one error per problem.

A data set is a header row of column names and one row per sample. One
column (the *target*) holds each sample's class label, any text; every other
column is a numeric feature. The delimiter (``,`` ``;`` or tab) is detected,
so the tutorial code's red wine-quality file (semicolon-separated, target
``quality``) reads as is.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from nnref.reference.errors import DataError

DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class Dataset:
    """Samples as rows of floats, their class labels, and the names of everything.

    ``classes`` is the sorted list of distinct labels (numerically when every
    label is a number, so quality 10 sorts after 9); ``targets[n]`` is the
    index of sample n's label in ``classes``.
    """

    name: str
    feature_names: list[str]
    target_name: str
    rows: list[list[float]]
    labels: list[str]
    classes: list[str]

    @property
    def targets(self) -> list[int]:
        index = {label: k for k, label in enumerate(self.classes)}
        return [index[label] for label in self.labels]

    def __len__(self) -> int:
        return len(self.rows)


def detect_delimiter(text: str) -> str:
    """The delimiter of a CSV text, among , ; and tab.

    Each candidate (csv.Sniffer's guess first) must split the header into at
    least two columns; the one that gives the most of the first rows the
    header's width wins, so one ragged row is reported as such later.
    """
    lines = [line for line in text.splitlines() if line.strip()][:20]
    try:
        guess = csv.Sniffer().sniff("\n".join(lines), delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        guess = None
    best, best_count = None, -1
    for delimiter in ([guess] if guess else []) + [d for d in DELIMITERS if d != guess]:
        widths = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        if widths and widths[0] > 1:
            count = widths.count(widths[0])
            if count > best_count:
                best, best_count = delimiter, count
    if best is None:
        raise DataError("cannot detect the delimiter (tried ',', ';', tab): need a header and rows")
    return best


def _sort_labels(labels: set[str]) -> list[str]:
    try:
        return sorted(labels, key=float)
    except ValueError:
        return sorted(labels)


def _number(text: str, column: str, line: int, source: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise DataError(
            f"{source}: non-numeric value {text.strip()!r} in column {column!r}, line {line}"
        ) from None
    if not math.isfinite(value):
        raise DataError(f"{source}: value {text.strip()!r} in column {column!r}, line {line}")
    return value


def parse_csv(text: str, target: str, name: str = "data") -> Dataset:
    """Read CSV ``text`` whose header names the columns and whose ``target`` column is the class.

    Raises DataError naming the problem: no rows, an unknown target (listing
    the columns there are), a row of the wrong width, a non-numeric feature
    (column and line), fewer than two classes.
    """
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise DataError(f"{name}: the file is empty")
    reader = csv.reader(text.splitlines(), delimiter=detect_delimiter(text))
    header = [column.strip() for column in next(reader)]
    if target not in header:
        raise DataError(
            f"{name}: no target column {target!r}; the columns are: {', '.join(header)}"
        )
    if len(set(header)) != len(header) or "" in header:
        raise DataError(f"{name}: the header needs distinct, non-empty column names")
    t = header.index(target)
    features = [column for k, column in enumerate(header) if k != t]
    rows, labels = [], []
    for line, fields in enumerate(reader, start=2):
        if not any(field.strip() for field in fields):
            continue  # a blank line
        if len(fields) != len(header):
            raise DataError(
                f"{name}: line {line} has {len(fields)} fields, the header has {len(header)}"
            )
        label = fields[t].strip()
        if not label:
            raise DataError(f"{name}: empty {target!r} on line {line}")
        labels.append(label)
        rows.append(
            [_number(field, header[k], line, name) for k, field in enumerate(fields) if k != t]
        )
    if not rows:
        raise DataError(f"{name}: the file has a header but no rows")
    classes = _sort_labels(set(labels))
    if len(classes) < 2:
        raise DataError(f"{name}: column {target!r} has only one class ({classes[0]!r})")
    return Dataset(name, features, target, rows, labels, classes)


def read_csv(path: str | Path, target: str) -> Dataset:
    """Read the CSV file at ``path`` (UTF-8) with class column ``target``; see parse_csv."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise DataError(f"{path} is a directory, not a CSV file") from None
    except UnicodeDecodeError:
        raise DataError(f"{path} is not a UTF-8 text file") from None
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror}") from None
    return parse_csv(text, target, name=str(path))
