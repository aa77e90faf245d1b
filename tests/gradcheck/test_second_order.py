"""``order=2``: the gradient of the gradient, as torch's gradgradcheck checks it."""

from __future__ import annotations

import importlib.util

import pytest

from nnref.conformance.finitediff import GradcheckInputError, gradcheck

pytestmark = [
    pytest.mark.slow,
    pytest.mark.spec("S20"),
    pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="needs torch"),
]


def cube(detach: bool):
    import torch

    class Cube(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return (x**3).sum()

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            if detach:
                x = x.detach()  # first order right; the graph of the gradient is cut
            return g * 3 * x**2

    return Cube.apply


def point():
    import torch

    return torch.tensor([0.5, -1.25, 2.0], dtype=torch.float64)


@pytest.mark.parametrize("fast", [False, True])
def test_a_differentiable_backward_passes_at_order_2(fast):
    result = gradcheck(cube(False), point(), order=2, fast=fast)
    assert result, str(result)
    assert "order 2" in str(result)


@pytest.mark.parametrize("fast", [False, True])
def test_a_backward_that_detaches_its_input_fails_at_order_2_only(fast):
    assert gradcheck(cube(True), point(), fast=fast)
    result = gradcheck(cube(True), point(), order=2, fast=fast)
    assert not result, str(result)
    assert "its derivative is taken as 0" in str(result)
    if not fast:
        assert sorted(result.failing_names) == [f"df/dx[{i}] wrt x[{i}]" for i in range(3)]


def test_a_wrong_second_derivative_is_named():
    import torch

    class Sin(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return torch.sin(x).sum()

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * torch.cos(x.detach()) + 0.5 * (x - x.detach()) ** 2  # first order right

    assert gradcheck(Sin.apply, point())
    result = gradcheck(Sin.apply, point(), order=2)
    assert not result and len(result.failing_names) == 3


def test_order_2_refuses_a_given_grad_and_bad_orders():
    with pytest.raises(GradcheckInputError, match="pass no grad"):
        gradcheck(lambda v: float(sum(v)), [1.0, 2.0], [1.0, 1.0], order=2)
    with pytest.raises(GradcheckInputError, match="order must be 1 or 2"):
        gradcheck(lambda v: float(sum(v)), [1.0, 2.0], [1.0, 1.0], order=3)
