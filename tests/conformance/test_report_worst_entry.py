"""A case's line and its message describe the same entry: the worst one, relative to its tolerance.

The JSON keeps ``max_abs_err`` and ``max_rel_err`` as the case's maxima over
all its entries; ``worst`` is the entry the text shows.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from nnref.conformance.judge.compare import compare_leaves
from tests.conformance.helpers import lines_with, nnref

TOL = {"abs": 1e-10, "rel": 1e-9}
U = [10.0, 0.001, 100.0]
SKEWED = "tests.conformance.skewed_impl"


def _case() -> dict:
    """u = x W - b = (10, 0.001, 100) exactly."""
    return {
        "id": "skewed-linear",
        "clauses": ["S1", "S2"],
        "operation": "linear",
        "inputs": {"x": [1.0], "W": [U], "b": [0.0, 0.0, 0.0]},
        "expected": U,
        "tolerance": TOL,
        "provenance": "made for this test",
        "flags": [],
    }


@pytest.mark.spec("S1")
def test_S1_the_message_names_the_entry_furthest_past_its_tolerance():
    e = np.array(U)
    g = e + np.array([1e-7, 1e-6, 1e-5])  # fails first at [0]; largest abs err at [2]
    c = compare_leaves([("result", e, g)], TOL)
    assert not c.passed
    assert c.worst.entry == "result[1]"
    assert c.worst.ratio == pytest.approx(1e-6 / (1e-10 + 1e-12), rel=1e-6)
    assert c.worst.abs_err == pytest.approx(1e-6, rel=1e-6)
    assert c.worst.rel_err == pytest.approx(1e-3, rel=1e-6)
    assert c.message.startswith("result[1]: expected 0.001, got 0.001001")
    assert c.max_abs_err == pytest.approx(1e-5, rel=1e-6)  # the case's maxima stay
    assert c.max_rel_err == pytest.approx(1e-3, rel=1e-6)


@pytest.mark.spec("S1")
def test_S1_a_non_finite_entry_is_the_worst_and_the_first_of_equals_wins():
    e = np.array([1.0, 2.0, 3.0])
    first = ("a", e, e + np.array([1.0, 0.0, 0.0]))
    c = compare_leaves([first, ("b", e, np.array([1.0, np.inf, np.nan]))], TOL)
    assert c.worst.entry == "b[1]" and c.message.startswith("b[1] is inf, expected 2.0")
    assert c.worst.to_json()["ratio"] is None  # JSON has no inf
    passing = compare_leaves([("r", e, e.copy())], TOL)
    assert passing.passed and passing.message == "" and passing.worst.ratio == 0.0


@pytest.mark.spec("S1", "S2")
def test_S1_the_line_and_the_message_of_a_fail_describe_the_same_entry(capsys, tmp_path):
    vectors = tmp_path / "skewed.json"
    vectors.write_text(json.dumps({"schema_version": 1, "cases": [_case()]}), encoding="utf-8")
    report = tmp_path / "report.json"
    status, out, _ = nnref(
        capsys, "check", SKEWED, "--vectors", vectors, "--no-properties", "--json", report
    )
    assert status == 1
    lines = out.splitlines()
    (head,) = lines_with(out, "FAIL")
    message = lines[lines.index(head) + 1].strip()
    assert "worst entry abs 1e-06 rel 0.001 = 9.9e+03x tol" in head
    assert message.startswith("result[1]: expected 0.001, got 0.001001 (abs err 1e-06)")
    (case,) = json.loads(report.read_text())["cases"]
    assert case["worst"]["entry"] == "result[1]"
    assert case["worst"]["abs_err"] == pytest.approx(1e-6, rel=1e-6)
    assert case["max_abs_err"] == pytest.approx(1e-5, rel=1e-6)  # the case's maximum, from [2]
    assert case["message"] == message
