"""The ``generated`` vectors: a seeded sweep of every protocol operation and its edge cases.

One ``random.Random(seed)`` drives everything, so the same seed gives the same
file byte for byte. Random numbers are rounded to a few decimals to keep the
files readable; networks whose ReLU or step pre-activations come within 1e-6
of the kink are redrawn, except in the cases built to sit exactly on it
(flag ``relu_at_zero``), whose numbers are exact binary fractions.
"""

from __future__ import annotations

import random

from conformance.names import ACTIVATIONS, CLAUSE_OF
from conformance.vectors import oracle
from conformance.vectors.casebuild import (
    TOL_EXACT,
    call_case,
    case,
    floats,
)

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


def linear_cases(ref, rng):
    for k in range(30):
        n, m = rng.randint(1, 6), rng.randint(1, 5)
        x, W, b = vector(rng, n), [vector(rng, m) for _ in range(n)], vector(rng, m)
        yield call_case(
            ref,
            f"linear-{k:03d}",
            ["S1", "S2"],
            "linear",
            {"x": x, "W": W, "b": b},
            f"seeded random: {n} inputs, {m} neurons",
            flags=["random"],
        )
    x, W, b = [1.0, 2.0], [[0.5], [0.25]], [-1.5]
    yield call_case(
        ref,
        "linear-negative-threshold",
        ["S1"],
        "linear",
        {"x": x, "W": W, "b": b},
        "a negative threshold adds: 0.5 + 0.5 - (-1.5) = 2.5",
        tolerance=TOL_EXACT,
        flags=["sign"],
    )


def activation_cases(ref, rng):
    for name in (*ELEMENTWISE, "softmax"):
        for k in range(10):
            u = vector(rng, rng.randint(1, 7), -6, 6)
            yield call_case(
                ref,
                f"{name}-{k:03d}",
                [CLAUSE_OF[name]],
                name,
                {"u": u},
                "seeded random",
                flags=["random"],
            )
    edges = [
        (
            "step-at-zero",
            "step",
            [0.0, -1e-300, 1e-300],
            ["S5"],
            ["step_at_zero"],
            "step(0) = 1 (u >= 0), just below 0 gives 0",
        ),
        (
            "relu-at-zero",
            "relu",
            [0.0, -1e-300, 1e-300],
            ["S8"],
            ["relu_at_zero"],
            "ReLU at and around exactly 0",
        ),
        (
            "sigmoid-extreme",
            "sigmoid",
            [1000.0, -1000.0, 0.0, 700.0, -700.0],
            ["S6", "E5"],
            ["extreme"],
            "sigmoid at +-1000 must not overflow; sigmoid(0) = 0.5",
        ),
        (
            "tanh-extreme",
            "tanh",
            [1000.0, -1000.0, 0.0, 20.0],
            ["S7"],
            ["extreme"],
            "tanh at +-1000",
        ),
        (
            "softmax-extreme",
            "softmax",
            [1000.0, 0.0, -1000.0],
            ["S10"],
            ["extreme"],
            "softmax at +-1000 must not overflow (subtract the maximum first)",
        ),
        (
            "softmax-extreme-ties",
            "softmax",
            [1000.0, 1000.0],
            ["S10"],
            ["extreme"],
            "two equal logits of 1000 share the probability",
        ),
        (
            "softmax-extreme-negative",
            "softmax",
            [-1000.0, -1000.0, -1001.0],
            ["S10"],
            ["extreme"],
            "very negative logits must not underflow to 0/0",
        ),
        ("softmax-single", "softmax", [-7.5], ["S10"], [], "one output: probability 1"),
    ]
    for cid, name, u, clauses, flags, source in edges:
        yield call_case(
            ref,
            cid,
            clauses,
            name,
            {"u": u},
            source,
            flags=flags,
        )


