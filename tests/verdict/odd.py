"""Implementations with ordinary bugs and odd return values, for the never-crash tests.

Each is the reference with one callable replaced (``tests.verdict.odd:NAME``); the
judge must turn every one of them into a named ERROR or FAIL of the cases it
touches, and finish the run.
"""

from __future__ import annotations

from nnref import reference
from tests.conformance.impls import Impl


def _adam_raises_after_first(w, g, m, v, t, **hyper):
    if t >= 2:
        raise ValueError(f"t must be 1, got {t}")
    return reference.adam_step(w, g, m, v, t, **hyper)


#: adam_step raises ValueError from t = 2 on (a realistic bug).
ADAM_RAISES = Impl(adam_step=_adam_raises_after_first)

#: sigmoid returns an integer too large for float64.
HUGE_INT = Impl(sigmoid=lambda u: [10**400 for _ in u])

#: gradients with one entry an integer too large for float64.
HUGE_INT_GRADIENTS = Impl(
    gradients=lambda layers, x, t, loss: [
        {"W": [[10**400 for _ in row] for row in g["W"]], "b": g["b"]}
        for g in reference.gradients(layers, x, t, loss)
    ]
)

#: sigmoid returns the right numbers as text.
STRINGS = Impl(sigmoid=lambda u: [repr(v) for v in reference.sigmoid(u)])

#: sigmoid returns the right numbers as bytes.
BYTES = Impl(sigmoid=lambda u: [repr(v).encode() for v in reference.sigmoid(u)])

#: sigmoid returns booleans.
BOOLS = Impl(sigmoid=lambda u: [v > 0.5 for v in reference.sigmoid(u)])

#: softmax returns a list of lists of mixed depth.
RAGGED = Impl(softmax=lambda u: [reference.softmax(u), 1.0])

#: forward returns a dict where a list of vectors is expected.
DICT_FORWARD = Impl(forward=lambda layers, x: {"y": reference.forward(layers, x)})

#: cross_entropy returns a complex number.
COMPLEX = Impl(cross_entropy=lambda y, t: complex(reference.cross_entropy(y, t), 1.0))


def _jitter(scale):
    """gradients with each entry moved by a few ulps (``scale`` of 1) or by noise (1e-3)."""
    import random

    rng = random.Random()

    def gradients(layers, x, t, loss):
        grads = reference.gradients(layers, x, t, loss)
        move = lambda v: v * (1 + scale * rng.randint(-3, 3))  # noqa: E731
        return [
            {"W": [[move(v) for v in row] for row in g["W"]], "b": [move(v) for v in g["b"]]}
            for g in grads
        ]

    return gradients


#: gradients that differ in the last bits between calls (summation order, as micrograd's).
LAST_BITS = Impl(gradients=_jitter(2.2e-16))

#: gradients with random noise of 1e-3: not deterministic.
NOISY = Impl(gradients=_jitter(1e-3))
