"""The adapters agree with the reference, with finite differences, and with each other.

Seeded random networks of every (output activation, loss) pairing (S15: the canonical pairs
start from y - t, every other pair from dE/dy times the activation's Jacobian), and the one
convention that differs between libraries: ReLU'(0) (S8).
"""

from __future__ import annotations

import numpy as np
import pytest

from nnref import reference
from tests.adapters.cases import (
    ACTIVATIONS,
    ADAPTERS,
    PAIRINGS,
    arr,
    assert_same_gradients,
    finite_difference_gradients,
    load,
    random_network,
    sample,
    teacher_for,
)

#: Two shapes per pairing: one hidden layer, and two with different widths.
SHAPES = [[3, 4, 3], [4, 5, 3, 2]]


def _case(pairing_index: int, shape_index: int):
    """A seeded network (hidden activations rotate through ACTIVATIONS), input and teacher."""
    output, loss = PAIRINGS[pairing_index]
    sizes = SHAPES[shape_index]
    for attempt in range(20):
        seed = 100 * pairing_index + shape_index + 10_000 * attempt
        hidden = [ACTIVATIONS[(seed + k) % len(ACTIVATIONS)] for k in range(len(sizes) - 2)]
        layers = random_network(seed, sizes, [*hidden, output])
        x = sample(seed, sizes[0])
        y = reference.forward(layers, x)
        if loss == "squared_error" or max(y) > 0.05:  # S14: ln of the teacher's output
            return layers, x, teacher_for(y, loss, seed), loss
    raise AssertionError(f"no seed gives a positive output for {output} + {loss}")


CASES = [
    pytest.param(p, s, id=f"S15-{PAIRINGS[p][0]}+{PAIRINGS[p][1]}-depth{len(SHAPES[s]) - 1}")
    for p in range(len(PAIRINGS))
    for s in range(len(SHAPES))
]


#: JAX compiles every primitive once per new shape (seconds on a busy machine): slow.
NAMES = [pytest.param(n, marks=pytest.mark.slow) if n == "jax" else n for n in ADAPTERS]


@pytest.mark.slow
@pytest.mark.spec("S20")
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(("pairing", "shape"), CASES)
def test_S20_gradients_agree_with_the_reference(name, pairing, shape):
    impl = load(name)
    layers, x, t, loss = _case(pairing, shape)
    assert_same_gradients(
        impl.gradients(layers, x, t, loss), reference.gradients(layers, x, t, loss), rtol=1e-9
    )
    np.testing.assert_allclose(
        arr(impl.forward(layers, x)), reference.forward(layers, x), rtol=1e-12, atol=1e-15
    )


@pytest.mark.spec("S20")
@pytest.mark.parametrize(("pairing", "shape"), CASES)
def test_S20_numpy_gradients_agree_with_finite_differences(pairing, shape):
    numpy_impl = load("numpy")
    layers, x, t, loss = _case(pairing, shape)
    loss_fn = getattr(numpy_impl, loss)
    numeric = finite_difference_gradients(numpy_impl.forward, loss_fn, layers, x, t)
    assert_same_gradients(numpy_impl.gradients(layers, x, t, loss), numeric, rtol=1e-5, atol=1e-7)


@pytest.mark.spec("S20")
@pytest.mark.parametrize("name", [n for n in NAMES if n != "numpy"])
@pytest.mark.parametrize(("pairing", "shape"), CASES[::3])  # one of each output activation
def test_S20_library_adapters_agree_with_numpy(name, pairing, shape):
    impl, numpy_impl = load(name), load("numpy")
    layers, x, t, loss = _case(pairing, shape)
    assert_same_gradients(
        impl.gradients(layers, x, t, loss), numpy_impl.gradients(layers, x, t, loss), rtol=1e-9
    )


# --- S8: ReLU'(0), the one convention the libraries do not share ----------------------

#: The first hidden neuron's weighted sum is exactly 0 for x = (1, 1): u = 1 - 1 - 0.
KINK = [
    {"W": [[1.0, 2.0], [-1.0, 0.5]], "b": [0.0, 0.0], "activation": "relu"},
    {"W": [[1.0], [2.0]], "b": [0.5], "activation": "identity"},
]
KINK_X, KINK_T = [1.0, 1.0], [0.0]


def _reference_at_kink(at_zero: float):
    return reference.gradients(KINK, KINK_X, KINK_T, "squared_error", relu_grad_at_zero=at_zero)


@pytest.mark.spec("S8")
def test_S8_kink_network_really_depends_on_relu_grad_at_zero():
    with pytest.raises(AssertionError):
        assert_same_gradients(_reference_at_kink(1.0), _reference_at_kink(0.0))


@pytest.mark.spec("S8")
def test_S8_numpy_uses_the_tutorial_relu_grad_at_zero_of_1():
    numpy_impl = load("numpy")
    got = numpy_impl.gradients(KINK, KINK_X, KINK_T, "squared_error")
    assert_same_gradients(got, _reference_at_kink(1.0))
    assert arr(got[0]["W"])[0, 0] != 0.0  # the gradient flows through the kink


@pytest.mark.spec("S8")
def test_S8_numpy_can_switch_to_relu_grad_at_zero_of_0():
    numpy_impl = load("numpy")
    got = numpy_impl.gradients(KINK, KINK_X, KINK_T, "squared_error", relu_grad_at_zero=0.0)
    assert_same_gradients(got, _reference_at_kink(0.0))


@pytest.mark.slow
@pytest.mark.spec("S8")
@pytest.mark.parametrize("name", ["torch", "jax"])
def test_S8_library_adapters_use_relu_grad_at_zero_of_0(name):
    """autograd and jax.grad take ReLU'(0) = 0: they match the reference only in that mode."""
    got = load(name).gradients(KINK, KINK_X, KINK_T, "squared_error")
    assert_same_gradients(got, _reference_at_kink(0.0))
    with pytest.raises(AssertionError):
        assert_same_gradients(got, _reference_at_kink(1.0))
