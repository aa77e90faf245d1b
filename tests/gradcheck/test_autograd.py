"""``gradcheck(f, x)`` without ``grad``: the framework's own autograd is what is checked."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from nnref.conformance.finitediff import GradcheckInputError, gradcheck

HAS_TORCH = importlib.util.find_spec("torch") is not None
HAS_JAX = importlib.util.find_spec("jax") is not None


def needs_torch(test):
    """Skipped without torch; marked slow, since importing torch takes seconds."""
    return pytest.mark.slow(pytest.mark.skipif(not HAS_TORCH, reason=TORCH_REASON)(test))


def needs_jax(test):
    """Skipped without JAX; marked slow, since importing JAX takes seconds."""
    return pytest.mark.slow(pytest.mark.skipif(not HAS_JAX, reason=JAX_REASON)(test))


TORCH_REASON = "needs torch: pip install torch"
JAX_REASON = "needs JAX: pip install 'jax[cpu]'"


def test_without_a_framework_the_error_is_one_line():
    with pytest.raises(GradcheckInputError) as info:
        gradcheck(lambda v: float(np.sum(np.asarray(v) ** 2)), [1.0, 2.0])
    message = str(info.value)
    assert message.startswith("no grad given and f returned a float")
    assert "pass grad" in message and "\n" not in message


def test_with_neither_framework_installed_the_error_says_so(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name in ("torch", "jax") else real(name, *a),
    )
    with pytest.raises(GradcheckInputError, match=r"\(neither torch nor jax is installed\)"):
        gradcheck(lambda v: float(np.sum(np.asarray(v) ** 2)), [1.0, 2.0])


def torch_sigmoid(factor: float):
    """A custom ``torch.autograd.Function``: sigmoid, whose backward is ``factor`` times right."""
    import torch

    class Sigmoid(torch.autograd.Function):
        @staticmethod
        def forward(ctx, u):
            y = 1 / (1 + torch.exp(-u))
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, dy):
            (y,) = ctx.saved_tensors
            return factor * dy * y * (1 - y)  # S6: sigmoid' = y (1 - y)

    return Sigmoid.apply


@needs_torch
@pytest.mark.spec("S6")
def test_S6_a_right_custom_torch_function_passes_in_one_line():
    import torch

    u = torch.tensor([[-1.5, 0.2, 3.0], [0.7, -0.1, 2.2]], dtype=torch.float64)
    sig = torch_sigmoid(1.0)
    assert gradcheck(lambda v: sig(v).sum(), u)  # scalar: one backward pass
    result = gradcheck(sig, u)  # vector: the Jacobian, one backward pass per output
    assert result and result.grad_form == "torch autograd (backward passes)"


@needs_torch
@pytest.mark.spec("S6")
def test_S6_a_custom_torch_backward_off_by_2_is_named():
    import torch

    u = torch.tensor([-1.5, 0.2, 3.0], dtype=torch.float64)
    result = gradcheck(lambda v: (torch_sigmoid(2.0)(v) ** 2).sum(), u)
    assert not result and result.failed == 3
    assert "analytic = 2 x numeric in every failing entry" in str(result)


@needs_torch
def test_torch_layers_dict_with_strings_and_float32_weights():
    import torch

    layer = {
        "W": torch.tensor([[0.5, -1.0], [2.0, 0.25]], dtype=torch.float32),
        "b": torch.tensor([0.1, -0.2], dtype=torch.float32),
        "activation": "tanh",
    }
    x = torch.tensor([1.0, -0.5], dtype=torch.float32)  # f runs in float32, as the user's does
    seen = []

    def f(p):
        seen.append(p[0]["W"].dtype)
        return torch.tanh(x @ p[0]["W"] - p[0]["b"]).sum()

    result = gradcheck(f, [layer])
    assert result, str(result)
    assert result.checked == 6 and set(seen) == {torch.float32}
    assert "f was evaluated in float32" in str(result)


@needs_torch
def test_a_torch_f_that_detaches_its_input_is_told_so():
    import torch

    def f(v):
        return torch.tensor(v.detach().numpy() ** 2).sum()

    with pytest.raises(GradcheckInputError, match="does not require grad"):
        gradcheck(f, torch.tensor([1.0, 2.0], dtype=torch.float64))


@needs_torch
def test_torch_nn_functional_through_autograd():
    import torch
    import torch.nn.functional as F

    u = torch.tensor([[0.3, -1.2, 2.0], [1.0, 0.0, -0.5]], dtype=torch.float64)
    for fn in (F.softmax, F.log_softmax):
        assert gradcheck(lambda v, fn=fn: fn(v, dim=-1), u)
    assert gradcheck(lambda v: F.cross_entropy(v, torch.tensor([2, 0])), u)


@needs_jax
@pytest.mark.spec("S7")
def test_S7_jax_custom_vjp_right_and_wrong():
    import jax
    import jax.numpy as jnp

    def make(factor):
        @jax.custom_vjp
        def tanh(u):
            return jnp.tanh(u)

        def fwd(u):
            y = jnp.tanh(u)
            return y, y

        def bwd(y, dy):
            return (factor * dy * (1 - y**2),)  # S7: tanh' = 1 - y^2

        tanh.defvjp(fwd, bwd)
        return tanh

    u = np.array([-1.5, 0.2, 3.0])
    right = gradcheck(lambda v: jnp.sum(make(1.0)(v) ** 2), jnp.asarray(u))
    assert right, str(right)
    assert "float32" not in right.grad_form  # checked in 64-bit mode
    wrong = gradcheck(lambda v: jnp.sum(make(0.5)(v)), u)  # told from f's output
    assert not wrong and "analytic = 1/2 x numeric" in str(wrong)
