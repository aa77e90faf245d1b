"""``nnref check`` on the example adapters (the runner's quick profile, in process).

CI also runs the full check from the command line (.ci/run); these keep the adapters
conformant under plain ``pytest``. S8: torch and jax differ from the tutorial only in
ReLU'(0), which the report says in one line.
"""

from __future__ import annotations

import pytest

from tests.adapters.cases import load

runner = pytest.importorskip(
    "nnref.conformance.check.pipeline", reason="the runner is not in this checkout"
)


def _check(name: str, relu_grad_at_zero: float):
    load(name)  # skips when torch / jax is missing
    options = runner.CheckOptions(relu_grad_at_zero=relu_grad_at_zero, quick=True)
    return runner.check_implementation(f"nnref.conformance.adapters.{name}_impl", options)


def _not_passed(report):
    return [
        f"{r.status} {r.id}: {r.message}" for r in report.results if r.status in ("FAIL", "ERROR")
    ]


@pytest.mark.slow
@pytest.mark.spec("S8")
def test_S8_numpy_adapter_is_conformant_under_the_tutorial_convention():
    report = _check("numpy", 1.0)
    assert _not_passed(report) == []
    assert report.summary()["not_provided"] == 0  # every protocol callable and the S4 extra


@pytest.mark.slow
@pytest.mark.spec("S8")
@pytest.mark.parametrize("name", ["torch", "jax"])
def test_S8_library_adapter_is_conformant_with_relu_grad_at_zero_0(name):
    assert _not_passed(_check(name, 0.0)) == []


@pytest.mark.slow
@pytest.mark.spec("S8")
@pytest.mark.parametrize("name", ["torch", "jax"])
def test_S8_library_adapter_differs_only_in_relu_grad_at_zero_and_is_told_so(name):
    report = _check(name, 1.0)
    failed = [r for r in report.results if r.status in ("FAIL", "ERROR")]
    assert failed and all(r.status == "FAIL" and "relu_at_zero" in r.flags for r in failed)
    (diagnosis,) = report.diagnoses
    assert [v.id for v in diagnosis.variants] == ["relu_grad_at_zero=0"] and not report.hints
