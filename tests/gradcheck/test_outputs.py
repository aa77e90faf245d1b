"""Several outputs: a tuple, a dict or a pytree of outputs is checked output by output, and
each Jacobian's wrong entries are named ``f[1]["h"][1] wrt W[1][1]``."""

from __future__ import annotations

import importlib.util
import json

import numpy as np
import pytest

from nnref.conformance.finitediff import GradcheckInputError, gradcheck

HAS_TORCH = importlib.util.find_spec("torch") is not None
HAS_JAX = importlib.util.find_spec("jax") is not None


def point():
    return {"W": np.arange(6.0).reshape(2, 3) / 7, "b": np.array([0.5, -1.0])}


def f(p):
    h = p["W"] @ np.ones(3) + p["b"]
    return np.sum(p["W"] ** 2), {"h": h, "s": np.sin(p["b"])}


def jacobians(wrong: bool):
    p = point()
    g0 = {"W": 2 * p["W"], "b": np.zeros(2)}
    jh = np.zeros((2, 8))
    jh[0, 0:3] = jh[1, 3:6] = 1.0
    jh[0, 6] = jh[1, 7] = 1.0
    if wrong:
        jh[1, 4] = 0.5
    js = np.zeros((2, 8))
    js[0, 6], js[1, 7] = np.cos(p["b"])
    return g0, {"h": jh, "s": js}


@pytest.mark.spec("S20")
@pytest.mark.parametrize("fast", [False, True])
def test_a_pytree_of_outputs_is_checked_output_by_output(fast):
    result = gradcheck(f, point(), jacobians(False), fast=fast)
    assert result, str(result)
    assert [o["name"] for o in result.outputs] == ["f[0]", 'f[1]["h"]', 'f[1]["s"]']
    assert "3 outputs (5 values)" in str(result)


@pytest.mark.spec("S20")
@pytest.mark.parametrize("fast", [False, True])
def test_the_wrong_entry_is_named_by_output_and_input_in_both_views(fast):
    result = gradcheck(f, point(), jacobians(True), fast=fast)
    assert not result
    assert result.failing_names == ['f[1]["h"][1] wrt W[1][1]']
    text, data = str(result), json.loads(json.dumps(result.as_dict()))
    assert 'f[1]["h"][1] wrt W[1][1]' in text
    assert 'outputs: f[0] ok; f[1]["h"] 1 failing; f[1]["s"] ok' in text
    assert [e["name"] for e in data["failures"]] == result.failing_names
    assert [o["failed"] for o in data["outputs"]] == [0, 1, 0]


@pytest.mark.spec("S20")
def test_a_tuple_jacobian_may_also_be_one_matrix_or_a_vjp():
    g0, rest = jacobians(False)
    matrix = np.vstack([[*g0["W"].ravel().tolist(), 0, 0], rest["h"], rest["s"]])
    assert gradcheck(f, point(), matrix)
    from nnref.conformance.finitediff import vjp

    def pullback(p, w):
        assert isinstance(w, tuple) and set(w[1]) == {"h", "s"}
        flat_w = np.concatenate([[w[0]], w[1]["h"], w[1]["s"]])
        return flat_w @ matrix

    assert gradcheck(f, point(), vjp(pullback))


@pytest.mark.spec("S20")
def test_each_output_has_its_own_scale_in_fast_mode():
    """A 1 % error in an output of size 1e-6 beside one of size 1e6 is still caught."""
    x = np.linspace(0.1, 1.0, 5)

    def g(v):
        return 1e6 * np.sum(v**2), 1e-6 * np.sin(v)

    right = [2e6 * x, np.diag(1e-6 * np.cos(x))]
    wrong = [2e6 * x, np.diag(1e-6 * np.cos(x) * np.array([1, 1, 1.01, 1, 1]))]
    assert gradcheck(g, x, right, fast=True)
    result = gradcheck(g, x, wrong, fast=True)
    assert not result and result.failing_names == ["f[1][2] wrt x[2]"]


