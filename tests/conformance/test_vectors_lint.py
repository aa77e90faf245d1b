"""Lint of the shipped vectors: schema, ids, clause ids, finite values, round trip, regeneration."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import jsonschema
import pytest

from nnref.conformance.protocol.names import PAIRINGS
from nnref.conformance.protocol.operations import OPERATIONS
from nnref.conformance.spec.clause_ids import ALL_CLAUSES, ERRATA, WORKED_EXAMPLES
from nnref.conformance.vectors import FLAGS, SCHEMA_VERSION, SETS, path_of
from nnref.conformance.vectors.build.generate import build, dumps
from nnref.conformance.vectors.build.tutorial_cases import check_printed

DOCS = {name: json.loads(path_of(name).read_text(encoding="utf-8")) for name in SETS}
CASES = [c for doc in DOCS.values() for c in doc["cases"]]
BY_ID = {c["id"]: c for c in CASES}
SCHEMA = json.loads(path_of("schema").read_text(encoding="utf-8"))


def _numbers(value):
    if isinstance(value, dict):
        return [n for v in value.values() for n in _numbers(v)]
    if isinstance(value, list):
        return [n for v in value for n in _numbers(v)]
    return [value] if isinstance(value, int | float) and not isinstance(value, bool) else []


def test_schema_is_draft_2020_12_and_pins_schema_version():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["properties"]["schema_version"] == {"const": SCHEMA_VERSION}


@pytest.mark.parametrize("name", SETS)
def test_vector_files_are_schema_valid(name):
    jsonschema.Draft202012Validator(SCHEMA).validate(DOCS[name])


def test_schema_rejects_a_case_without_expected():
    doc = json.loads(json.dumps(DOCS["tutorial"]))
    del doc["cases"][0]["expected"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(SCHEMA).validate(doc)


def test_case_ids_are_unique_across_sets():
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))


def test_every_clause_and_erratum_id_exists_in_spec():
    unknown = {(c["id"], k) for c in CASES for k in c["clauses"] if k not in ALL_CLAUSES}
    assert not unknown
    assert all(c["erratum"] in ERRATA for c in CASES if "erratum" in c)
    assert all(f in FLAGS for c in CASES for f in c["flags"])


def test_clause_ids_are_the_headings_of_the_in_repo_spec():
    """The ids vectors may name are the clause headings of conformance/spec/spec.md."""
    text = (Path(__file__).resolve().parents[2] / "conformance/spec/spec.md").read_text("utf-8")
    headings = re.findall(r"^### ([A-Z][A-Za-z0-9_]*): .+ \{#\1\}$", text, re.MULTILINE)
    assert tuple(headings) == ALL_CLAUSES
    assert len(ALL_CLAUSES) == len(set(ALL_CLAUSES)) == 61  # S1-S29, W1_1-W4_1, D_*, E1-E18


def test_no_nan_or_infinity_in_expected_values():
    for c in CASES:
        values = _numbers(c.get("expected")) + _numbers(c.get("expected_if", {}))
        assert all(math.isfinite(v) for v in values), c["id"]


@pytest.mark.parametrize("name", SETS)
def test_floats_round_trip_exactly(name):
    """The file is exactly what json writes for the parsed values: every float is its repr."""
    text = path_of(name).read_text(encoding="utf-8")
    assert dumps(json.loads(text)) == text
    for number in re.findall(r"-?\d+\.\d+(?:e-?\d+)?|-?\d+e-?\d+", text):
        assert repr(float(number)) == number


@pytest.mark.parametrize("name", SETS)
def test_regenerating_reproduces_the_file_byte_for_byte(name):
    assert dumps(build(name)) == path_of(name).read_text(encoding="utf-8")


def test_W_D_every_worked_example_has_a_tutorial_vector():
    named = {k for c in DOCS["tutorial"]["cases"] for k in c["clauses"]}
    assert set(WORKED_EXAMPLES) <= named


def test_W_D_expected_values_match_the_printed_digits():
    printed = [c for c in DOCS["tutorial"]["cases"] if "tutorial_value" in c]
    assert len(printed) >= 12
    for c in printed:
        check_printed(c)  # raises unless within 1e-11 (or, with an erratum, not)


@pytest.mark.spec("D_ce", "E1")
def test_E1_D_ce_expects_the_natural_log_and_keeps_the_printed_log10():
    c = BY_ID["D_ce"]
    y2 = c["inputs"]["y"][1]
    assert c["expected"] == pytest.approx(-math.log(y2), rel=1e-15)
    assert c["expected"] == pytest.approx(3.0658839038, abs=1e-10)
    assert c["tutorial_value"] == 1.33149646163
    assert c["tutorial_value"] == pytest.approx(-math.log10(0.04661262257), abs=1e-11)
    assert c["tutorial_value"] == pytest.approx(-math.log10(y2), abs=1e-10)
    assert c["erratum"] == "E1" and "erratum" in c["flags"]


@pytest.mark.spec("W1_2", "W2_2", "W2_4")
def test_W2_2_W2_4_use_W1_2s_printed_answer():
    assert BY_ID["W2_2-step"]["inputs"] == {"u": [5.0]}
    assert BY_ID["W2_2-step"]["expected"] == [1.0]
    assert BY_ID["W2_4-relu"]["expected"] == [5.0]
    assert "W1_2" in BY_ID["W2_2-step"]["clauses"]


@pytest.mark.spec("W4_1")
def test_W4_1_threshold_gradient_is_minus_the_printed_output_error():
    c = BY_ID["W4_1-output-error"]
    assert [-v for v in c["expected"][0]["b"]] == pytest.approx(c["tutorial_value"], abs=1e-11)


@pytest.mark.spec("S8")
def test_S8_relu_at_zero_cases_really_depend_on_the_convention():
    flagged = [c for c in CASES if "relu_at_zero" in c["flags"] and c["operation"] == "gradients"]
    assert len(flagged) >= 3
    for c in flagged:
        alt = c["expected_if"]["relu_grad_at_zero=0"]
        diffs = [abs(a - b) for a, b in zip(_numbers(c["expected"]), _numbers(alt))]
        assert max(diffs) > 1e-3, c["id"]


def test_generated_set_covers_every_operation_pairing_and_edge():
    gen = DOCS["generated"]["cases"]
    assert len(gen) >= 200
    assert {c["operation"] for c in CASES} == set(OPERATIONS)
    pairs = {
        (c["inputs"]["layers"][-1]["activation"], c["inputs"]["loss"])
        for c in gen
        if c["operation"] == "gradients"
    }
    assert set(PAIRINGS) <= pairs
    flags = {f for c in gen for f in c["flags"]}
    for edge in (
        "step_at_zero",
        "relu_at_zero",
        "extreme",
        "zero_probability",
        "adam_zero_grad",
        "trajectory",
        "known_uniforms",
        "deep",
    ):
        assert edge in flags
    depths = {len(c["inputs"]["layers"]) for c in gen if c["operation"] == "forward"}
    assert depths >= {1, 2, 3, 4}
