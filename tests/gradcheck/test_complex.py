"""Complex inputs: torch's convention (the gradient of a real f at z = a + ib is
df/da + i df/db, twice the conjugate Wirtinger derivative), each complex entry checked as
its real and imaginary parts and named ``z[1].imag`` as a real entry would be."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from nnref.conformance.finitediff import GradcheckInputError, gradcheck

HAS_TORCH = importlib.util.find_spec("torch") is not None
HAS_JAX = importlib.util.find_spec("jax") is not None
Z = np.array([1 + 2j, -0.5 + 0.3j, 0.2 - 1j])
C = np.array([0.7 - 0.2j, 1.5 + 0.5j, -0.3 + 1.1j])


def energy(z):
    return float(np.sum(np.abs(z) ** 2) + np.real(np.sum(C * z)))


def energy_grad(z):
    return 2 * z + np.conj(C)  # df/da + i df/db


@pytest.mark.spec("S20")
@pytest.mark.parametrize("fast", [False, True])
def test_torchs_convention_passes_and_names_a_wrong_entry(fast):
    assert gradcheck(energy, Z, energy_grad(Z), fast=fast)
    wrong = energy_grad(Z)
    wrong[1] += 0.5j
    result = gradcheck(energy, Z, wrong, fast=fast)
    assert not result and result.failing_names == ["x[1].imag"]
    assert "x (3, complex)" in str(result)


@pytest.mark.spec("S20")
def test_the_conjugate_fails_every_imaginary_part_with_a_hint():
    result = gradcheck(energy, Z, np.conj(energy_grad(Z)))
    assert not result
    assert sorted(result.failing_names) == [f"x[{i}].imag" for i in range(3)]
    assert "conjugated" in result.hints[0]


@pytest.mark.spec("S20")
def test_complex_beside_real_arrays_in_a_dict_and_as_a_jacobian():
    x = {"z": Z.reshape(3, 1), "r": np.array([0.5, -2.0])}

    def f(p):
        return np.array([np.sum(np.abs(p["z"]) ** 2), np.sum(p["r"] ** 2) * np.real(p["z"][0, 0])])

    z, r = x["z"], x["r"]
    row0 = {"z": 2 * z, "r": np.zeros(2)}
    dz1 = np.zeros((3, 1), complex)
    dz1[0, 0] = np.sum(r**2)
    row1 = {"z": dz1, "r": 2 * r * np.real(z[0, 0])}
    assert gradcheck(f, x, [row0, row1])
    bad = {"z": dz1, "r": 2 * r * np.real(z[0, 0])}
    bad["z"] = bad["z"] + 1j * np.array([[0.0], [0.0], [0.25]])
    result = gradcheck(f, x, [row0, bad])
    assert not result and result.failing_names == ["f[1] wrt z[2][0].imag"]


@pytest.mark.spec("S20")
def test_a_complex_output_is_refused_with_the_way_out():
    with pytest.raises(GradcheckInputError, match=r"\(f\(x\)\.real, f\(x\)\.imag\)"):
        gradcheck(lambda z: z * 2, Z, np.eye(3))
    result = gradcheck(
        lambda z: (np.real(2 * z), np.imag(2 * z)), Z, [2 * np.eye(3), 2j * np.eye(3)]
    )
    assert result, str(result)


@pytest.mark.spec("S20")
@pytest.mark.skipif(not HAS_TORCH, reason="needs torch")
@pytest.mark.parametrize("fast", [False, True])
def test_a_torch_backward_that_forgets_the_conjugate(fast):
    import torch

    c = torch.tensor(C)

    def linear(conjugate: bool):
        class Linear(torch.autograd.Function):
            @staticmethod
            def forward(ctx, z):
                return torch.real((c * z).sum())

            @staticmethod
            def backward(ctx, g):
                return g * (c.conj() if conjugate else c)

        return Linear.apply

    z = torch.tensor(Z)
    assert gradcheck(linear(True), z, fast=fast)
    assert torch.autograd.gradcheck(linear(True), (z.clone().requires_grad_(),))
    result = gradcheck(linear(False), z, fast=fast)
    assert not result
    assert sorted(result.failing_names) == [f"x[{i}].imag" for i in range(3)]


@pytest.mark.spec("S20")
@pytest.mark.skipif(not HAS_JAX, reason="needs jax")
def test_jax_autograd_is_read_in_the_same_convention():
    import jax.numpy as jnp

    result = gradcheck(lambda z: jnp.sum(jnp.abs(z) ** 2 + jnp.real(jnp.asarray(C) * z)), Z)
    assert result, str(result)


@pytest.mark.spec("S20")
@pytest.mark.skipif(not HAS_TORCH, reason="needs torch")
def test_order_2_with_complex_inputs_names_both_parts():
    import torch

    def quartic(detach: bool):
        class Quartic(torch.autograd.Function):
            @staticmethod
            def forward(ctx, z):
                ctx.save_for_backward(z)
                return (z.abs() ** 4).sum()

            @staticmethod
            def backward(ctx, g):
                (z,) = ctx.saved_tensors
                if detach:
                    z = z.detach()  # first order right; the graph of the gradient is cut
                return g * 4 * z.abs() ** 2 * z  # df/da + i df/db of |z|^4

        return Quartic.apply

    z = torch.tensor(Z)
    assert gradcheck(quartic(False), z) and gradcheck(quartic(False), z, order=2)
    assert gradcheck(quartic(True), z)
    result = gradcheck(quartic(True), z, order=2)
    assert not result
    assert "df/dx[1].imag wrt x[1].real" in result.failing_names
    assert all(name.startswith("df/dx[") for name in result.failing_names)


@pytest.mark.spec("S20")
@pytest.mark.skipif(not HAS_JAX, reason="needs jax")
def test_order_2_with_complex_inputs_in_jax():
    import jax.numpy as jnp

    assert gradcheck(lambda z: jnp.sum(jnp.abs(z) ** 4 + jnp.real(z) * jnp.imag(z)), Z, order=2)