@pytest.mark.spec("S20")
def test_a_structure_that_changes_is_a_one_line_error():
    calls = []

    def h(v):
        calls.append(1)
        return (np.sum(v), v) if len(calls) == 1 else (np.sum(v),)

    with pytest.raises(GradcheckInputError, match=r"without f\[1\]"):
        gradcheck(h, np.ones(2), [np.ones(2), np.eye(2)])
    with pytest.raises(GradcheckInputError, match=r"grad\[1\]\[\"a\"\] is missing"):
        gradcheck(lambda v: (np.sum(v), {"a": v}), np.ones(2), [np.ones(2), {"b": np.eye(2)}])


@pytest.mark.spec("S20")
@pytest.mark.skipif(not HAS_TORCH, reason="needs torch")
@pytest.mark.parametrize("fast", [False, True])
def test_a_torch_function_with_two_outputs_names_the_wrong_one(fast):
    import torch

    class SinCos(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return torch.sin(x), torch.cos(x)

        @staticmethod
        def backward(ctx, gs, gc):
            (x,) = ctx.saved_tensors
            dc = -torch.sin(x)
            dc[2] = -dc[2]  # a sign error in one entry of the second output
            return gs * torch.cos(x) + gc * dc

    x = torch.tensor([0.3, -0.7, 1.1, 2.0], dtype=torch.float64)
    result = gradcheck(SinCos.apply, x, fast=fast)
    assert not result and result.failing_names == ["f[1][2] wrt x[2]"]
    assert gradcheck(lambda v: (torch.sin(v), {"c": torch.cos(v)}), x, fast=fast)


@pytest.mark.spec("S20")
@pytest.mark.skipif(not HAS_JAX, reason="needs jax")
@pytest.mark.parametrize("fast", [False, True])
def test_a_jax_custom_vjp_with_a_dict_of_outputs(fast):
    import jax
    import jax.numpy as jnp

    @jax.custom_vjp
    def pair(x):
        return {"sq": x**2, "sum": jnp.sum(x)}

    def fwd(x):
        return pair(x), x

    def bwd(x, g):
        return (g["sq"] * x + g["sum"],)  # d(x^2) taken as x

    pair.defvjp(fwd, bwd)
    x = np.array([0.5, -1.5, 2.0])
    result = gradcheck(pair, x, fast=fast)
    assert not result
    assert set(result.failing_names) == {f'f["sq"][{i}] wrt x[{i}]' for i in range(3)}
    assert [o["failed"] for o in result.outputs] == [3, 0]


@pytest.mark.spec("S20")
def test_a_tuple_of_equal_arrays_still_takes_its_stacked_jacobian():
    """Before several outputs were checked one by one, (sin x, cos x) was read as one (2, 3)
    array: its Jacobian of shape (2, 3, 3) is still accepted, and names are unchanged."""
    x = np.array([0.1, 0.7, -1.2])
    jac = np.stack([np.diag(np.cos(x)), np.diag(-np.sin(x))])
    assert gradcheck(lambda v: (np.sin(v), np.cos(v)), x, jac)
    jac[1, 2, 2] *= -1
    result = gradcheck(lambda v: (np.sin(v), np.cos(v)), x, jac)
    assert result.failing_names == ["f[1][2] wrt x[2]"]


@pytest.mark.spec("S20")
def test_nnref_gradcheck_is_the_same_view():
    import nnref

    result = nnref.gradcheck(f, point(), jacobians(True))
    assert result.failing_names == ['f[1]["h"][1] wrt W[1][1]']
    assert (
        result.as_dict()["outputs"] == gradcheck(f, point(), jacobians(True)).as_dict()["outputs"]
    )


@pytest.mark.spec("S20")
@pytest.mark.skipif(not HAS_TORCH, reason="needs torch")
def test_an_output_torch_cannot_see_is_a_constant_to_it():
    import torch

    x = torch.tensor([0.5, 1.0], dtype=torch.float64)
    assert gradcheck(lambda v: ((v**2).sum(), 3.0), x)
    result = gradcheck(lambda v: ((v**2).sum(), float(v[0].detach())), x)
    assert not result and result.failing_names == ["f[1] wrt x[0]"]
