"""Errata E7..E10: each claim checked by SymPy, by the reference, and shown on the errata page."""

from __future__ import annotations

import math

import pytest
import sympy as sp

from nnref import reference
from nnref.reference import TUTORIAL_LAYERS, TUTORIAL_T
from nnref.reference.activations import relu_derivative
from nnref.reference.layer import input_gradient
from nnref.symbolic import registry

DERIVATIONS = {
    "E7": "tanh_open_range",
    "E8": "relu_differentiable_off_zero",
    "E9": "output_gradients_f_g_h",
    "E10": "regression_not_recursion",
}


@pytest.mark.spec("E7", "E8", "E9", "E10")
@pytest.mark.parametrize("erratum", DERIVATIONS)
def test_E7_E10_each_erratum_has_a_proven_derivation(erratum):
    d = registry.get(DERIVATIONS[erratum])
    assert erratum in d.clauses
    assert d.verify().ok


# (erratum, step label, the wrong claim) -- the claim the tutorial's words would need.
WRONG = [
    ("E7", "never1", {"rhs": sp.FiniteSet(sp.oo)}),  # "tanh reaches 1"
    ("E7", "below1", {"relation": "<"}),
    ("E8", "negative", {"rhs": sp.nan}),  # "no derivative for x < 0"
    ("E8", "zero-piece", {"rhs": sp.Interval(-sp.oo, -1)}),
    ("E9", "fch-sum", {"relation": "="}),  # "c is an output of the softmax layer"
    ("E10", "mean", {"rhs": sp.FiniteSet(sp.Symbol("t_1", real=True))}),
]


@pytest.mark.spec("E7", "E8", "E9", "E10")
@pytest.mark.parametrize(
    ("erratum", "label", "change"), WRONG, ids=[f"{e}-{s}" for e, s, _ in WRONG]
)
def test_E7_E10_the_texts_reading_fails_its_proof(erratum, label, change):
    wrong = registry.get(DERIVATIONS[erratum]).with_step(label, **change)
    assert [s.label for s in wrong.verify().failures()] == [label]


@pytest.mark.spec("E7", "S7")
def test_E7_tanh_stays_strictly_inside_minus_1_and_1():
    us = [i / 100 for i in range(-800, 801)]
    ys = reference.tanh(us)
    assert all(-1.0 < y < 1.0 for y in ys)
    assert all(1.0 - y == pytest.approx(2.0 * s, abs=1e-15)
               for y, s in zip(ys, reference.sigmoid([-2 * u for u in us])))  # fmt: skip
    assert reference.tanh([20.0]) == [1.0]  # float64 rounding, not the function


@pytest.mark.spec("E8", "S8")
@pytest.mark.parametrize("x", [-3.0, -0.5, -1e-3, 1e-3, 0.5, 3.0])
def test_E8_relu_has_equal_one_sided_slopes_away_from_zero(x):
    h = 1e-6
    left = (reference.relu([x])[0] - reference.relu([x - h])[0]) / h
    right = (reference.relu([x + h])[0] - reference.relu([x])[0]) / h
    assert left == pytest.approx(right, abs=1e-9)
    assert relu_derivative([x], reference.relu([x]))[0] == pytest.approx(right, abs=1e-9)


@pytest.mark.spec("E8", "S8")
def test_E8_relu_has_no_derivative_only_at_zero():
    h = 1e-6
    left = (reference.relu([0.0])[0] - reference.relu([-h])[0]) / h
    right = (reference.relu([h])[0] - reference.relu([0.0])[0]) / h
    assert (left, right) == (0.0, pytest.approx(1.0))


@pytest.mark.spec("E9", "W4_1", "S15")
def test_E9_the_output_neurons_are_f_g_h_and_c_is_hidden():
    out = TUTORIAL_LAYERS[2]
    c = reference.forward(TUTORIAL_LAYERS[:2], reference.TUTORIAL_X)[0]
    f, g, h = reference.forward(TUTORIAL_LAYERS, reference.TUTORIAL_X)
    assert f + g + h == pytest.approx(1.0, abs=1e-15)
    assert f + c + h < 0.2  # c (= 0) is not an output of the softmax layer
    delta = [y - t for y, t in zip((f, g, h), TUTORIAL_T)]
    assert delta[1] == pytest.approx(0.84379473448, abs=1e-11)  # ∂g, W4_1's printed answer
    dc = input_gradient(out["W"], delta)[0]
    assert dc == pytest.approx(2.48937413731, abs=1e-11)


@pytest.mark.spec("E10", "S9", "S13")
def test_E10_identity_output_with_squared_error_fits_a_number():
    ages = [28.0, 30.0, 35.0]
    layer = {"W": [[0.0]], "b": [0.0], "activation": "identity"}
    for _ in range(200):
        grads = [reference.gradients([layer], [1.0], [t], "squared_error")[0] for t in ages]
        layer["W"][0][0] -= 0.1 * sum(g["W"][0][0] for g in grads) / 3
        layer["b"][0] -= 0.1 * sum(g["b"][0] for g in grads) / 3
    assert reference.forward([layer], [1.0])[0] == pytest.approx(31.0, abs=1e-9)


@pytest.mark.slow
@pytest.mark.spec("E7", "E8", "E9", "E10")
@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("erratum", DERIVATIONS)
def test_E7_E10_errata_page_shows_the_quote_evidence_and_proof(erratum, lang):
    from nnref_docs import errata, errata_wording

    text = errata.erratum(lang, erratum)
    assert f"「{errata_wording.QUOTES[erratum]}」" in text.splitlines()[0]
    assert "|" in text and f"generated/derivations/errata.md#{DERIVATIONS[erratum]}" in text


@pytest.mark.spec("E7")
def test_E7_evidence_that_no_longer_holds_fails_the_build(monkeypatch):
    """A tanh that reached ±1 (a closed range) would break E7's evidence: the build stops."""
    from nnref_docs import errata
    from nnref_docs.errors import DocsBuildError

    monkeypatch.setattr(reference, "tanh", lambda u: [max(-1.0, min(1.0, 1.2 * math.tanh(x)))
                                                       for x in u])  # fmt: skip
    with pytest.raises(DocsBuildError, match="tanh range"):
        errata.erratum("en", "E7")
