"""The reference's backprop agrees with SymPy's exact gradients to 1e-12 relative (S15-S20).

Networks are small (1-3 inputs, 0-1 hidden layers of 1-3 neurons, 1-3
outputs). Weights and thresholds are multiples of 1/8 in [-1, 1] and inputs
multiples of 1/4 in [-1, 1], so floats hold them exactly and an exactly-zero
ReLU input is zero in both implementations (the S8 convention, ReLU'(0) = 1,
is then checked too). A ReLU input that is not exactly zero but within 1e-9
of it is skipped: there the float sign may legitimately differ.

The ranges keep sigmoid and tanh out of deep saturation. There the
reference computes f' from the recorded output (S12: 1 - f^2, f (1 - f)),
which cancels catastrophically when f is near +-1 (or 0 and 1): with
weights up to 2 a tanh' of ~1e-9 came out with relative error 2e-12.
"""

from __future__ import annotations

import random

import pytest
import sympy as sp
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nnref.symbolic.gradients import gradients as exact_gradients
from nnref.symbolic.network import preactivations
from nnref.symbolic.tutorial import (
    TUTORIAL_LAYERS,
    TUTORIAL_LOSS,
    TUTORIAL_T,
    TUTORIAL_X,
    tutorial_gradients,
)

reference = pytest.importorskip("nnref.reference")
if not hasattr(reference, "gradients"):  # pragma: no cover - the reference is still being written
    pytest.skip("nnref.reference.gradients is not there yet", allow_module_level=True)

RTOL = 1e-12
HIDDEN = ("sigmoid", "tanh", "relu", "identity", "softmax")
# (output activation, loss): cross-entropy only where every output is > 0
PAIRS = (
    ("identity", "squared_error"), ("sigmoid", "squared_error"), ("tanh", "squared_error"),
    ("relu", "squared_error"), ("softmax", "squared_error"), ("softmax", "cross_entropy"),
    ("sigmoid", "cross_entropy"),
)  # fmt: skip


def _flat(grads) -> list[float]:
    out = []
    for g in grads:
        out += [float(v) for row in g["W"] for v in row] + [float(v) for v in g["b"]]
    return out


def assert_agree(layers, x, t, loss, exact=None):
    """Entry-wise |ref - exact| <= 1e-12 * max(|exact|, largest |exact| entry of the sample)."""
    exact = exact or exact_gradients(layers, x, t, loss)
    want = _flat(exact.floats())
    got = _flat(reference.gradients(layers, x, t, loss))
    scale = max((abs(v) for v in want), default=0.0)
    for k, (a, b) in enumerate(zip(got, want, strict=True)):
        assert abs(a - b) <= RTOL * max(abs(b), scale), f"entry {k}: reference {a!r}, exact {b!r}"


@pytest.mark.slow
@pytest.mark.spec("S20")
def test_S20_tutorial_network_reference_matches_exact():
    exact = tutorial_gradients(simplify=False)
    assert_agree(TUTORIAL_LAYERS, TUTORIAL_X, TUTORIAL_T, TUTORIAL_LOSS, exact)


def _layer(rng: random.Random, n: int, m: int, activation: str) -> dict:
    W = [[rng.randint(-8, 8) / 8 for _ in range(m)] for _ in range(n)]
    return {"W": W, "b": [rng.randint(-8, 8) / 8 for _ in range(m)], "activation": activation}


def _network(rng, hidden, output, sizes):
    acts = [*(hidden for _ in sizes[1:-1]), output]
    return [_layer(rng, sizes[k], sizes[k + 1], acts[k]) for k in range(len(acts))]


def _teacher(rng, output, loss, m):
    if loss == "cross_entropy" or output == "softmax":
        t = [0.0] * m
        t[rng.randrange(m)] = 1.0
        return t
    return [rng.randint(-8, 8) / 4 for _ in range(m)]


def _near_kink(layers, x) -> bool:
    """A ReLU input within 1e-9 of 0 that is not exactly a rational 0 (float sign may differ)."""
    for layer, u in zip(layers, preactivations(layers, x), strict=True):
        if layer["activation"] == "relu":
            for v in u:
                if not v.is_Rational and abs(float(sp.N(v, 30))) < 1e-9:
                    return True
    return False


def _sample(seed, hidden, output, loss, sizes):
    rng = random.Random(seed)
    layers = _network(rng, hidden, output, sizes)
    x = [rng.randint(-4, 4) / 4 for _ in range(sizes[0])]
    return layers, x, _teacher(rng, output, loss, sizes[-1])


GRID = [(h, o, l) for h in HIDDEN for o, l in PAIRS]
# every hidden activation and every (output, loss) pair at least once
DIAGONAL = [GRID[k * len(PAIRS) + (k + j) % len(PAIRS)]
            for k in range(len(HIDDEN)) for j in (0, 1)]  # fmt: skip


