"""What trying nnref on public from-scratch code found, each finding as a test (FIELD.md)."""

from __future__ import annotations

import pytest

from nnref.conformance.check.options import CheckOptions
from nnref.conformance.check.pipeline import check_implementation

IMPLS = "tests.variants.field_impls"
#: The ReLU'(0) cases with an identity output and the squared error (the third uses softmax).
RELU_AT_ZERO = ["gradients-relu-at-zero-000", "gradients-relu-at-zero-002"]


def _check(name, **options):
    report = check_implementation(f"{IMPLS}:{name}", CheckOptions(properties=False, **options))
    bad = [r for r in report.results if r.status in ("FAIL", "ERROR")]
    return report, bad, {v.id for d in report.diagnoses for v in d.variants}


@pytest.mark.slow
@pytest.mark.spec("S8", "S1")
def test_S8_relu_at_zero_cases_keep_u_at_zero_when_the_bias_is_added():
    """Under threshold=added the vectors' b is handed over negated, so u = xW + b is still
    exactly 0 where the case puts it: ReLU'(0) = 0 cannot slip through undeclared."""
    report, bad, named = _check("BIAS_RELU0_UNDECLARED", only=RELU_AT_ZERO)
    assert bad and {r.id for r in bad} <= {r.id for r in report.results}
    assert named == {"relu_grad_at_zero=0"}
    report, bad, named = _check("BIAS_RELU0_DECLARED", only=RELU_AT_ZERO)
    assert [r.status for r in report.results if r.status != "not provided"] == ["PASS"] * 2
    assert not bad and not named


@pytest.mark.spec("S13", "S15")
def test_S13_a_loss_and_gradient_in_different_reductions_is_called_inconsistent():
    """The loss passes as the halved mean while the gradients follow the halved sum: the
    diagnosis must not say "drop the declaration" (the loss would then fail) but name the
    mismatch, with the passing cases that contradict it."""
    only = ["squared_error-*", "gradients-*"]
    report, bad, _ = _check("LOSS_MEAN_GRADIENT_SUM", only=only)
    assert bad and all(r.operation == "gradients" for r in bad)
    (d,) = report.diagnoses
    assert [v.id for v in d.variants] == ["squared_error=half_sum"]
    assert d.contradicted_by and all(i.startswith("squared_error-") for i in d.contradicted_by)
    assert "mixes both" in d.message and "drop the declaration" not in d.message
    assert d.to_json()["contradicted_by"] == list(d.contradicted_by)


def test_a_consistent_library_gets_no_contradiction():
    report = check_implementation(
        "nnref.conformance.adapters.numpy_library_style",
        CheckOptions(properties=False, conventions_declared=["squared_error=half_sum"]),
    )
    (d,) = report.diagnoses
    assert [v.id for v in d.variants] == ["squared_error=mean"] and not d.contradicted_by
    assert "declare it: --convention squared_error=mean" in d.message


@pytest.mark.spec("S14")
def test_S14_binary_cross_entropy_averaged_over_the_outputs_is_named():
    report, bad, named = _check("BINARY_CE_MEAN", only=["cross_entropy-0*", "D_ce"])
    assert bad and named == {"cross_entropy_binary_mean"}
    (d,) = report.diagnoses
    assert d.variants[0].kind == "different-function" and "on all" in d.message


@pytest.mark.spec("S7", "S22")
def test_S7_array_code_given_lists_gets_the_list_note_not_an_unknown_cause():
    report, bad, named = _check("ARRAY_CODE_GIVEN_LISTS", only=["tanh-*", "sgd_step-*"])
    assert {r.status for r in bad if r.operation == "tanh"} == {"FAIL"}
    assert {r.status for r in bad if r.operation == "sgd_step"} == {"ERROR"}
    assert not named
    (note,) = report.hints
    n_tanh = sum(r.operation == "tanh" for r in bad)
    n_sgd = sum(r.operation == "sgd_step" for r in bad)
    assert note.startswith(f"{n_sgd} errors are TypeErrors about lists; {n_tanh} results came")
    assert "(tanh)" in note and "-2 * u is []" in note


@pytest.mark.spec("S23")
def test_S23_adam_skipping_each_zero_entry_is_named_on_every_failing_case():
    report, bad, named = _check("ADAM_PER_WEIGHT_SKIP", only=["adam_*"])
    assert "adam_step-small-gradient-002" in {r.id for r in bad}  # only one entry is 0 there
    assert named == {"adam_zero_grad_skipped"}
    (d,) = report.diagnoses
    assert "on all" in d.message and not report.hints


