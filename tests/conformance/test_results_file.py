"""``nnref check --results FILE``: results computed elsewhere, same ids, same tolerances."""

from __future__ import annotations

import json

import pytest

from nnref import reference
from tests.conformance.helpers import IMPLS, lines_with, nnref, results_of, write_json
from tests.conformance.impls import LOG10_CROSS_ENTROPY, RELU_GRAD_AT_ZERO_0


@pytest.fixture(scope="module")
def reference_results():
    return results_of(reference)


def _check(capsys, path, *argv):
    return nnref(capsys, "check", "--results", path, *argv)


def test_results_schema_accepts_the_reference_results_and_rejects_a_bad_one(reference_results):
    import jsonschema

    from nnref.conformance.vectors import path_of

    schema = json.loads(path_of("results.schema").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    validator.validate(reference_results)
    bad = {**reference_results, "results": {"D_mse": "1252"}}
    assert not validator.is_valid(bad)
    assert not validator.is_valid({**reference_results, "schema_version": 2})


@pytest.mark.spec("S1", "S25")
def test_S1_S25_reference_results_pass(capsys, tmp_path, reference_results):
    status, out, _ = _check(capsys, write_json(tmp_path / "r.json", reference_results))
    assert status == 0, out
    assert out.splitlines()[0].startswith("nnref check: test ")
    assert "0 failed, 0 errors" in out.splitlines()[-1]


@pytest.mark.spec("D_ce", "E1")
def test_E1_a_log10_cross_entropy_fails_D_ce(capsys, tmp_path):
    status, out, _ = _check(
        capsys, write_json(tmp_path / "r.json", results_of(LOG10_CROSS_ENTROPY))
    )
    assert status == 1
    failed = {line.split()[1] for line in lines_with(out, "FAIL")}
    assert "D_ce" in failed and "tutorial-network-loss" in failed
    assert all(
        name.startswith(("D_ce", "tutorial-network-loss", "cross_entropy-")) for name in failed
    )


@pytest.mark.spec("S8")
def test_S8_relu_convention_note_works_for_results_files_too(capsys, tmp_path):
    path = write_json(tmp_path / "r.json", results_of(RELU_GRAD_AT_ZERO_0))
    status, out, _ = _check(capsys, path)
    (diagnosis,) = lines_with(out, "diagnosis:")
    assert status == 1 and "--convention relu_grad_at_zero=0" in diagnosis
    status, out, _ = _check(capsys, path, "--relu-grad-at-zero", "0")
    assert status == 0


@pytest.mark.spec("S13")
def test_S13_a_number_may_come_as_a_one_element_list(capsys, tmp_path, reference_results):
    doc = json.loads(json.dumps(reference_results))
    doc["results"] = {"D_mse": [1252.0]}
    status, out, _ = _check(capsys, write_json(tmp_path / "r.json", doc), "--only", "D_mse")
    assert status == 0 and lines_with(out, "PASS")


def test_unknown_ids_errors_and_missing_are_reported_and_the_rest_run(
    capsys, tmp_path, reference_results
):
    doc = json.loads(json.dumps(reference_results))
    doc["results"]["no-such-case"] = [1.0]
    doc["results"]["D_softmax"] = {"error": "exp overflowed"}
    doc["results"]["W1_1-weighted-sum"] = [3.0]
    del doc["results"]["D_mse"]
    status, out, _ = _check(capsys, write_json(tmp_path / "r.json", doc))
    assert status == 1
    errors = {line.split()[1]: line for line in lines_with(out, "ERROR")}
    assert "unknown case id 'no-such-case' in results" in errors["no-such-case"]
    assert "reported an error: exp overflowed" in errors["D_softmax"]
    (fail,) = lines_with(out, "FAIL")
    assert "W1_1-weighted-sum" in fail
    assert "expected -1.0, got 3.0" in out
    assert "not provided  squared_error: 1 case (D_mse, E6, S13)  no result in the file" in out
    assert len(lines_with(out, "PASS")) > 250


def test_a_malformed_result_is_an_error_for_that_case(capsys, tmp_path, reference_results):
    doc = json.loads(json.dumps(reference_results))
    doc["results"]["tutorial-network-gradients"] = [[1.0, 2.0]]
    doc["results"]["adam_step-000"] = [1.0]
    doc["results"]["adam_trajectory-000"] = doc["results"]["adam_trajectory-000"][:-1]
    status, out, _ = _check(
        capsys,
        write_json(tmp_path / "r.json", doc),
        "--only",
        "tutorial-*",
        "--only",
        "adam_step-000",
        "--only",
        "adam_trajectory-000",
    )
    assert status == 1
    errors = {line.split()[1]: line for line in lines_with(out, "ERROR")}
    assert "gradients returned 1 layers, expected 3" in errors["tutorial-network-gradients"]
    assert "expected a tuple (w, m, v)" in errors["adam_step-000"]
    assert "the trajectory has 4 steps, expected 5" in errors["adam_trajectory-000"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "is not valid JSON: Expecting property name enclosed in double quotes"),
        ('{"schema_version": 1, "results": {"D_mse": 12', "(the file ends early: truncated?)"),
        ('{"schema_version": 3, "results": {}}', "has schema_version 3; this nnref reads 1"),
        ('{"schema_version": 1}', "has no object 'results' mapping case ids to values"),
        ("[]", "is not a JSON object with 'results'"),
    ],
    ids=["not-json", "truncated", "schema-version", "no-results", "not-an-object"],
)
def test_an_unusable_results_file_is_one_line_exit_2(capsys, tmp_path, text, message):
    path = tmp_path / "r.json"
    path.write_text(text, encoding="utf-8")
    status, out, err = _check(capsys, path)
    assert status == 2 and out == ""
    assert err.startswith("nnref: error: results file ") and message in err
    assert len(err.splitlines()) == 1


def test_a_missing_results_file_is_one_line(capsys, tmp_path):
    status, _, err = _check(capsys, tmp_path / "absent.json")
    assert status == 2 and "does not exist" in err


def test_results_and_an_implementation_together_is_refused(capsys, tmp_path):
    status, _, err = nnref(capsys, "check", f"{IMPLS}:NAN", "--results", tmp_path / "r.json")
    assert status == 2 and "either an implementation or --results" in err
