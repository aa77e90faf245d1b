"""Gaussian initialization and Box-Muller (SPEC S24, S25; erratum E2)."""

from __future__ import annotations

import sympy as sp

from nnref.symbolic.core import Derivation, Step
from nnref.symbolic.registry import derivation

z = sp.Symbol("z", real=True)


def normal_density(v):
    """The standard normal density phi(v) = e^(-v^2/2) / sqrt(2 pi)."""
    return sp.exp(-(v**2) / 2) / sp.sqrt(2 * sp.pi)


@derivation("init_variance", ("S24", "E2"))
def init_variance() -> Derivation:
    s = sp.Symbol("s", positive=True)
    n = sp.Symbol("n", positive=True)
    phi = normal_density(z)
    var = sp.Integral((s * z) ** 2 * phi, (z, -sp.oo, sp.oo))  # mean of s z is 0
    odd = s * z * phi
    return Derivation(
        title="A standard normal scaled by s has variance s^2 (std 1/sqrt(n) is variance 1/n)",
        assumptions=("z is standard normal (S25)", "n is the fan-in, n > 0"),
        summary="E2: the tutorial's 1/sqrt(n) and sqrt(2/n) are standard deviations.",
        steps=(
            Step(odd.subs(z, -z), -odd, "s z phi(z) is odd, so the mean of s z is 0",
                 label="mean"),
            Step(var, s**2, "variance of s z is s^2", label="variance"),
            Step(s**2, 1 / n, "s = 1/sqrt(n) gives variance 1/n", given=((s, 1 / sp.sqrt(n)),),
                 label="general"),
            Step(s**2, 2 / n, "s = sqrt(2/n) (before ReLU) gives variance 2/n",
                 given=((s, sp.sqrt(2 / n)),), label="relu"),
        ),
    )  # fmt: skip


@derivation("box_muller", ("S25",))
def box_muller() -> Derivation:
    X, Y = sp.symbols("X Y", positive=True)  # uniform on (0, 1)
    R = sp.sqrt(-2 * sp.log(X))
    z0, z1 = R * sp.cos(2 * sp.pi * Y), R * sp.sin(2 * sp.pi * Y)
    Z0, Z1 = sp.symbols("z_0 z_1", real=True)
    jac = sp.Matrix([[sp.Derivative(z0, X), sp.Derivative(z0, Y)],
                     [sp.Derivative(z1, X), sp.Derivative(z1, Y)]])  # fmt: skip
    density = X / (2 * sp.pi)  # 1 / |det J| times the uniform density 1
    back = ((X, sp.exp(-(Z0**2 + Z1**2) / 2)),)
    return Derivation(
        title="Box-Muller: (z0, z1) has the 2-D standard normal density",
        assumptions=("X, Y independent uniform on (0, 1); X != 0 (ln 0)",
                     "(X, Y) -> (z0, z1) is one-to-one onto the plane less a ray (measure 0)"),
        notation={R: sp.Symbol("R")},
        where=("R = sqrt(-2 ln X)", "z0 = R cos(2 pi Y), z1 = R sin(2 pi Y)"),
        steps=(
            Step(sp.Determinant(jac), -2 * sp.pi / X, "Jacobian determinant of the map",
                 label="jacobian"),
            Step(z0**2 + z1**2, -2 * sp.log(X), "so X = exp(-(z0^2 + z1^2) / 2)", label="radius"),
            Step(density, normal_density(Z0) * normal_density(Z1),
                 "density of (z0, z1) = 1/|det J| = X / (2 pi) = phi(z0) phi(z1)", given=back,
                 label="density"),
            Step(sp.Integral(normal_density(z), (z, -sp.oo, sp.oo)), 1,
                 "phi integrates to 1: z0 alone is standard normal", label="marginal"),
            Step(sp.Integral(z**2 * normal_density(z), (z, -sp.oo, sp.oo)), 1,
                 "variance 1 (and mean 0 by symmetry)", label="variance"),
        ),
    )  # fmt: skip
