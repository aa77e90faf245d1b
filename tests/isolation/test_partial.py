"""Partial implementations get honest verdicts: what they lack is not provided, never an error."""

from __future__ import annotations

import json

import pytest

from tests.conformance.helpers import lines_with, nnref

HOSTILE = "tests.isolation.hostile"


@pytest.mark.spec("S15", "S20")
def test_S20_a_case_needing_an_activation_not_provided_is_not_provided_naming_it(capsys, tmp_path):
    report = tmp_path / "r.json"
    status, out, _ = nnref(
        capsys, "check", f"{HOSTILE}:PARTIAL", "--max-examples=3", "--json", report
    )
    assert status == 0, out
    assert not lines_with(out, "ERROR") and not lines_with(out, "FAIL")
    cases = json.loads(report.read_text())["cases"]
    forward = [c for c in cases if c["id"].startswith("forward-") and c["status"] != "PASS"]
    assert forward and all(c["status"] == "not provided" for c in forward)
    provided = {"sigmoid", "squared_error", "forward", "gradients"}
    for c in forward:
        named = c["message"].removeprefix("no ").removesuffix(" (the case uses it)").split(", ")
        assert c["message"].startswith("no ") and named and not set(named) & provided, c
    props = {c["id"]: c for c in cases if c["kind"] == "property"}
    assert props["property-gradients-vs-finite-differences"]["status"] == "PASS"
    assert props["property-gradients-deterministic"]["status"] == "PASS"
    assert props["property-softmax-sums-to-one"]["status"] == "not provided"
    assert props["property-inputs-not-modified"]["status"] == "PASS"


def test_not_implemented_error_counts_as_not_provided_everywhere(capsys):
    status, out, _ = nnref(
        capsys,
        "check",
        f"{HOSTILE}:NOT_IMPLEMENTED",
        "--only=tanh",
        "--only=sigmoid",
        "--only=property-inputs-*",
        "--max-examples=5",
    )
    assert status == 0, out
    assert "not provided  tanh: 11 cases (S7)  tanh raises NotImplementedError" in out
    assert lines_with(out, "PASS   property-inputs-not-modified")
    assert not lines_with(out, "ERROR")
