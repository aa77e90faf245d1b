"""Fast mode: cost independent of the number of parameters, localization, and its miss rate.

The miss probability stated in ``nnref.conformance.finitediff.fast`` is measured here: with
``f = 0`` and an analytic gradient ``E e_0``, one random direction ``u`` passes exactly
when ``|E u_0| <= atol``, and ``u_0`` of a uniform unit vector in ``R^n`` has density
``c_n (1 - t^2)^((n-3)/2)``.
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
    assert result and result.evaluations == 1 + 2 * 3


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


def sphere_coordinate_cdf(q: float, n: int) -> float:
    """P(|u_0| <= q) for u uniform on the unit sphere of R^n."""
    log_c = math.lgamma(n / 2) - 0.5 * math.log(math.pi) - math.lgamma((n - 1) / 2)
    t = np.linspace(-q, q, 20_001)
    density = np.exp(log_c) * (1 - t**2) ** ((n - 3) / 2)
    return float(np.trapezoid(density, t))


def miss_rate(n: int, q: float, directions: int, trials: int) -> float:
    e = np.zeros(n)
    e[0] = 1.0
    misses = 0
    for seed in range(trials):
        r = gradcheck(
            lambda v: 0.0,
            np.zeros(n),
            e,
            fast=True,
            atol=q,
            rtol=0.0,
            directions=directions,
            seed=seed,
            max_report=1,
        )
        misses += bool(r)
    return misses / trials


@pytest.mark.slow
@pytest.mark.parametrize(("n", "q", "directions"), [(20, 0.1, 1), (20, 0.3, 2), (200, 0.05, 1)])
def test_fast_mode_miss_probability_matches_the_formula(n, q, directions):
    trials = 400
    p_one = sphere_coordinate_cdf(q, n)
    expected = p_one**directions
    bound = (math.sqrt(2 * (n - 1) / math.pi) * q) ** directions
    assert expected <= bound  # the stated bound holds
    observed = miss_rate(n, q, directions, trials)
    sd = math.sqrt(expected * (1 - expected) / trials)
    assert abs(observed - expected) <= 4 * sd + 1e-9, (observed, expected)


def test_fast_mode_is_deterministic_given_the_seed():
    x = np.linspace(-1, 1, 50)
    a = gradcheck(lambda v: float(np.sum(np.sin(v))), x, np.cos(x) * 1.1, fast=True, seed=3)
    b = gradcheck(lambda v: float(np.sum(np.sin(v))), x, np.cos(x) * 1.1, fast=True, seed=3)
    c = gradcheck(lambda v: float(np.sum(np.sin(v))), x, np.cos(x) * 1.1, fast=True, seed=4)
    assert str(a) == str(b)
    assert str(a) != str(c)
