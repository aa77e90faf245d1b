"""The gradient vectors agree with `symbolic` (exact SymPy differentiation) where that is cheap."""

from __future__ import annotations

import pytest

from nnref.conformance.judge.compare import compare_leaves, leaves
from nnref.conformance.vectors.load import load_cases

symbolic_gradients = pytest.importorskip("nnref.symbolic.gradients").gradients

CASES = {c["id"]: c for c in load_cases()[0]}


def _params(case) -> int:
    return sum(len(layer["b"]) * (len(layer["W"]) + 1) for layer in case["inputs"]["layers"])


SMALL = sorted(i for i, c in CASES.items() if c["operation"] == "gradients" and _params(c) <= 8)


def _agree(case, expected, relu_grad_at_zero=1):
    a = case["inputs"]
    exact = symbolic_gradients(a["layers"], a["x"], a["t"], a["loss"], relu_grad_at_zero)
    tol = {"abs": 1e-14, "rel": 1e-13}
    result = compare_leaves(leaves("gradients", expected, exact.floats()), tol)
    assert result.passed, f"{case['id']}: {result.message}"


@pytest.mark.slow
@pytest.mark.spec("S15", "S20")
@pytest.mark.parametrize("cid", SMALL)
def test_S15_S20_small_gradient_vectors_agree_with_symbolic(cid):
    _agree(CASES[cid], CASES[cid]["expected"])


@pytest.mark.slow
@pytest.mark.spec("S8")
def test_S8_relu_at_zero_vectors_agree_with_symbolic_under_both_conventions():
    kinks = [c for c in CASES.values() if "relu_at_zero" in c["flags"] and "expected_if" in c]
    assert len(kinks) == 5  # four with hidden ReLU kinks and one at the output
    for case in kinks:
        _agree(case, case["expected"], relu_grad_at_zero=1)
        _agree(case, case["expected_if"]["relu_grad_at_zero=0"], relu_grad_at_zero=0)


@pytest.mark.spec("W4_1")
@pytest.mark.slow
def test_W4_1_tutorial_network_gradients_agree_with_symbolic():
    _agree(CASES["tutorial-network-gradients"], CASES["tutorial-network-gradients"]["expected"])
