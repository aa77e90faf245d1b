"""Bad input: each gets a clear one-line message, the other cases still run, exit non-zero."""

from __future__ import annotations

import json

import pytest

from nnref.conformance.errors import NnrefError
from nnref.conformance.vectors import path_of
from tests.conformance.helpers import IMPLS, lines_with, nnref


def _check(capsys, *argv):
    return nnref(capsys, "check", "--no-properties", *argv)


def test_module_not_found_is_one_line_exit_2(capsys):
    status, out, err = _check(capsys, "no_such_module_for_nnref")
    assert status == 2
    assert (
        err == "nnref: error: implementation 'no_such_module_for_nnref': no module named "
        "'no_such_module_for_nnref'\n"
    )
    assert "Traceback" not in out + err


def test_attribute_missing_is_one_line_exit_2(capsys):
    status, _, err = _check(capsys, "reference:no_such_thing")
    assert status == 2 and "has no attribute 'no_such_thing'" in err
    assert len(err.splitlines()) == 1


def test_debug_shows_the_exception_instead():
    from nnref.conformance.cli import main

    with pytest.raises(NnrefError):
        main(["--debug", "check", "no_such_module_for_nnref"])


@pytest.mark.spec("S6")
def test_S6_a_callable_that_raises_is_an_error_and_the_rest_still_runs(capsys):
    status, out, _ = _check(capsys, f"{IMPLS}:RAISES", "--only", "sigmoid-*", "--only", "tanh-*")
    assert status == 1
    errors = lines_with(out, "ERROR")
    assert errors and all("sigmoid raised ValueError: boom" in line for line in errors)
    assert len(errors) == len([line for line in errors if " sigmoid-" in line])
    assert len(lines_with(out, "PASS")) >= 10  # the tanh cases
    assert "Traceback" not in out


@pytest.mark.spec("S1")
def test_S1_code_written_for_arrays_is_told_the_protocol_passes_lists(capsys):
    status, out, _ = _check(capsys, f"{IMPLS}:ARRAYS_ONLY", "--only", "linear")
    assert status == 1
    assert "linear raised TypeError: unsupported operand type(s) for @: 'list' and 'list'" in out
    (note,) = lines_with(out, "note:")
    assert "the protocol passes plain Python lists" in note


@pytest.mark.spec("S10")
def test_S10_wrong_shape_fails_saying_which_shape(capsys):
    status, out, _ = _check(capsys, f"{IMPLS}:WRONG_SHAPE", "--only", "D_softmax")
    assert status == 1
    (line,) = lines_with(out, "FAIL")
    assert "result has shape (2,), expected (3,)" in line


@pytest.mark.spec("S20")
def test_S20_wrong_type_is_an_error_naming_what_came_back(capsys):
    status, out, _ = _check(capsys, f"{IMPLS}:WRONG_TYPE", "--only", "tutorial-network-*")
    assert status == 1
    errors = {line.split()[1]: line for line in lines_with(out, "ERROR")}
    assert "result is None, expected numbers" in errors["tutorial-network-forward"]
    assert (
        "gradients returned a dict, expected a list of {'W': dW, 'b': db}"
        in errors["tutorial-network-gradients"]
    )
    assert "tutorial-network-loss" in out and len(lines_with(out, "PASS")) == 1


def test_debug_shows_the_implementations_traceback_under_its_error_line(capsys):
    status, out, _ = nnref(capsys, "--debug", "check", "--no-properties",
                           f"{IMPLS}:RAISES", "--only", "sigmoid-000")  # fmt: skip
    assert status == 1
    assert "Traceback (most recent call last):" in out and 'raise ValueError("boom")' in out


@pytest.mark.slow
@pytest.mark.spec("S5")
def test_S5_a_hanging_call_times_out_and_the_run_moves_on(capsys):
    status, out, _ = _check(
        capsys, f"{IMPLS}:HANGS", "--timeout", "0.2", "--only", "W2_1-step", "--only", "W2_3-relu"
    )
    assert status == 1
    (error,) = lines_with(out, "ERROR")
    assert "W2_1-step" in error and "step timed out after 0.2s" in error
    assert "W2_3-relu" in lines_with(out, "PASS")[0]


