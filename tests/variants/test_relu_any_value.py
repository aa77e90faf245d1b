"""ReLU'(0) = C for any C in [0, 1]: declared in check and gradcheck alike, named by diagnosis,
and the expected values under C agree with SymPy's exact gradients (S8)."""

from __future__ import annotations

import pytest

from nnref.conformance.check.options import CheckOptions
from nnref.conformance.check.pipeline import check_implementation
from nnref.conformance.errors import NnrefError
from nnref.conformance.variants.adapt import adapt_case
from nnref.conformance.variants.conventions import Conventions
from nnref.conformance.vectors.load import load_cases
from nnref.symbolic.gradients import gradients as exact_gradients
from tests.conformance.helpers import nnref

pytestmark = pytest.mark.spec("S8")

KINKS = [c for c in load_cases()[0] if "relu_at_zero" in c["flags"] and "expected_if" in c]
S8_ONLY = CheckOptions(properties=False, only=["S8"])


@pytest.mark.parametrize("value", ["0.5", "0.25", "0.125"])
def test_expected_values_under_C_are_sympys_exact_gradients_with_relu_prime_0_C(value):
    conventions = Conventions.from_declared([f"relu_grad_at_zero={value}"])
    assert len(KINKS) == 5  # hidden ReLUs at 0, and one output ReLU at 0
    for case in KINKS:
        a = case["inputs"]
        exact = exact_gradients(a["layers"], a["x"], a["t"], a["loss"], value).floats()
        got = adapt_case(case, conventions)["expected"]
        assert _flat(got) == pytest.approx(_flat(exact), abs=1e-12)


def test_C_between_the_vectors_two_values_is_between_them_on_these_kinks():
    """On the vectors' kinks each path crosses one ReLU at 0: the gradient is affine in C."""
    half = Conventions.from_declared(["relu_grad_at_zero=0.5"])
    for case in KINKS:
        one, zero = _flat(case["expected"]), _flat(case["expected_if"]["relu_grad_at_zero=0"])
        mid = _flat(adapt_case(case, half)["expected"])
        assert mid == pytest.approx([(p + q) / 2 for p, q in zip(one, zero)], abs=1e-12)


def _flat(grads):
    return [v for g in grads for row in [*g["W"], g["b"]] for v in row]


@pytest.mark.parametrize(
    ("text", "canonical"),
    [("0.5", "0.5"), ("0.50", "0.5"), ("1.0", "1"), ("0", "0"), ("1e-1", "0.1")],
)
def test_any_number_in_0_1_is_accepted_and_spelled_one_way(text, canonical):
    assert (
        Conventions.from_declared([f"relu_grad_at_zero={text}"])["relu_grad_at_zero"] == canonical
    )


@pytest.mark.parametrize("text", ["1.5", "-0.1", "nan", "inf", "half"])
def test_anything_else_is_a_one_line_error(text):
    with pytest.raises(NnrefError, match=r"any number in \[0, 1\]") as info:
        Conventions.from_declared([f"relu_grad_at_zero={text}"])
    assert "\n" not in str(info.value)


def test_an_implementation_with_relu_prime_0_of_a_half_is_named_then_passes_when_declared():
    report = check_implementation("tests.variants.impls:RELU_HALF", S8_ONLY)
    kinks = [r for r in report.results if "relu_at_zero" in r.flags and r.operation == "gradients"]
    assert len(kinks) == 5 and {r.status for r in kinks} == {"FAIL"}
    assert [v.id for d in report.diagnoses for v in d.variants] == ["relu_grad_at_zero=0.5"]
    assert "--convention relu_grad_at_zero=0.5" in report.diagnoses[0].message
    declared = CheckOptions(properties=False, only=["S8"], relu_grad_at_zero=0.5)
    report = check_implementation("tests.variants.impls:RELU_HALF", declared)
    assert {r.status for r in report.results} == {"PASS"} and not report.diagnoses
    assert report.to_json()["conventions"]["relu_grad_at_zero"] == 0.5


def test_check_takes_the_value_on_the_command_line(capsys):
    status, out, _ = nnref(
        capsys, "check", "tests.variants.impls:RELU_QUARTER", "--relu-grad-at-zero", "0.25",
        "--only", "S8", "--no-properties",
    )  # fmt: skip
    assert status == 0 and "relu_grad_at_zero=0.25" in out.splitlines()[0]
    with pytest.raises(SystemExit) as info:
        nnref(capsys, "check", "reference", "--relu-grad-at-zero", "2")
    err = capsys.readouterr().err
    assert info.value.code == 2 and "expected a number in [0, 1], got '2'" in err


@pytest.mark.slow
def test_gradcheck_judges_the_kinks_under_C(capsys):
    impl = "tests.variants.impls:RELU_HALF"
    status, out, _ = nnref(capsys, "gradcheck", impl, "--relu-grad-at-zero", "0.5")
    kinks = [line for line in out.splitlines() if "at a kink" in line]
    assert status == 0 and kinks and all(line.startswith("PASS") for line in kinks)
    assert "ReLU'(0) = 0.5 expected at the kinks" in out
    status, out, _ = nnref(capsys, "gradcheck", impl)
    assert status == 1 and "rerun with --relu-grad-at-zero 0.5" in out
