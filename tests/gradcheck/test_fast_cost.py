"""Fast mode's cost (issue 16): evaluations and backward passes of a check, no copy of the
parameters per evaluation, and localization in one block test per level.

A passing check of a scalar f: one backward pass (the gradient, ``w = [1]``), ``f(x)``, one
rung of four evaluations per direction and one longer rung for the first direction's step
(``nnref.conformance.finitediff.fast``). The 10**7 figures are in
``benchmarks/bench_gradcheck.py``, not here.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from nnref.conformance.finitediff import GradcheckInputError, gradcheck, vjp

N = 20_000


def xsinx(v):
    return float(np.sum(v * np.sin(v)))


def point(n=N, seed=0):
    x = np.random.default_rng(seed).standard_normal(n)
    return x, np.sin(x) + x * np.cos(x)


class Counting:
    """``f`` and its vjp, counting calls and the buffers ``f`` was handed."""

    def __init__(self):
        self.forward = self.backward = 0
        self.seen: list[np.ndarray] = []  # kept alive: a copy's memory cannot be reused

    def f(self, v):
        self.forward += 1
        self.seen.append(v)
        return xsinx(v)

    def vjp(self, v, w):
        self.backward += 1
        return w * (np.sin(v) + v * np.cos(v))


@pytest.mark.parametrize("directions", [1, 3])
def test_a_passing_scalar_check_costs_one_backward_and_a_rung_per_direction(directions):
    x, _ = point()
    c = Counting()
    result = gradcheck(c.f, x, vjp(c.vjp), fast=True, directions=directions)
    assert result and result.detects is not None
    assert c.backward == 1 and result.grad_calls == 1  # w = [1]: the gradient, once
    assert c.forward == result.evaluations <= 1 + 4 * directions + 4
    steps = [float(d.note.split()[1].rstrip(";")) for d in result.directions]
    assert min(steps) > 10 * 6.1e-6  # all at the step the first chose, not at eps^(1/3)


def test_no_parameter_copy_per_evaluation():
    """Every probe point reaches f in the same buffer (one work vector), besides x itself."""
    x, _ = point()
    c = Counting()
    result = gradcheck(c.f, x, vjp(c.vjp), fast=True)
    assert result and c.forward == result.evaluations >= 13
    probes = c.seen[1:]  # x itself first, then the probe points
    assert all(np.shares_memory(probes[0], v) for v in probes)  # one work vector


def test_torch_forward_and_backward_counts_and_no_copy():
    torch = pytest.importorskip("torch")
    calls = {"forward": 0, "backward": 0}
    pointers = set()

    class XSinX(torch.autograd.Function):
        @staticmethod
        def forward(ctx, v):
            calls["forward"] += 1
            pointers.add(v.data_ptr())
            ctx.save_for_backward(v)
            return (v * torch.sin(v)).sum()

        @staticmethod
        def backward(ctx, g):
            calls["backward"] += 1
            (v,) = ctx.saved_tensors
            return g * (torch.sin(v) + v * torch.cos(v))

    x, _ = point()
    result = gradcheck(XSinX.apply, torch.from_numpy(x), fast=True)
    assert result and calls["backward"] == 1
    assert calls["forward"] == result.evaluations + 1  # the backward's own forward
    assert len(pointers) <= 4  # x, the work vector, the backward's tensor (not one per call)


def test_a_torch_f_that_writes_into_its_argument_is_a_one_line_error():
    torch = pytest.importorskip("torch")
    x = torch.linspace(-1, 1, 5, dtype=torch.float64)

    def f(v):
        v.mul_(2.0)
        return (v * v).sum()

    with pytest.raises(GradcheckInputError, match="modified its input in place"):
        gradcheck(f, x, 8 * x.numpy(), fast=True)


def test_one_wrong_entry_is_named_in_about_one_block_test_per_level():
    x, g = point()
    wrong = g.copy()
    wrong[12_345] += 1e-3 * np.max(np.abs(g))
    result = gradcheck(xsinx, x, wrong, fast=True)
    assert not result and result.failing_names == ["x[12345]"]
    levels = math.ceil(math.log2(N))  # down to single entries
    assert result.evaluations <= 17 + 4 * (levels + 3), result.evaluations
    assert "localized by bisection along the failing direction" in str(result)


def test_two_wrong_entries_in_both_halves_are_both_named():
    """The right half's disagreement is derived (delta - delta_left), not evaluated."""
    x, g = point()
    wrong = g.copy()
    wrong[[3_000, 17_000]] += 0.05
    result = gradcheck(xsinx, x, wrong, fast=True)
    assert not result and sorted(result.failing_names) == ["x[17000]", "x[3000]"]


@pytest.mark.parametrize("seed", range(4))
def test_the_longer_step_keeps_the_stated_threshold_honest(seed):
    """A pass at the chosen step states a threshold; an entry off by a bit more is caught."""
    x, g = point(seed=seed)
    stated = gradcheck(xsinx, x, g, fast=True, seed=seed)
    assert stated and stated.detects is not None
    j = int(np.random.default_rng(seed).integers(N))
    wrong = g.copy()
    wrong[j] += 1.01 * stated.detects
    result = gradcheck(xsinx, x, wrong, fast=True, seed=seed)
    assert not result and result.failing_names == [f"x[{j}]"]


def test_a_failing_check_stays_cheap_as_n_grows():
    """Localization costs about one block test per level: evaluations grow as log n."""
    counts = []
    for n in (2_000, 64_000):
        x, g = point(n)
        wrong = g.copy()
        wrong[n // 3] += 0.05
        result = gradcheck(xsinx, x, wrong, fast=True)
        assert result.failing_names == [f"x[{n // 3}]"]
        counts.append(result.evaluations)
    assert counts[1] - counts[0] <= 4 * (5 + 3)  # log2(64000 / 2000) = 5 more levels


@pytest.mark.spec("S20")
def test_a_passing_scalar_check_at_10_6_costs_9_evaluations_and_one_backward():
    """The default 2 directions, the first orthogonal one at its predicted step: f(x) and
    one rung of four per direction (was 17 with 3 directions and a probe at eps^(1/3))."""
    x, _ = point(10**6, seed=1)
    c = Counting()
    result = gradcheck(c.f, x, vjp(c.vjp), fast=True)
    assert result and result.evaluations == c.forward == 9 and c.backward == 1, str(result)
    assert result.detects is not None and len(result.directions) == 2