@pytest.mark.spec("S7", "S12", "S15", "E4")
def test_S12_the_tutorial_codes_backpropagation_is_named_mistake_by_mistake():
    report, bad, _ = _check("TUTORIAL_CODE", only=["gradients-*"])
    assert bad and not [r for r in bad if r.status == "ERROR" and "no step" not in r.message]
    groups = {tuple(v.id for v in d.variants) for d in report.diagnoses}
    assert ("tanh_grad_of_delta",) in groups
    assert ("relu_grad_at_zero=0",) in groups
    # y - t and dE/dy agree under the squared error; the sigmoid + cross-entropy cases tell
    # them apart, so only y - t is named (an alternative never becomes a second finding)
    assert ("output_delta_y_minus_t",) in groups
    assert not [g for g in groups if "output_delta_dE_dy" in g]
    assert not [h for h in report.hints if h.startswith("no known variant")]


@pytest.mark.spec("S15", "E4")
def test_S15_alternatives_no_case_tells_apart_are_named_together_not_one_alone():
    # the soft-teacher cases tell them apart (y sum(t) - t is not y - t): left out here
    only = ["gradients-*-d[0-9]-*", "gradients-relu-at-zero-*", "gradients-softmax-extreme-*"]
    report, _, _ = _check("TUTORIAL_CODE_NO_SIGMOID", only=only)
    groups = {tuple(v.id for v in d.variants) for d in report.diagnoses}
    assert ("output_delta_dE_dy", "output_delta_y_minus_t") in groups
    assert ("tanh_grad_of_delta",) in groups
    assert not [g for g in groups if len(g) == 1 and g[0].startswith("output_delta")]


@pytest.mark.spec("S14")
def test_S14_a_failure_only_on_an_extreme_input_is_said_to_be_a_clip_not_an_unknown():
    report, bad, named = _check("CLIPPED_CROSS_ENTROPY", only=["cross_entropy-*"])
    # the clip also hides y_k = 0 (S14's note wants +inf or >= 690) and a negative output
    extreme = ["cross_entropy-extreme", "cross_entropy-zero-where-t-one"]
    assert [r.id for r in bad] == [*extreme, "cross_entropy-reject-negative-output"]
    assert not named
    (note,) = report.hints
    assert "all on extreme inputs (e.g. cross_entropy-extreme: a tiny probability" in note
    assert "a clip, an epsilon or a guard" in note and "not in nnref's catalogue" not in note


@pytest.mark.spec("S14", "S20")
def test_S14_a_factor_of_2_also_names_a_mean_over_2_which_any_loss_can_have():
    """A binary cross-entropy averaged over 2 outputs with the summed gradient is 2x off: the
    hint must not send a cross-entropy user looking for a halved squared error only."""
    import numpy as np

    from nnref.conformance.finitediff import gradcheck

    y = np.array([0.3, 0.6])
    t = np.array([0.0, 1.0])

    def loss(p):  # binary cross-entropy, averaged over the 2 outputs
        return float(np.mean(-(t * np.log(p) + (1 - t) * np.log(1 - p))))

    def summed_grad(p):  # the gradient of the sum
        return -t / p + (1 - t) / (1 - p)

    (hint,) = gradcheck(loss, y, summed_grad).hints
    assert "a factor of 2 too many" in hint and "a mean over 2 outputs or samples" in hint


@pytest.mark.spec("S7")
def test_S7_a_tanh_overflow_gets_advice_for_tanh():
    report, bad, _ = _check("TANH_MATH_EXP", only=["tanh-*"])
    assert [r.id for r in bad] == ["tanh-extreme"]
    (note,) = report.hints
    assert note.startswith("1 error is an overflow or 0/0 on an extreme input (tanh)")
    assert "tanh as math.tanh" in note and "softmax" not in note


@pytest.mark.spec("S23")
def test_S23_a_library_eps_default_is_named_with_the_adapters_fix():
    report, bad, named = _check("ADAM_LIBRARY_EPS", only=["adam_*"])
    assert bad and named == {"adam_eps_1e-7"}
    assert "an adapter passes eps=1e-8" in report.diagnoses[0].message
