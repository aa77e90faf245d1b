"""The ``generated`` vectors: a seeded sweep of every protocol operation and its edge cases.

One ``random.Random(seed)`` drives everything, so the same seed gives the same
file byte for byte. Random numbers are rounded to a few decimals to keep the
files readable; networks whose ReLU or step pre-activations come within 1e-6
of the kink are redrawn, except in the cases built to sit exactly on it
(flag ``relu_at_zero``), whose numbers are exact binary fractions.
"""

from __future__ import annotations

import random

from nnref.conformance.protocol.names import CLAUSE_OF
from nnref.conformance.vectors.build.casebuild import (
    TOL_EXACT,
    GenerationError,
    call_case,
    case,
)
from nnref.conformance.vectors.build.generated_networks import (
    edge_gradient_cases,
    forward_cases,
    gradient_cases,
)
from nnref.conformance.vectors.build.generated_optimizers import optimizer_cases
from nnref.conformance.vectors.build.generated_rejects import reject_cases
from nnref.conformance.vectors.build.sampling import (
    ELEMENTWISE,
    one_hot,
    vector,
)
from nnref.reference.tutorial import encode_applicant


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
    yield _cross_entropy_of_zero(ref)


#: S14's note: where y_k = 0 and t_k = 1 any result of at least this, or +inf, passes.
CROSS_ENTROPY_OF_ZERO_MIN = 690.0


def _cross_entropy_of_zero(ref):
    """y_k = 0 where t_k = 1: E is +inf; a finite stand-in of at least 690 passes too."""
    y, t = [0.0, 1.0], [1.0, 0.0]
    got = ref.cross_entropy(y, t)
    if not got >= CROSS_ENTROPY_OF_ZERO_MIN:
        raise GenerationError(f"cross_entropy of y_k = 0 where t_k = 1 is {got!r}")
    return case(
        "cross_entropy-zero-where-t-one",
        ["S14"],
        "cross_entropy",
        {"y": y, "t": t},
        got,
        "y_k = 0 where t_k = 1: -ln 0 = +inf (S14's note); expected is the reference's "
        "stand-in, -ln of the smallest normal float",
        flags=["zero_probability_true_class", "extreme"],
        expected_min=CROSS_ENTROPY_OF_ZERO_MIN,
    )


def soft_teacher_loss_cases(ref):
    """Cross-entropy with teachers that are not one-hot (S14's note): the formula holds as is."""
    for k, (u, t) in enumerate(
        (([0.5, -1.0, 2.0], [0.25, 0.5, 0.0]), ([1.5, 0.0, -0.5, 0.25], [0.5, 0.5, 0.5, 0.5]))
    ):
        yield call_case(
            ref,
            f"cross_entropy-soft-teacher-{k:03d}",
            ["S14", "E1"],
            "cross_entropy",
            {"y": ref.softmax(u), "t": t},
            f"y = softmax{tuple(u)}, a teacher summing to {sum(t)}",
            flags=["soft_teacher"],
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
        (1.0, 0.3),  # the top of (0, 1], where 1 - random() can land: z = 0
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
    cases.extend(soft_teacher_loss_cases(ref))
    cases.extend(edge_gradient_cases(ref))
    cases.extend(reject_cases(ref))
    return cases
