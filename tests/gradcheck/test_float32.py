"""The float32 rule: evaluate in float64 where f allows, else widen the tolerance and say so."""

from __future__ import annotations

import numpy as np
import pytest

from nnref.conformance.finitediff import gradcheck

X32 = np.array([0.3, -1.2, 2.0], dtype=np.float32)


def test_float32_x_is_evaluated_in_float64():
    seen = []

    def f(v):
        seen.append(v.dtype)
        return float(np.sum(np.sin(v)))

    result = gradcheck(f, X32, np.cos(X32.astype(np.float64)))
    assert result and set(seen) == {np.dtype(np.float64)}
    assert "f was evaluated in float64" in str(result)


def test_f_computing_in_float32_widens_and_still_catches_a_wrong_gradient():
    def f(v):
        return np.sum(np.sin(np.asarray(v, dtype=np.float32)))  # a float32 result

    good = gradcheck(f, X32, np.cos(X32))
    assert good and "f returns float32 values" in str(good)
    bad = gradcheck(f, X32, np.cos(X32) * np.array([1, -1, 1], dtype=np.float32))
    assert not bad and bad.failing_names == ["x[1]"]


def test_float32_gradient_widens_rtol_and_says_so():
    x = np.array([0.3, -1.2, 2.0])
    result = gradcheck(lambda v: float(np.sum(np.exp(v))), x, np.exp(x).astype(np.float32))
    assert result and "rtol widened 1e-06 -> 0.001" in str(result)
    assert not gradcheck(lambda v: float(np.sum(np.exp(v))), x, (2 * np.exp(x)).astype(np.float32))


@pytest.mark.slow  # importing torch takes seconds
def test_torch_float32_module_that_refuses_float64():
    torch = pytest.importorskip("torch")
    W = torch.tensor([[0.5, -1.0], [2.0, 0.25]], dtype=torch.float32)
    lin = torch.nn.Linear(2, 1).float()

    def f(w):
        return lin(torch.tanh(w)).sum()  # float32 weights: float64 input raises

    wg = W.clone().requires_grad_(True)
    f(wg).backward()
    result = gradcheck(f, W, wg.grad)
    assert result, str(result)
    assert "evaluated with float32 input" in str(result)
