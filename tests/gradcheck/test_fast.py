"""Fast mode: cost independent of the number of parameters, localization, what a pass proves.

With ``f = 0`` and an analytic gradient that is all error, a direction passes exactly when
the error's share of it is within ``atol``: the threshold a pass states
(``nnref.conformance.finitediff.fast``) and the miss bound for spread errors are measured here.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from nnref.conformance.finitediff import gradcheck


def cubic(c):
    return lambda v: float((c * v * v * v).sum())


@pytest.mark.parametrize("n", [10, 1_000, 100_000])
def test_fast_mode_cost_does_not_grow_with_n(n):
    rng = np.random.default_rng(n)
    x, c = rng.standard_normal(n), rng.uniform(0.5, 2.0, n)
    result = gradcheck(cubic(c), x, 3 * c * x * x, fast=True)
    # f(x), then +-L and +-2L per direction, and one more rung where the first direction
    # orthogonal to the gradient bends at the step predicted for it
    assert result and 1 + 4 * 2 <= result.evaluations <= 1 + 4 * 2 + 4  # 2 directions


def test_fast_mode_localizes_one_wrong_entry_among_100000():
    rng = np.random.default_rng(7)
    n = 100_000
    x, c = rng.standard_normal(n), rng.uniform(0.5, 2.0, n)
    g = 3 * c * x * x
    g[54_321] *= 1.01
    result = gradcheck(cubic(c), x, g, fast=True)
    assert not result and result.failing_names == ["x[54321]"]
    assert result.evaluations < 200  # 7 + ~4 log2(n / 8) + 16
    assert "localized by bisection" in str(result)


def test_fast_mode_stops_localizing_after_max_report():
    x = np.linspace(-1, 1, 4096)
    result = gradcheck(lambda v: float(np.sum(v**2)), x, -2 * x, fast=True, max_report=5)
    assert not result and 5 <= result.failed <= 5 + 8  # stops within the leaf block it is in
    assert "max_report" in str(result)


def single_entry_error(n: int, j: int, size: float, seed: int):
    """f = 0, analytic gradient ``size * e_j``: the check sees nothing but the error."""
    e = np.zeros(n)
    e[j] = size
    return gradcheck(lambda v: 0.0, np.zeros(n), e, fast=True, atol=1e-3, rtol=0.0, seed=seed)


def test_a_single_entry_above_the_stated_threshold_is_always_caught():
    """The threshold a pass states holds for every entry, whatever the seed: no entry's weight
    in a direction is below 1/|z| (the miss is not a probability, as with Gaussian directions)."""
    n = 50
    for seed in range(40):
        stated = gradcheck(lambda v: 0.0, np.zeros(n), np.zeros(n), fast=True, atol=1e-3, seed=seed)
        assert stated and stated.detects is not None
        for j in range(n):
            assert not single_entry_error(n, j, 1.0001 * stated.detects, seed), (seed, j)


def test_the_stated_threshold_is_close_to_the_truth():
    """Below a fifth of the stated threshold nothing is caught (|z_j| / |z| <= 2 / sqrt(n))."""
    n = 50
    stated = gradcheck(lambda v: 0.0, np.zeros(n), np.zeros(n), fast=True, atol=1e-3)
    assert 1e-3 * math.sqrt(n) <= stated.detects <= 1e-3 * 2 * math.sqrt(n)
    assert all(single_entry_error(n, j, stated.detects / 5, 0) for j in range(n))


@pytest.mark.parametrize("n", [20, 200])
def test_two_swapped_entries_are_missed_no_more_often_than_the_bound(n):
    """Errors spread over entries: P(one direction misses) <= 2 sqrt(n) tol / max|e_i|."""
    size, tol, trials = 0.2, 1e-3, 300
    e = np.zeros(n)
    e[0], e[1] = size, -size  # two swapped entries: equal and opposite errors
    misses = sum(
        bool(
            gradcheck(
                lambda v: 0.0, np.zeros(n), e, fast=True, atol=tol, rtol=0.0, directions=1,
                seed=s, max_report=1,
            )
        )
        for s in range(trials)
    )  # fmt: skip
    bound = 2 * math.sqrt(n) * tol / size
    assert misses / trials <= bound + 3 * math.sqrt(bound / trials)


def test_fast_mode_is_deterministic_given_the_seed():
    x = np.linspace(-1, 1, 50)
    a = gradcheck(lambda v: float(np.sum(np.sin(v))), x, np.cos(x) * 1.1, fast=True, seed=3)
    b = gradcheck(lambda v: float(np.sum(np.sin(v))), x, np.cos(x) * 1.1, fast=True, seed=3)
    c = gradcheck(lambda v: float(np.sum(np.sin(v))), x, np.cos(x) * 1.1, fast=True, seed=4)
    assert str(a) == str(b)
    assert str(a) != str(c)
