"""float32 for real: checked in the dtype the user runs, noise detected, rel. error 1e-2 fails."""

from __future__ import annotations

import numpy as np
import pytest

from nnref.conformance.finitediff import gradcheck

X32 = np.array([0.3, -1.2, 2.0], dtype=np.float32)


def softplus(v):
    return np.sum(np.log1p(np.exp(v)))


def test_float32_x_is_evaluated_in_float32():
    seen = []

    def f(v):
        seen.append(v.dtype)
        return np.sum(np.sin(v))

    result = gradcheck(f, X32, np.cos(X32))
    assert result and set(seen) == {np.dtype(np.float32)}
    assert "f was evaluated in float32" in str(result)
    assert result.precision.eps_f == float(np.finfo(np.float32).eps)


@pytest.mark.parametrize("mode", ["full", "fast"])
def test_a_softplus_that_overflows_in_float32_fails(mode):
    """exp(100) is inf in float32: the user's float32 run gets inf, so the check does too
    (evaluated in float64 it was finite, and passed)."""
    x = np.array([100.0, 1.0], dtype=np.float32)
    grad = (1 / (1 + np.exp(-x.astype(np.float64)))).astype(np.float32)
    with np.errstate(over="ignore"):
        result = gradcheck(softplus, x, grad, fast=mode == "fast")
        assert not result and result.nonfinite >= 1
        assert gradcheck(softplus, x.astype(np.float64), grad.astype(np.float64))


def test_f_computing_in_float32_widens_and_still_catches_a_wrong_gradient():
    def f(v):
        return np.sum(np.sin(np.asarray(v, dtype=np.float32)))  # a float32 result

    good = gradcheck(f, X32, np.cos(X32))
    assert good and "returns float32 values" in str(good)
    bad = gradcheck(f, X32, np.cos(X32) * np.array([1, -1, 1], dtype=np.float32))
    assert not bad and bad.failing_names == ["x[1]"]


def inner32(v):
    """A smooth forward computing in float32 inside, returning float64."""
    v32 = np.asarray(v, dtype=np.float32)
    return float(np.sum(v32 * np.sin(v32) + np.float32(0.5) * v32 * v32))


def inner32_grad(x):
    return np.sin(x) + x * np.cos(x) + x


X20 = np.random.default_rng(3).standard_normal(20)


@pytest.mark.parametrize("mode", ["full", "fast"])
def test_a_forward_in_float32_inside_is_noise_not_kinks(mode):
    result = gradcheck(inner32, X20, inner32_grad(X20), fast=mode == "fast")
    assert result and result.failed == 0 and result.kinks == 0, str(result)
    if mode == "full":
        assert "f is noisy at this step" in str(result)
        assert "is it computed in lower precision?" in str(result)


@pytest.mark.parametrize("mode", ["full", "fast"])
def test_a_forward_in_float32_inside_still_catches_a_sign_error(mode):
    wrong = inner32_grad(X20)
    wrong[7] = -wrong[7]
    result = gradcheck(inner32, X20, wrong, fast=mode == "fast")
    assert not result and result.failing_names == ["x[7]"], str(result)


@pytest.mark.parametrize("mode", ["full", "fast"])
def test_a_relative_error_of_1e_2_never_passes_by_the_float32_floor(mode):
    """|f| = 1000 in float32: the floor 64 eps32 |f| / h is 1.6, wider than the error 1.5 of an
    entry whose derivative is 10: a relative error of 0.13 passed."""

    def f(v):
        return np.float32(1000.0 + 10.0 * v[0] + v[1])  # a float32 result

    x = np.array([0.5, 0.25])
    assert gradcheck(f, x, np.array([10.0, 1.0], dtype=np.float32), fast=mode == "fast")
    result = gradcheck(f, x, np.array([11.5, 1.0], dtype=np.float32), fast=mode == "fast")
    assert not result, str(result)
    if mode == "full":
        assert result.failing_names == ["x[0]"]


def test_entries_under_the_floor_are_said_so():
    def f(v):
        return np.float32(1000.0) + np.float32(1e-4) * v[0] + v[1]

    x = np.array([0.5, 0.25], dtype=np.float32)
    result = gradcheck(f, x, np.array([2e-4, 1.0], dtype=np.float32))
    assert result.below_floor == 1 and "below the noise floor: 1 entry" in str(result)


def test_float32_gradient_widens_rtol_and_says_so():
    x = np.array([0.3, -1.2, 2.0])
    result = gradcheck(lambda v: float(np.sum(np.exp(v))), x, np.exp(x).astype(np.float32))
    assert result and "rtol widened 1e-06 -> 0.001" in str(result)
    assert not gradcheck(lambda v: float(np.sum(np.exp(v))), x, (2 * np.exp(x)).astype(np.float32))


@pytest.mark.slow  # importing torch takes seconds
def test_torch_float32_module_is_run_in_float32():
    torch = pytest.importorskip("torch")
    W = torch.tensor([[0.5, -1.0], [2.0, 0.25]], dtype=torch.float32)
    lin = torch.nn.Linear(2, 1).float()

    def f(w):
        return lin(torch.tanh(w)).sum()  # float32 weights: float64 input would raise

    wg = W.clone().requires_grad_(True)
    f(wg).backward()
    result = gradcheck(f, W, wg.grad)
    assert result, str(result)
    assert "f was evaluated in float32" in str(result)
    assert gradcheck(f, W)  # torch autograd, in float32 as well
