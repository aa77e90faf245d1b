"""The reference passes everything it provides; the report and its JSON form."""

from __future__ import annotations

import json

import pytest

import nnref as nnref_package
from nnref.conformance.check.fresh import PREFIX
from nnref.conformance.check.options import CheckOptions
from nnref.conformance.check.pipeline import check_implementation
from nnref.conformance.judge.results import NOT_PROVIDED, PASS
from nnref.conformance.protocol.operations import OPERATIONS
from tests.conformance.helpers import nnref


@pytest.mark.slow
@pytest.mark.spec("S1", "S25")
def test_S1_S25_reference_passes_every_vector_and_property():
    report = check_implementation("nnref.reference", CheckOptions(max_examples=10))
    bad = [
        (r.id, r.status, r.message) for r in report.results if r.status not in (PASS, NOT_PROVIDED)
    ]
    assert bad == []
    assert report.exit_status() == 0
    assert {r.operation for r in report.results if r.status == NOT_PROVIDED} <= {"encode_applicant"}
    assert report.summary()["passed"] >= 280
    fresh = {PREFIX + op for op in OPERATIONS if op != "encode_applicant"}
    assert {r.id for r in report.results if r.kind == "property" and r.status == PASS} == {
        "property-gradients-vs-finite-differences",
        "property-softmax-sums-to-one",
        "property-gradients-deterministic",
        "property-inputs-not-modified",
        *fresh,
    }


@pytest.mark.spec("S4", "W3_1")
def test_W3_1_S4_encoding_is_checked_when_provided():
    report = check_implementation(
        "tests.conformance.impls:WITH_ENCODING",
        CheckOptions(only=["S4"], properties=False),
    )
    assert {r.id: r.status for r in report.results} == {
        "W3_1-encoding": PASS,
        "S4-applicant-encoding": PASS,
        "S4-income-at-threshold": PASS,
        "S4-income-below-threshold": PASS,
    }


@pytest.mark.spec("S20")
def test_S20_nnref_check_without_argument_checks_the_reference_and_writes_json(capsys, tmp_path):
    out_file = tmp_path / "report.json"
    status, out, err = nnref(capsys, "check", "--quick", "--only", "W*", "--json", out_file)
    assert status == 0, out + err
    head = "nnref check: nnref.reference (conventions: the tutorial's; seed "
    assert out.splitlines()[0].startswith(head)
    assert "summary: " in out.splitlines()[-1]
    report = json.loads(out_file.read_text())
    assert report["schema_version"] == 1
    assert report["nnref_version"] == nnref_package.__version__
    assert report["implementation"] == "nnref.reference"
    assert report["conventions"]["relu_grad_at_zero"] == 1
    assert report["conventions"]["weight_layout"] == "in_out"
    assert report["diagnoses"] == []
    assert report["summary"]["failed"] == 0 and report["summary"]["errors"] == 0
    first = report["cases"][0]
    assert set(first) >= {
        "id",
        "clauses",
        "status",
        "max_abs_err",
        "max_rel_err",
        "tolerance",
        "message",
    }
    assert first["id"] == "W1_1-weighted-sum" and first["status"] == "PASS"


@pytest.mark.spec("S20")
def test_S20_only_filters_by_id_clause_or_operation(capsys):
    status, out, _ = nnref(capsys, "check", "--no-properties", "--only", "adam_trajectory")
    assert status == 0
    assert len([line for line in out.splitlines() if line.startswith("PASS")]) == 4
    status, out, _ = nnref(capsys, "check", "--no-properties", "--only", "D_ce")
    assert [line.split()[1] for line in out.splitlines() if line.startswith("PASS")] == ["D_ce"]
