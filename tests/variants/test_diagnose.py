"""Diagnosis names several mistakes at once; correct or harmlessly different code gets nothing."""

from __future__ import annotations

import pytest

from nnref.conformance.check.matrix import run_fns
from nnref.conformance.variants.diagnose import diagnose
from nnref.conformance.variants.knobs import knobs
from nnref.conformance.variants.mutant import protocol
from nnref.conformance.vectors.load import load_cases
from tests.variants.benign import BENIGN

CASES = load_cases()[0]
BY_ID = {c["id"]: c for c in CASES}


def _named(fns):
    results = run_fns(fns, CASES)
    outcome = diagnose(results, BY_ID)
    return results, outcome, {v.id for d in outcome.diagnoses for v in d.variants}


@pytest.mark.spec("S1", "S8", "S14", "S23", "E1")
def test_four_mistakes_at_once_are_each_named():
    k = knobs(threshold="added", adam_bias="one_minus_beta", cross_entropy="log10", tanh_grad="u")
    _, outcome, named = _named(protocol(k))
    assert named == {
        "threshold=added",
        "adam_bias_one_minus_beta",
        "cross_entropy_log10",
        "tanh_grad_of_u",
    }
    adam = next(d for d in outcome.diagnoses if d.variants[0].id == "adam_bias_one_minus_beta")
    assert adam.message.startswith("adam_step, adam_trajectory matches 'bias correction with 1")
    assert "on all" in adam.message
    assert adam.to_json()["kind"] == "mistake" and adam.to_json()["cases"]


@pytest.mark.spec("S8", "S20")
def test_two_mistakes_in_one_case_are_found_through_pairs():
    k = knobs(db_sign="plus", sigmoid_grad="u")
    _, outcome, named = _named(protocol(k))
    assert named == {"db_sign", "sigmoid_grad_of_u"}
    assert not outcome.unexplained


@pytest.mark.parametrize("name", sorted(BENIGN))
def test_benign_differences_pass_and_get_no_diagnosis(name):
    results, outcome, named = _named(BENIGN[name])
    assert [r.id for r in results if r.status != "PASS"] == []
    assert named == set() and outcome.notes() == []


def test_an_unknown_mistake_is_said_to_be_unknown_not_misnamed():
    fns = protocol(knobs())
    fns["softmax"] = lambda u: [v * 0.5 for v in protocol(knobs())["softmax"](u)]
    _, outcome, named = _named(fns)
    assert named == set()
    (note,) = outcome.notes()
    assert note.startswith("no known variant reproduces") and "softmax" in note


def test_over_100_failing_cases_with_three_mistakes_are_all_named():
    k = knobs(threshold="added", relu_grad_at_zero="0", sigmoid_grad="u")
    results, _, named = _named(protocol(k))
    assert sum(r.status == "FAIL" for r in results) >= 100
    assert named == {"threshold=added", "relu_grad_at_zero=0", "sigmoid_grad_of_u"}


@pytest.mark.spec("S10")
def test_S10_overflow_errors_on_extreme_cases_get_a_note_not_a_name():
    from nnref.conformance.check.options import CheckOptions
    from nnref.conformance.check.pipeline import check_implementation

    options = CheckOptions(properties=False, only=["softmax"])
    report = check_implementation("tests.variants.impls:SOFTMAX_MATH_EXP", options)
    assert {r.status for r in report.results if "extreme" in r.flags} == {"ERROR"}
    (note,) = report.hints
    assert note.startswith("3 errors are overflows or 0/0 on extreme inputs (softmax)")
    assert not report.diagnoses