def _check_case(hidden, output, loss):
    layers, x, t = _sample(f"{hidden}-{output}-{loss}", hidden, output, loss, (2, 2, 2))
    assert not _near_kink(layers, x)
    assert_agree(layers, x, t, loss)


@pytest.mark.slow
@pytest.mark.spec("S15", "S20")
@pytest.mark.parametrize(("hidden", "output", "loss"), DIAGONAL,
                         ids=[f"S15-{h}-{o}-{l}" for h, o, l in DIAGONAL])  # fmt: skip
def test_S20_each_activation_and_pair_reference_matches_exact(hidden, output, loss):
    _check_case(hidden, output, loss)


@pytest.mark.spec("S15", "S20")
@pytest.mark.slow
@pytest.mark.parametrize(("hidden", "output", "loss"), GRID,
                         ids=[f"S15-{h}-{o}-{l}" for h, o, l in GRID])  # fmt: skip
def test_S20_every_pairing_reference_matches_exact(hidden, output, loss):
    _check_case(hidden, output, loss)


@pytest.mark.slow
@pytest.mark.spec("S20")
@settings(max_examples=6)
@given(
    seed=st.integers(0, 2**32 - 1),
    hidden=st.sampled_from(HIDDEN),
    pair=st.sampled_from(PAIRS),
    sizes=st.lists(st.integers(1, 2), min_size=2, max_size=3),
)
def test_S20_generated_networks_reference_matches_exact(seed, hidden, pair, sizes):
    assert_generated_agrees(seed, hidden, pair, sizes)


@pytest.mark.spec("S20")
@pytest.mark.slow
@settings(max_examples=40)
@given(
    seed=st.integers(0, 2**32 - 1),
    hidden=st.sampled_from(HIDDEN),
    pair=st.sampled_from(PAIRS),
    sizes=st.lists(st.integers(1, 3), min_size=2, max_size=4),
)
def test_S20_many_generated_networks_reference_matches_exact(seed, hidden, pair, sizes):
    assert_generated_agrees(seed, hidden, pair, sizes)


def assert_generated_agrees(seed, hidden, pair, sizes):
    """The reference agrees with SymPy on one generated network (kinks skipped)."""
    output, loss = pair
    layers, x, t = _sample(seed, hidden, output, loss, sizes)
    assume(not _near_kink(layers, x))
    assert_agree(layers, x, t, loss)


@pytest.mark.spec("S8")
def test_S8_kink_at_zero_uses_convention_one():
    layers = [{"W": [[1.0, 0.5], [-0.5, 1.0]], "b": [0.5, 1.5], "activation": "relu"},
              {"W": [[1.0], [-2.0]], "b": [0.25], "activation": "identity"}]  # fmt: skip
    x = [1.0, 1.0]  # u = (1 - 0.5 - 0.5, 0.5 + 1 - 1.5) = (0, 0): both at the kink
    assert preactivations(layers, x)[0] == [0, 0]
    assert_agree(layers, x, [1.0], "squared_error")
    assert reference.gradients(layers, x, [1.0], "squared_error")[0]["b"] != [0.0, 0.0]


@pytest.mark.slow
@pytest.mark.spec("S10")
def test_S10_one_softmax_output_has_exactly_zero_gradient():
    """softmax of one logit is 1 whatever it is: every gradient is 0 (found by hypothesis).

    SymPy leaves e^a e^-a unmerged here, so the exact zero has no correct digit
    at any precision; floats() must still give 0.0, not a 1e-167 rounding artifact.
    """
    layers, x, t = _sample(0, "sigmoid", "softmax", "cross_entropy", [1, 1, 1, 1])
    exact = exact_gradients(layers, x, t, "cross_entropy")
    assert set(_flat(exact.floats())) == {0.0}
    assert_agree(layers, x, t, "cross_entropy", exact)


@pytest.mark.slow
@pytest.mark.spec("S10")
def test_S10_one_softmax_unit_feeding_a_layer_keeps_its_gradient():
    """A 1-unit softmax outputs exactly 1; the next layer's weights still get gradient.

    Found by hypothesis (seed 490): an exact evaluation that gave up on a zero
    sub-expression must not turn the whole, non-zero, entry into 0.0.
    """
    layers, x, t = _sample(490, "softmax", "identity", "squared_error", [1, 1, 2, 2])
    exact = exact_gradients(layers, x, t, "squared_error")
    assert exact.floats()[1]["W"][0][0] == pytest.approx(-0.2075364866783534, rel=1e-15)
    assert_agree(layers, x, t, "squared_error", exact)
