"""Results may be lists, tuples, numpy arrays or tensors (anything numpy.asarray accepts)."""

from __future__ import annotations

import pytest

from nnref.conformance.check.options import CheckOptions
from nnref.conformance.check.pipeline import check_implementation
from nnref.conformance.judge.results import FAIL, NOT_PROVIDED, PASS
from tests.conformance.helpers import IMPLS


def _all_pass(name):
    report = check_implementation(f"{IMPLS}:{name}", CheckOptions(properties=False))
    bad = [(r.id, r.message) for r in report.results if r.status not in (PASS, NOT_PROVIDED)]
    assert bad == []


@pytest.mark.spec("S20")
def test_S20_numpy_arrays_and_tuples_are_accepted():
    _all_pass("NUMPY_RESULTS")


@pytest.mark.spec("S20")
@pytest.mark.slow  # importing torch takes seconds
def test_S20_tensors_that_require_grad_are_accepted():
    pytest.importorskip("torch")
    _all_pass("TORCH_RESULTS")


@pytest.mark.spec("S13")
def test_S13_a_scalar_as_a_one_element_array_passes_but_a_longer_array_fails():
    options = CheckOptions(only=["D_mse", "D_ce"], properties=False)
    report = check_implementation(f"{IMPLS}:SCALAR_AS_ARRAYS", options)
    status = {r.id: (r.status, r.message) for r in report.results}
    assert status["D_mse"][0] == PASS
    assert status["D_ce"] == (FAIL, "result has shape (2,), expected ()")
