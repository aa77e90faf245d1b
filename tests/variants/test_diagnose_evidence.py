"""Diagnosis on more evidence than the failing values: shape errors, the blamed mistake's own
callable, and a loss whose gradient follows another reduction (S1, S2, S10, S13, S14)."""

from __future__ import annotations

import numpy as np
import pytest

from nnref.conformance.check.options import CheckOptions
from nnref.conformance.check.pipeline import check_implementation
from nnref.conformance.variants.replay import SHAPE, agree

IMPLS = "tests.variants.impls"
TOL = {"abs": 1e-10, "rel": 1e-9}


def _check(name, **options):
    report = check_implementation(f"{IMPLS}:{name}", CheckOptions(properties=False, **options))
    return report, {tuple(v.id for v in d.variants): d for d in report.diagnoses}


def test_an_infinite_answer_agrees_only_with_the_same_infinity():
    inf = [np.array([np.inf, 1.0])]
    assert not agree(inf, [np.array([0.21, 1.0])], TOL)
    assert agree(inf, [np.array([np.inf, 1.0])], TOL)
    assert agree(SHAPE, SHAPE, TOL) and not agree(SHAPE, inf, TOL)


@pytest.mark.spec("S1", "S2")
def test_S2_shape_errors_that_a_transposed_layout_explains_are_diagnosed_with_the_failures():
    report, named = _check("TORCH_STYLE_LINEAR")
    errors = [r for r in report.results if r.status == "ERROR"]
    assert len(errors) >= 20
    d = named[("weight_layout=out_in",)]
    assert {r.id for r in errors} <= set(d.cases) and set(d.errors) == {r.id for r in errors}
    assert f"{len(errors)} of them shape errors" in d.message
    assert d.to_json()["shape_errors"] == list(d.errors)
    assert ("threshold=added",) in named  # the square layers tell that x W^T + b adds b


@pytest.mark.spec("S10", "S14")
def test_S10_nan_gradients_are_not_blamed_on_a_softmax_that_passes_its_own_cases():
    report, named = _check("UNGUARDED_CE_AUTODIFF", only=["softmax-*", "gradients-*"])
    assert {r.id for r in report.results if r.status == "FAIL"} == {
        "gradients-softmax-extreme-right",
        "gradients-softmax-extreme-wrong",
    }
    assert list(named) == [("cross_entropy_0log0_nan",)]


@pytest.mark.spec("S13", "S15")
@pytest.mark.parametrize("declared", [[], ["squared_error=half_mean"]])
def test_S13_a_loss_and_gradient_in_different_reductions_is_named_whatever_was_declared(
    declared,
):
    """scikit-learn's MLP: the loss is the halved mean, the output error y - t (the gradient of
    the halved sum). Declaring the loss's reduction must not hide the mix behind y - t."""
    only = ["squared_error-*", "gradients-*"]
    report, named = _check("SKLEARN_STYLE", only=only, conventions_declared=declared)
    mixes = [d for d in report.diagnoses if d.contradicted_by]
    assert len(mixes) == 1 and "mixes both" in mixes[0].message
    assert any("output_delta_y_minus_t" in group for group in named)
    if declared:
        assert mixes[0].variants[0].id == "squared_error=half_sum"
        assert mixes[0].operations == ("gradients",)
    else:
        assert mixes[0].variants[0].id == "squared_error=half_mean"


def test_alternatives_print_every_fix_not_the_first_ones():
    report, _ = _check("SKLEARN_STYLE", only=["gradients-*"])
    (group,) = [d for d in report.diagnoses if len(d.variants) > 1]
    assert "no case tells them apart" in group.message
    assert all(f"({v.id})" in group.message.split("; ", 1)[1] for v in group.variants)


NET = [
    {"W": [[0.3, -0.8, 0.5], [0.9, 0.2, -0.4]], "b": [0.1, 0.2, -0.1], "activation": "relu"},
    {"W": [[0.7, -0.2, 0.1], [-0.5, 0.6, 0.3], [0.2, 0.4, -0.9]], "b": [0.0, 0.1, 0.2],
     "activation": "softmax"},
]  # fmt: skip


@pytest.mark.spec("S13", "S20")
@pytest.mark.parametrize(
    ("ratio", "ids"), [(2.0, ["squared_error=sum"]), (-1.0, ["gradients_negated"]), (8.96, [])]
)
def test_a_constant_factor_is_matched_to_the_catalogue_on_the_network_itself(ratio, ids):
    from nnref.conformance.variants.ratios import factor_candidates

    found = factor_candidates(NET, [0.5, 1.5], [0.2, 0.3, 0.5], "squared_error", ratio)
    assert [v.id for v in found] == ids


@pytest.mark.spec("S14")
def test_a_callables_own_pass_of_an_expected_min_case_is_judged_by_its_bound():
    """cross_entropy-zero-where-t-one passes with +inf or any value >= 690: a variant whose
    cross-entropy gives +inf there must not count as failing the implementation's pass."""
    import numpy as np

    from nnref.conformance.variants.evidence import passes

    case = {"operation": "cross_entropy", "expected": 708.39, "expected_min": 690.0,
            "tolerance": {"abs": 1e-10, "rel": 1e-9}}  # fmt: skip
    assert passes([np.array(np.inf)], case)
    assert passes([np.array(700.0)], case)
    assert not passes([np.array(12.0)], case)
    assert not passes([np.array(np.nan)], case)
