"""Must-reject cases (inputs outside the spec's domain) and S14's bound where y_k = 0, t_k = 1.

A must-reject case passes when the implementation raises (a results file: ``{"error": ...}``)
and fails, naming the domain, when it returns anything; NotImplementedError is not provided,
and an exit is no rejection. Every door judges alike: children, in process, results file.
"""

from __future__ import annotations

import copy
import json
import math

import jsonschema
import pytest

from nnref.conformance.check.options import CheckOptions
from nnref.conformance.check.pipeline import check_implementation, check_results
from nnref.conformance.judge.verdict import at_least, judge, must_reject
from nnref.conformance.vectors import path_of
from nnref.conformance.vectors.load import load_cases
from tests.conformance.helpers import IMPLS, results_of, write_json

CASES = {c["id"]: c for c in load_cases()[0]}
REJECTS = sorted(cid for cid, c in CASES.items() if must_reject(c))
OPTS = dict(properties=False, quick=True)


def _by_id(report):
    return {r.id: r for r in report.results}


@pytest.mark.spec("S2", "S5", "S13", "S14", "S15", "S22", "S23", "S25")
def test_every_domain_of_the_spec_has_a_must_reject_case():
    ops = {CASES[i]["operation"] for i in REJECTS}
    assert ops == {"adam_step", "box_muller", "linear", "forward", "gradients", "sgd_step",
                   "squared_error", "cross_entropy"}  # fmt: skip
    assert all(CASES[i]["reject"] and "must_reject" in CASES[i]["flags"] for i in REJECTS)
    assert all("expected" not in CASES[i] and "tolerance" not in CASES[i] for i in REJECTS)


@pytest.mark.spec("S22", "S23", "S25")
@pytest.mark.parametrize("in_process", [False, True])
def test_S25_the_reference_rejects_them_all_and_a_lenient_one_fails_naming_the_domain(in_process):
    ref = _by_id(check_implementation(None, CheckOptions(only=["*-reject-*"], **OPTS)))
    assert sorted(ref) == REJECTS and {r.status for r in ref.values()} == {"PASS"}
    assert ref["adam_step-reject-t-zero"].message.startswith("rejected: NetworkError: adam_step")
    options = CheckOptions(only=["*-reject-*"], in_process=in_process, **OPTS)
    got = _by_id(check_implementation(f"{IMPLS}:LENIENT", options))
    failed = {i for i, r in got.items() if r.status == "FAIL"}
    assert failed == {"box_muller-reject-x-zero", "box_muller-reject-x-negative",
                      "box_muller-reject-x-above-one", "sgd_step-reject-lengths"}  # fmt: skip
    message = got["box_muller-reject-x-zero"].message
    assert "box_muller returned a value" in message and "ln 0 is undefined (S25)" in message
    assert all(got[i].status == "PASS" for i in set(got) - failed)


@pytest.mark.spec("S22", "S25")
def test_S25_not_implemented_is_not_provided_and_an_exit_is_no_rejection():
    got = _by_id(check_implementation(f"{IMPLS}:UNSURE", CheckOptions(only=["*-reject-*"], **OPTS)))
    assert got["box_muller-reject-x-zero"].status == "not provided"
    assert got["sgd_step-reject-lengths"].status == "ERROR"
    assert "SystemExit" in got["sgd_step-reject-lengths"].message


@pytest.mark.spec("S22", "S25")
def test_S25_results_file_error_passes_and_a_value_fails(tmp_path):
    from nnref import reference

    doc = results_of(reference)
    assert doc["results"]["box_muller-reject-x-zero"] == {"error": doc["results"][
        "box_muller-reject-x-zero"]["error"]}  # fmt: skip
    doc["results"]["sgd_step-reject-lengths"] = [0.49]
    got = _by_id(check_results(write_json(tmp_path / "r.json", doc), CheckOptions(**OPTS)))
    assert got["box_muller-reject-x-zero"].status == "PASS"
    assert got["sgd_step-reject-lengths"].status == "FAIL"
    assert "w and g have one entry per parameter (S22)" in got["sgd_step-reject-lengths"].message
    assert all(got[i].status == "PASS" for i in REJECTS if i != "sgd_step-reject-lengths")


@pytest.mark.spec("S14")
@pytest.mark.parametrize(
    "got, status",
    [(math.inf, "PASS"), (708.3964185322641, "PASS"), ([744.4], "PASS"),
     (690.7755278982137, "PASS"), (16.11809565095832, "FAIL"), (math.nan, "FAIL"),
     ([1.0, 2.0], "FAIL"), ("big", "ERROR")],
)  # fmt: skip
def test_S14_zero_output_where_the_teacher_is_one_is_inf_or_at_least_690(got, status):
    case = CASES["cross_entropy-zero-where-t-one"]
    assert case["expected_min"] == 690.0 and case["expected"] >= 690.0
    assert at_least(case, got).status == status
    assert judge(case, got, CheckOptions()).status == status


@pytest.mark.spec("S14")
def test_S14_an_error_at_y_zero_is_an_error_not_a_pass(tmp_path):
    from nnref import reference

    doc = results_of(reference)
    doc["results"]["cross_entropy-zero-where-t-one"] = {"error": "math domain error"}
    got = _by_id(check_results(write_json(tmp_path / "r.json", doc), CheckOptions(**OPTS)))
    assert got["cross_entropy-zero-where-t-one"].status == "ERROR"


def _schema_errors(case) -> list[str]:
    schema = json.loads(path_of("schema").read_text(encoding="utf-8"))
    doc = json.loads(path_of("generated").read_text(encoding="utf-8"))
    doc["cases"] = [case]
    return [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(doc)]


@pytest.mark.spec("S23")
def test_schema_keeps_value_and_reject_cases_apart():
    reject = copy.deepcopy(CASES["adam_step-reject-t-zero"])
    assert _schema_errors(reject) == []
    assert _schema_errors({**reject, "tolerance": {"abs": 0.0, "rel": 0.0}})  # no tolerance
    value = {k: v for k, v in reject.items() if k != "reject"}
    assert _schema_errors(value)  # neither expected nor reject
    good = copy.deepcopy(CASES["adam_step-000"])
    assert _schema_errors({**good, "inputs": {**good["inputs"], "t": 0}})  # t >= 1 for values
    assert _schema_errors({**reject, "inputs": {**reject["inputs"], "t": 0.5}})  # still an integer
