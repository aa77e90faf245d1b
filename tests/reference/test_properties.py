"""Hypothesis properties of the reference (S6, S10, S15-S20, S22, S23)."""

import math

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from nnref import reference as r
from nnref.reference.activations import sigmoid_derivative, softmax_jacobian
from tests.reference.strategies import finite_vectors, logits, moderate, small_networks


def central_difference(f, layers, h=1e-6):
    """dE/dp for every parameter p of ``layers`` by (E(p + h) - E(p - h)) / 2h."""
    grads = []
    for layer in layers:
        gW = [[_partial(f, row, j, h) for j in range(len(row))] for row in layer["W"]]
        gb = [_partial(f, layer["b"], j, h) for j in range(len(layer["b"]))]
        grads.append({"W": gW, "b": gb})
    return grads


def _partial(f, vector, j, h):
    keep = vector[j]
    step = h * max(1.0, abs(keep))
    vector[j] = keep + step
    up = f()
    vector[j] = keep - step
    down = f()
    vector[j] = keep
    return (up - down) / (2 * step)


def _kink_free(layers, x, margin=1e-4):
    from nnref.reference.network import forward_pass

    for layer, rec in zip(layers, forward_pass(layers, x)):
        if layer["activation"] == "relu" and any(abs(u) < margin for u in rec.u):
            return False
    return True


@pytest.mark.slow
@pytest.mark.spec("S15", "S20")
@settings(max_examples=150, deadline=None)
@given(small_networks())
def test_S15_S20_gradients_match_central_differences_every_pairing(case):
    layers, x, t, loss = case
    assume(_kink_free(layers, x))
    analytic = r.gradients(layers, x, t, loss)
    numeric = central_difference(lambda: r.loss_value(layers, x, t, loss), layers)
    for a_layer, n_layer in zip(analytic, numeric):
        pairs = [(a, n) for ra, rn in zip(a_layer["W"], n_layer["W"]) for a, n in zip(ra, rn)]
        pairs += list(zip(a_layer["b"], n_layer["b"]))
        for a, n in pairs:
            assert math.isclose(a, n, rel_tol=1e-5, abs_tol=1e-6), (a, n, layers, x, t, loss)


@pytest.mark.spec("S10")
@given(logits)
def test_S10_softmax_sums_to_one_and_is_positive(u):
    y = r.softmax(u)
    assert math.isclose(sum(y), 1.0, rel_tol=1e-12)
    assert all(0.0 <= yi <= 1.0 for yi in y)


@pytest.mark.spec("S10")
@given(logits)
def test_S10_softmax_jacobian_is_diag_minus_outer(u):
    y = r.softmax(u)
    J = softmax_jacobian(u, y)
    for i in range(len(y)):
        for j in range(len(y)):
            expected = (y[i] if i == j else 0.0) - y[i] * y[j]
            assert math.isclose(J[i][j], expected, abs_tol=1e-15)
        assert abs(sum(J[i])) < 1e-12  # rows sum to 0 because outputs sum to 1


@pytest.mark.spec("S6", "E5")
@given(st.floats(-40.0, 40.0))
def test_S6_E5_sigmoid_derivative_at_most_quarter(u):
    y = r.sigmoid([u])
    assert 0.0 < y[0] < 1.0 or abs(u) > 36  # E5: open range (until doubles round)
    assert sigmoid_derivative([u], y)[0] <= 0.25


@pytest.mark.spec("S6", "E5")
def test_S6_E5_sigmoid_derivative_quarter_only_at_zero():
    assert sigmoid_derivative([0.0], r.sigmoid([0.0])) == [0.25]
    assert sigmoid_derivative([1e-3], r.sigmoid([1e-3]))[0] < 0.25


@pytest.mark.spec("S6", "S7", "S10", "S14")
@given(finite_vectors)
@example([1.7976931348623157e308, -9.9792015476736e291])  # log-softmax below the float range
def test_S6_S7_S10_S14_finite_for_any_finite_input(u):
    for f in (r.sigmoid, r.tanh, r.softmax, r.relu, r.step, r.identity, r.log_softmax):
        assert all(math.isfinite(v) for v in f(u)), f.__name__
    t = [1.0] + [0.0] * (len(u) - 1)
    assert math.isfinite(r.cross_entropy(r.softmax(u), t))


@pytest.mark.spec("S22")
@given(st.lists(moderate, min_size=1, max_size=6), st.lists(moderate, min_size=1, max_size=6))
def test_S22_sgd_matches_formula(w, g):
    n = min(len(w), len(g))
    w, g = w[:n], g[:n]
    assert r.sgd_step(w, g, 0.01) == [wi - 0.01 * gi for wi, gi in zip(w, g)]


@pytest.mark.spec("S23")
@settings(max_examples=50)
@given(st.lists(moderate, min_size=1, max_size=4), st.integers(1, 6))
def test_S23_adam_matches_algorithm_1_transcription(g, steps):
    w, m, v = [0.5] * len(g), [0.0] * len(g), [0.0] * len(g)
    ew, em, ev = list(w), list(m), list(v)
    for t in range(1, steps + 1):
        w, m, v = r.adam_step(w, g, m, v, t)
        for i, gi in enumerate(g):  # Kingma & Ba, Algorithm 1, line by line
            em[i] = 0.9 * em[i] + (1 - 0.9) * gi
            ev[i] = 0.999 * ev[i] + (1 - 0.999) * gi**2
            m_hat = em[i] / (1 - 0.9**t)
            v_hat = ev[i] / (1 - 0.999**t)
            ew[i] = ew[i] - 0.001 * m_hat / (math.sqrt(v_hat) + 1e-8)
    for a, b in zip(w + m + v, ew + em + ev):
        assert math.isclose(a, b, rel_tol=1e-14, abs_tol=1e-300)