def loss_cases(ref, rng):
    for k in range(10):
        n = rng.randint(1, 6)
        y, t = vector(rng, n, -2, 2), vector(rng, n, -2, 2)
        yield call_case(
            ref,
            f"squared_error-{k:03d}",
            ["S13", "E6"],
            "squared_error",
            {"y": y, "t": t},
            "seeded random",
            flags=["random"],
        )
    for k in range(10):
        n = rng.randint(2, 6)
        y, t = ref.softmax(vector(rng, n, -4, 4)), one_hot(rng, n)
        yield call_case(
            ref,
            f"cross_entropy-{k:03d}",
            ["S14", "E1"],
            "cross_entropy",
            {"y": y, "t": t},
            "seeded random: y = softmax of random logits, t one-hot",
            flags=["random"],
        )
    edges = [
        (
            "cross_entropy-zero-where-t-zero",
            [1.0, 0.0, 0.0],
            [1.0, 0.0, 0.0],
            ["zero_probability", "extreme"],
            "y = softmax(1000, 0, -1000) in float64: y_k = 0 where t_k = 0, the term is 0 "
            "(0 ln 0 = 0), E = 0",
        ),
        (
            "cross_entropy-softmax-extreme",
            ref.softmax([1000.0, 999.0, -1000.0]),
            [0.0, 1.0, 0.0],
            ["zero_probability", "extreme"],
            "y = softmax(1000, 999, -1000) (computed without overflow), t on the second class",
        ),
        (
            "cross_entropy-zeros-elsewhere",
            [0.0, 0.25, 0.0, 0.75],
            [0.0, 0.0, 0.0, 1.0],
            ["zero_probability"],
            "zeros where t_k = 0 contribute nothing: E = -ln 0.75",
        ),
        (
            "cross_entropy-extreme",
            [1e-300, 1.0],
            [1.0, 0.0],
            ["extreme"],
            "a tiny probability on the true class: E = 300 ln 10",
        ),
        (
            "cross_entropy-small-probability",
            [1e-10, 1.0 - 1e-10],
            [1.0, 0.0],
            ["small_probability"],
            "y = 1e-10 on the true class: E = 10 ln 10, no clip or epsilon may change it",
        ),
        (
            "cross_entropy-unnormalised",
            [0.25, 0.625, 0.5],
            [0.0, 1.0, 0.0],
            ["unnormalised"],
            "sigmoid outputs need not sum to 1: E = -ln 0.625, y is not renormalised",
        ),
    ]
    for cid, y, t, flags, source in edges:
        yield call_case(
            ref,
            cid,
            ["S14", "E1"],
            "cross_entropy",
            {"y": y, "t": t},
            source,
            flags=flags,
        )


def box_muller_cases(ref, rng):
    known = [
        (0.5, 0.5),
        (0.5, 0.25),
        (0.25, 0.125),
        (0.75, 0.75),
        (0.125, 0.0625),
        (1e-300, 0.5),
        (0.999999, 0.3),
        (0.5, 0.999),
    ]
    for k, (x, y) in enumerate(known):
        yield call_case(
            ref,
            f"box_muller-known-{k:03d}",
            ["S25"],
            "box_muller",
            {"x": x, "y": y},
            "known uniforms: z = sqrt(-2 ln x) cos(2 pi y)",
            flags=["known_uniforms"],
        )
    for k in range(12):
        x, y = round(rng.uniform(1e-6, 1.0), 6), round(rng.uniform(0.0, 1.0), 6)
        x, y = max(x, 1e-6), min(max(y, 1e-6), 1 - 1e-6)
        yield call_case(
            ref,
            f"box_muller-{k:03d}",
            ["S25"],
            "box_muller",
            {"x": x, "y": y},
            "seeded random uniforms",
            flags=["random"],
        )


def encoding_cases(ref):
    from reference.tutorial import encode_applicant

    for cid, income, loan, house in (
        ("S4-income-at-threshold", 4_700_000, True, False),
        ("S4-income-below-threshold", 4_699_999, True, True),
    ):
        inputs = {"income_yen": float(income), "has_loan": loan, "detached_house": house}
        yield case(
            cid,
            ["S4"],
            "encode_applicant",
            inputs,
            encode_applicant(**inputs),
            "S4: income of at least 4.7 million yen encodes to 1",
            exact=[int(income >= 4_700_000), int(loan), int(house)],
            tolerance=TOL_EXACT,
            flags=["data_only"],
        )


def generated_cases(ref, seed: int) -> list[dict]:
    """All generated cases for ``seed``, in a fixed order."""
    from conformance.vectors.generated_networks import forward_cases, gradient_cases
    from conformance.vectors.generated_optimizers import optimizer_cases

    rng = random.Random(seed)
    cases = []
    for part in (
        linear_cases,
        activation_cases,
        loss_cases,
        forward_cases,
        gradient_cases,
        optimizer_cases,
        box_muller_cases,
    ):
        cases.extend(part(ref, rng))
    cases.extend(encoding_cases(ref))
    return cases
