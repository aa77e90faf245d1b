"""``nnref gradcheck`` and ``nnref check A B C`` keep the judge apart from the code too."""

from __future__ import annotations

import json

import pytest

from tests.conformance.helpers import nnref

HOSTILE = "tests.isolation.hostile"


@pytest.mark.slow
@pytest.mark.spec("S20")
def test_S20_gradcheck_of_a_forward_raising_system_exit_is_errors_and_status_1(capsys):
    status, out, _ = nnref(capsys, "gradcheck", f"{HOSTILE}:FORWARD_EXITS", "--fast")
    assert status == 1
    errors = [line for line in out.splitlines() if line.startswith("ERROR")]
    assert errors and all("raised SystemExit" in e for e in errors), out
    assert out.splitlines()[-1].startswith("summary: 0 passed")


def test_gradcheck_of_a_module_providing_nothing_is_one_line_and_status_2(capsys):
    status, out, err = nnref(capsys, "gradcheck", "tests.isolation.nothing")
    assert status == 2 and out == ""
    assert "provides none of the protocol's callables" in err


@pytest.mark.slow
def test_several_implementations_end_with_a_matrix_and_one_report_each(capsys, tmp_path):
    specs = ["nnref.reference", f"{HOSTILE}:OS_EXIT", "tests.isolation.nothing"]
    status, out, _ = nnref(
        capsys, "check", *specs, "--no-properties", "--only=tanh", "--only=sigmoid",
        "--jobs", "2", "--json", tmp_path / "reports",
    )  # fmt: skip
    assert status == 2  # the worst: one provides nothing
    matrix = out.splitlines()[-5:]
    assert matrix[0].split() == ["implementation", "passed", "failed", "errors", "not", "provided",
                                 "seconds", "first", "mistake"]  # fmt: skip
    assert matrix[1].split()[:5] == ["nnref.reference", "22", "0", "0", "0"]
    assert matrix[2].split()[:5] == [f"{HOSTILE}:OS_EXIT", "11", "0", "11", "0"]
    assert "provides none of the protocol's callables" in matrix[3]
    assert matrix[4].startswith("totals: 1 fully conformant, 1 with failures, 1 did not")
    index = json.loads((tmp_path / "reports" / "index.json").read_text())
    assert [r["implementation"] for r in index["implementations"]] == specs
    assert [r["exit_status"] for r in index["implementations"]] == [0, 1, 2]
    report = json.loads((tmp_path / "reports" / "nnref.reference.json").read_text())
    assert report["summary"]["passed"] == 22
