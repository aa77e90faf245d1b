"""One error hierarchy: every error nnref raises on purpose is an ``NnrefError``.

A bad CSV file is a ``DataError``, not a ``NetworkError``; both are bad input
(``InputError``, also a ``ValueError``), and the CLI prints either as one line.
"""

from __future__ import annotations

import pytest

import nnref.conformance.errors as ce
from nnref.conformance.cli import main
from nnref.conformance.errors import GradcheckInputError
from nnref.reference.errors import DataError, InputError, NetworkError, NnrefError
from nnref.reference.training import parse_csv
from nnref.symbolic.network import SymbolicNetworkError


def test_the_hierarchy_has_one_base_importable_from_conformance():
    assert ce.NnrefError is NnrefError
    for kind in (NetworkError, DataError, SymbolicNetworkError, ce.VectorsError,
                 ce.ResultsFileError, ce.ImplementationSpecError):  # fmt: skip
        assert issubclass(kind, InputError) and issubclass(kind, ValueError)
    assert issubclass(InputError, NnrefError) and issubclass(GradcheckInputError, NnrefError)


def test_a_bad_csv_is_a_data_error_not_a_network_error():
    with pytest.raises(DataError) as info:
        parse_csv("a,b\n1,2\n", "nope", name="bad.csv")
    assert not isinstance(info.value, NetworkError)


def test_the_cli_prints_a_data_error_in_one_line(tmp_path, capsys):
    data = tmp_path / "bad.csv"
    data.write_text("a,b\n1,2\n")
    assert main(["train", str(data), "--target", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("nnref: error: ") and err.count("\n") == 1 and "nope" in err
