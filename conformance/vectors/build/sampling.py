"""Seeded draws shared by the generated sweeps: rounded numbers, one-hot teachers, random
networks kept away from the ReLU and step kinks, and the flags and clause order of a case."""

from __future__ import annotations

from nnref.conformance.protocol.names import ACTIVATIONS
from nnref.conformance.vectors.build import oracle
from nnref.conformance.vectors.build.casebuild import floats

#: The activations applied entry by entry (all but softmax, which is whole-vector, S10).
ELEMENTWISE = tuple(a for a in ACTIVATIONS if a != "softmax")


def uniform(rng, lo=-3.0, hi=3.0, digits=4):
    """A number from U(lo, hi), rounded to ``digits`` decimals (readable files)."""
    return round(rng.uniform(lo, hi), digits)


def vector(rng, n, lo=-3.0, hi=3.0, digits=4):
    """``n`` numbers from ``uniform``."""
    return [uniform(rng, lo, hi, digits) for _ in range(n)]


def one_hot(rng, n):
    """A one-hot teacher of length ``n`` (S14: t is one-hot)."""
    k = rng.randrange(n)
    return [1.0 if i == k else 0.0 for i in range(n)]


def random_network(rng, sizes, activations):
    """Layers with W ~ U(-1, 1), b ~ U(-0.5, 0.5); no ReLU/step pre-activation near its kink."""
    while True:
        layers = [
            {
                "W": [vector(rng, m, -1, 1) for _ in range(n)],
                "b": vector(rng, m, -0.5, 0.5),
                "activation": act,
            }
            for n, m, act in zip(sizes, sizes[1:], activations)
        ]
        x = vector(rng, sizes[0], -2, 2)
        _, us = oracle.forward(layers, x)
        kinks = [
            abs(v) for u, la in zip(us, layers) if la["activation"] in ("relu", "step") for v in u
        ]
        if not kinks or min(kinks) > 1e-6:
            return floats(layers), floats(x)


def depth_flags(depth):
    """The flag ``deep`` for networks of three or more layers."""
    return ["deep"] if depth >= 3 else []


def clause_order(c):
    """Sort key: S2 before S10, then the other ids."""
    return (c[0], int(c[1:])) if c[1:].isdigit() else (c[0], 99)