@pytest.mark.spec("S8")
def test_S8_an_implementation_that_modifies_its_input_fails(capsys):
    status, out, _ = _check(capsys, f"{IMPLS}:MUTATES", "--only", "W2_3-relu")
    assert status == 1
    (line,) = lines_with(out, "FAIL")
    assert "relu modified its input: u[0]: -1.0 -> 0.0" in line


@pytest.mark.slow
@pytest.mark.spec("S3")
def test_S3_property_catches_modified_inputs(capsys):
    status, out, _ = nnref(
        capsys, "check", f"{IMPLS}:MUTATES", "--only", "property-inputs-*", "--max-examples", "30"
    )
    assert status == 1
    (line,) = lines_with(out, "FAIL")
    assert "relu modified its input" in line


def test_nothing_provided_is_a_one_line_error_with_status_2(capsys):
    status, out, err = nnref(capsys, "check", f"{IMPLS}:Nothing", "--quick")
    assert status == 2
    assert out == ""
    assert err.strip().endswith(
        "provides none of the protocol's callables (linear, step, "
        "sigmoid, tanh, relu, identity, softmax, squared_error, "
        "cross_entropy, forward, gradients, sgd_step, adam_step, box_muller)"
    )
    assert len(err.strip().splitlines()) == 1


def _vectors(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("this is not json", "is not valid JSON: Expecting value at line 1 column 1"),
        (path_of("tutorial").read_text()[:700], "(the file ends early: truncated?)"),
        (
            json.dumps({"schema_version": 2, "cases": []}),
            "has schema_version 2; this nnref reads 1",
        ),
        (json.dumps([1, 2]), "is not a JSON object with 'cases'"),
    ],
    ids=["not-json", "truncated", "schema-version", "not-an-object"],
)
def test_a_bad_vectors_file_is_an_error_line_and_other_files_still_run(
    capsys, tmp_path, text, message
):
    bad = _vectors(tmp_path, "bad.json", text)
    status, out, err = _check(capsys, "--vectors", bad, "--vectors", path_of("tutorial"))
    assert status == 1
    (error,) = lines_with(out, "ERROR")
    assert error.split()[1] == "file:bad.json" and message in error
    assert len(lines_with(out, "PASS")) >= 15
    assert "Traceback" not in out + err


def test_a_malformed_or_duplicate_case_is_an_error_line_and_the_rest_run(capsys, tmp_path):
    doc = json.loads(path_of("tutorial").read_text())
    del doc["cases"][0]["expected"]
    doc["cases"][2]["id"] = doc["cases"][1]["id"]
    bad = _vectors(tmp_path, "bad.json", json.dumps(doc))
    status, out, _ = _check(capsys, "--vectors", bad)
    assert status == 1
    errors = lines_with(out, "ERROR")
    assert "'expected' is a required property" in errors[0]
    assert "duplicate case id 'W2_1-step'" in errors[1]
    others = lines_with(out, "PASS") + lines_with(out, "not provided")
    assert len(lines_with(out, "PASS")) >= len(doc["cases"]) - 2 - 2 and others


def test_only_matching_nothing_is_one_line(capsys):
    status, _, err = _check(capsys, "--only", "no-such-case-*")
    assert (
        status == 2 and err == "nnref: error: --only no-such-case-*: no case or property matches\n"
    )


def test_a_vectors_directory_without_vectors_is_an_error_line(capsys, tmp_path):
    status, out, _ = _check(capsys, "--vectors", tmp_path)
    assert status == 1
    (error,) = lines_with(out, "ERROR")
    assert f"dir:{tmp_path.name}" in error and "has no .json vector files" in error


def test_a_bad_option_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        nnref(capsys, "check", "--max-examples", "0")
    assert exc.value.code == 2
    assert "expected a positive integer, got '0'" in capsys.readouterr().err


def test_json_report_to_an_unwritable_place_is_one_line(capsys, tmp_path):
    status, _, err = _check(capsys, "--only", "D_mse", "--json", tmp_path / "no" / "r.json")
    assert status == 2 and err.startswith("nnref: error: cannot write the JSON report")
