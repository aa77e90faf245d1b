"""Declared conventions: parsing, expected values from the reference under them, the adapters."""

from __future__ import annotations

import pytest

from nnref.conformance.check.options import CheckOptions
from nnref.conformance.check.pipeline import check_implementation
from nnref.conformance.errors import NnrefError
from nnref.conformance.variants.adapt import adapt_case
from nnref.conformance.variants.conventions import REGISTRY, Conventions
from nnref.conformance.vectors.load import load_cases
from tests.conformance.helpers import nnref

CASES = {c["id"]: c for c in load_cases()[0]}
LIBRARY = "nnref.conformance.adapters.numpy_library_style"


def test_command_line_pairs_win_over_the_declared_dict():
    c = Conventions.from_declared(["adam=algorithm1"], {"adam": "efficient", "threshold": "added"})
    assert c.declared() == {"threshold": "added"}
    assert Conventions.from_declared([], {"relu_grad_at_zero": 0})["relu_grad_at_zero"] == "0"


@pytest.mark.parametrize(
    ("pairs", "declared", "message"),
    [
        (["nope=1"], None, "unknown convention 'nope'"),
        (["adam=fast"], None, "adam can be algorithm1 | efficient, got 'fast'"),
        (["adam"], None, "expected NAME=VALUE"),
        ([], ["adam"], "nnref_conventions must be a dict"),
    ],
)
def test_bad_declarations_are_one_line_errors(pairs, declared, message):
    with pytest.raises(NnrefError, match=message) as info:
        Conventions.from_declared(pairs, declared)
    assert "\n" not in str(info.value)


@pytest.mark.spec("S1", "S2", "W1_1")
def test_S1_S2_out_in_and_added_threshold_transpose_inputs_and_recompute_expected():
    conventions = Conventions.from_declared(["weight_layout=out_in", "threshold=added"])
    case = CASES["linear-001"]  # 1 input, 4 neurons
    adapted = adapt_case(case, conventions)
    assert adapted["inputs"]["W"] == [[w] for w in case["inputs"]["W"][0]]
    b = adapted["inputs"]["b"]
    assert b == [-bj for bj in case["inputs"]["b"]]  # a bias is the threshold negated
    x = case["inputs"]["x"][0]
    assert adapted["expected"] == pytest.approx(
        [x * w + bj for w, bj in zip(case["inputs"]["W"][0], b)]
    )
    assert adapted["expected"] == pytest.approx(case["expected"])  # the same u as the tutorial's
    assert case["inputs"]["W"] == [[-1.3906, 1.302, 2.0077, 0.1658]]  # the vectors are untouched
    assert adapt_case(case, Conventions.tutorial()) is case


@pytest.mark.spec("S8")
def test_S8_relu_zero_under_the_convention_equals_the_vectors_expected_if():
    conventions = Conventions.from_declared(["relu_grad_at_zero=0"])
    for case in (c for c in CASES.values() if "expected_if" in c):
        adapted = adapt_case(case, conventions)
        assert adapted["expected"] == case["expected_if"]["relu_grad_at_zero=0"]


@pytest.mark.slow
@pytest.mark.spec("S13", "S1", "S2", "S8", "S23")
def test_the_library_style_adapter_passes_under_its_declared_conventions():
    report = check_implementation(LIBRARY, CheckOptions(quick=True))
    assert [r.id for r in report.results if r.status in ("FAIL", "ERROR")] == []
    assert report.options.in_force().declared() == dict(
        __import__(LIBRARY, fromlist=["x"]).nnref_conventions
    )


def test_undeclared_library_conventions_are_each_named():
    tutorial = [f"{name}={c.default}" for name, c in REGISTRY.items()]
    report = check_implementation(
        LIBRARY, CheckOptions(properties=False, conventions_declared=tutorial)
    )
    named = {v.id for d in report.diagnoses for v in d.variants}
    assert {
        "threshold=added",
        "weight_layout=out_in",
        "adam=efficient",
        "squared_error=mean",
    } <= named
    assert all(d.variants[0].kind == "convention" for d in report.diagnoses)


@pytest.mark.slow
def test_converting_by_hand_passes_too_but_takes_code():
    report = check_implementation(
        "tests.variants.library_style_converted", CheckOptions(quick=True)
    )
    assert [r.id for r in report.results if r.status in ("FAIL", "ERROR")] == []


def test_cli_prints_the_conventions_in_force(capsys):
    status, out, _ = nnref(
        capsys, "check", "--only", "W1_1*", "--no-properties", "--convention", "threshold=added"
    )
    assert status == 1
    # no seed: --no-properties draws nothing
    assert out.splitlines()[0] == "nnref check: nnref.reference (conventions: threshold=added)"
    assert "diagnosis: linear matches 'threshold = subtracted" in out


def test_the_results_schema_lists_every_registered_convention_and_value():
    import json

    from nnref.conformance.vectors import path_of

    schema = json.loads(path_of("results.schema").read_text(encoding="utf-8"))
    props = schema["properties"]["conventions"]["properties"]
    assert set(props) == set(REGISTRY)
    for name, c in REGISTRY.items():
        if c.number_range is None:
            assert set(c.values) <= {str(v) for v in props[name]["enum"]}
        else:  # any number in the range, or its spelling
            number = next(s for s in props[name]["anyOf"] if s["type"] == "number")
            assert (number["minimum"], number["maximum"]) == c.number_range


@pytest.mark.spec("S22")
def test_S22_a_mistake_under_declared_conventions_is_named_and_nothing_else():
    report = check_implementation(
        "tests.variants.impls:LIBRARY_SGD_PLUS", CheckOptions(properties=False)
    )
    failing = {r.id for r in report.results if r.status in ("FAIL", "ERROR")}
    assert failing and all(i.startswith("sgd_step") for i in failing)
    assert [[v.id for v in d.variants] for d in report.diagnoses] == [["sgd_plus"]]


@pytest.mark.spec("S1", "S2", "S8", "S13", "S23")
def test_a_convention_that_changes_a_clause_is_a_knob_with_the_tutorials_default():
    from dataclasses import fields

    from nnref.conformance.variants.catalogue import candidates
    from nnref.conformance.variants.knobs import REFERENCE

    knobs = {f.name for f in fields(REFERENCE)}
    changing = [c for c in REGISTRY.values() if c.clause]
    assert len(changing) >= 5
    tried = {v.id for v in candidates(REFERENCE)}
    for c in changing:
        assert c.name in knobs, c.name
        assert getattr(REFERENCE, c.name) == c.default, c.name
        assert {f"{c.name}={v}" for v in c.values[1:]} <= tried, c.name
    for c in REGISTRY.values():
        assert c.clause or c.name not in knobs, f"{c.name} is a knob but names no clause"
