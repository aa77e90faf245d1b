"""Field test on real libraries (scikit-learn's MLP internals, Keras 3 on torch, JAX with
optax), each through a thin adapter delegating to the library: checked with no conventions,
then with the ones the library follows; every difference read from its source must be named
and nothing else (FIELD.md). Correct float32 framework code gets no diagnosis at all.
Each test skips when its library is not installed."""

from __future__ import annotations

import pytest

from nnref.conformance.check.options import CheckOptions
from nnref.conformance.check.pipeline import check_implementation

pytestmark = [pytest.mark.slow, pytest.mark.spec("S1", "S8", "S13", "S14", "S15", "S23")]


def _named(impl, conventions=None):
    pairs = [f"{k}={v}" for k, v in (conventions or {}).items()]
    options = CheckOptions(properties=False, timeout=60, conventions_declared=pairs)
    report = check_implementation(impl, options)
    return report, {v.id for d in report.diagnoses for v in d.variants}


def test_sklearn_mlp_internals():
    pytest.importorskip("sklearn")
    from tests.variants import field_sklearn as lib

    _, named = _named("tests.variants.field_sklearn")
    assert named == {
        "threshold=added",
        "relu_grad_at_zero=0",
        "squared_error=half_mean",
        "adam=efficient",
        "output_delta_y_minus_t",
        "cross_entropy_clipped_eps64",
    }
    report, named = _named("tests.variants.field_sklearn", lib.RIGHT_CONVENTIONS)
    assert named == {
        "output_delta_y_minus_t",
        "cross_entropy_clipped_eps64",
        "squared_error=half_sum",
    }
    (mix,) = [d for d in report.diagnoses if d.contradicted_by]
    assert "mixes both" in mix.message


def test_keras3_on_torch_in_float32(monkeypatch):
    monkeypatch.setenv("KERAS_BACKEND", "torch")
    pytest.importorskip("torch")
    pytest.importorskip("keras")
    from tests.variants import field_keras as lib

    report, named = _named("tests.variants.field_keras")
    assert report.hints[0].startswith("results are float32: declare precision=float32")
    assert named == {
        "threshold=added",
        "squared_error=mean",
        "adam=efficient",
        "relu_grad_at_zero=0",
        "cross_entropy_renormalised",
        "cross_entropy_clipped_1e-7",
    }
    report, named = _named("tests.variants.field_keras", lib.RIGHT_CONVENTIONS)
    assert named == {"cross_entropy_renormalised", "cross_entropy_clipped_1e-7"}
    failing = [r for r in report.results if r.status == "FAIL"]
    assert {r.operation for r in failing if "-reject-" not in r.id} == {
        "cross_entropy",
        "gradients",
    }
    # Keras takes what the spec's domain excludes: it broadcasts a length-1 array, knows
    # softplus, never looks at Adam's t, and its clip hides a negative y; each is said so
    assert {r.id for r in failing if "-reject-" in r.id} == KERAS_TAKES
    assert all("must be rejected" in r.message for r in failing if "-reject-" in r.id)


#: The must-reject vectors whose inputs Keras (and so its thin adapter) computes a value for.
KERAS_TAKES = {
    "adam_step-reject-t-zero",
    "adam_step-reject-t-negative",
    "forward-reject-unknown-activation",
    "gradients-reject-teacher-length",
    "squared_error-reject-lengths",
    "cross_entropy-reject-negative-output",
    "sgd_step-reject-lengths",
}


def test_jax_with_optax_in_float32():
    pytest.importorskip("optax")
    from tests.variants import field_optax as lib

    report, named = _named("tests.variants.field_optax")
    assert report.hints[0].startswith("results are float32")
    assert named == {
        "threshold=added",
        "relu_grad_at_zero=0",
        "cross_entropy_renormalised",
        "cross_entropy_0log0_nan",
    }
    _, named = _named("tests.variants.field_optax", lib.RIGHT_CONVENTIONS)
    assert named == {"cross_entropy_renormalised", "cross_entropy_0log0_nan"}


@pytest.mark.parametrize("framework", ["TORCH", "JAX"])
def test_correct_float32_framework_code_passes_and_gets_no_diagnosis(framework):
    """The benign set's float32 members: the torch and JAX adapters computing in float32."""
    pytest.importorskip(framework.lower())
    conventions = {"precision": "float32", "relu_grad_at_zero": "0"}
    report, named = _named(f"tests.conventions.framework_float32:{framework}", conventions)
    assert [r.id for r in report.results if r.status in ("FAIL", "ERROR")] == []
    assert named == set() and report.hints == []
