"""Every erratum has its evidence: the tutorial's words with their line, found on that line,
and a computation that the tutorial's reading fails.

The computations of E1..E4 and E6..E10 are registered derivations, each mutated the
tutorial's way in ``tests/symbolic/test_mutations.py`` and ``test_errata_wording.py``;
the narrowed E5 and E6 are checked here as they are now worded.
"""

from __future__ import annotations

import json

import pytest
import sympy as sp

from nnref import reference
from nnref.conformance import spec
from nnref.conformance.spec.clause_ids import ERRATA
from nnref.conformance.vectors import path_of
from nnref.symbolic import registry
from nnref.symbolic.activations import sigmoid
from nnref.symbolic.core import Derivation, Step
from tests.spec import tutorial_text


@pytest.mark.spec(*ERRATA)
@pytest.mark.parametrize("lang", spec.LANGS)
@pytest.mark.parametrize("erratum", ERRATA)
def test_each_erratum_quotes_the_tutorial_with_a_line(erratum, lang):
    text = spec.get(erratum, lang).text
    assert tutorial_text.quotations(text, lang), erratum
    assert tutorial_text.unreferenced(text, lang) == []


@pytest.mark.parametrize("erratum", ERRATA)
def test_each_erratum_quotes_the_same_lines_in_both_languages(erratum):
    en, ja = (tutorial_text.quotations(spec.get(erratum, lang).text, lang) for lang in spec.LANGS)
    assert sorted((q.quote, q.lines) for q in en) == sorted((q.quote, q.lines) for q in ja)


@pytest.mark.spec(*ERRATA)
@pytest.mark.parametrize("lang", spec.LANGS)
@pytest.mark.parametrize("erratum", ERRATA)
def test_each_errata_quote_stands_on_its_line(erratum, lang):
    source = tutorial_text.lines_or_skip()
    for quotation in tutorial_text.quotations(spec.get(erratum, lang).text, lang):
        assert tutorial_text.misquoted(quotation, source) == [], erratum


@pytest.mark.spec("E1", "E2", "E3", "E4", "E5", "E6", "E7", "E8", "E9", "E10")
def test_the_errata_page_quotes_words_the_tutorial_has():
    """The errata page opens each erratum with a quote (``errata_wording.QUOTES``)."""
    from nnref_docs import errata_wording

    source = "\n".join(tutorial_text.lines_or_skip())
    for erratum, quote in errata_wording.QUOTES.items():
        for piece in quote.split(" … "):
            assert piece in source, (erratum, piece)


def test_each_erratum_is_proven_by_a_registered_derivation_or_a_test():
    """E1..E10 each have a derivation; the errata without a number have their tests here."""
    proven = {c for name in registry.names() for c in registry.clauses_of(name)}
    assert set(ERRATA[:10]) <= proven


# --- E5: the bound is true, only "the ends are values of the sigmoid" is not --------

x = sp.Symbol("x", real=True)
v = sp.Symbol("v")  # no assumption, so SymPy does not decide the equations on sight


def _sigmoid_range() -> Derivation:
    f = sigmoid(x)
    return Derivation(
        name="sigmoid_range",
        title="E5: 0 <= f <= 1 holds, and neither end is a value",
        clauses=("E5",),
        steps=(
            Step(f, 0, "the text's lower bound holds", relation=">=", label="lower"),
            Step(1 - f, 0, "and its upper bound", relation=">=", label="upper"),
            Step(sp.ConditionSet(v, sp.Eq(sigmoid(v), 0), sp.S.Reals), sp.S.EmptySet,
                 "no real x gives 0", label="never0"),
            Step(sp.ConditionSet(v, sp.Eq(sigmoid(v), 1), sp.S.Reals), sp.S.EmptySet,
                 "no real x gives 1", label="never1"),
        ),
    )  # fmt: skip


@pytest.mark.spec("E5", "S6")
def test_E5_the_bound_holds_and_neither_end_is_reached():
    assert _sigmoid_range().verify().ok


@pytest.mark.spec("E5", "S6")
@pytest.mark.parametrize(
    ("label", "change"),
    [("never0", {"rhs": sp.FiniteSet(0)}), ("never1", {"rhs": sp.S.Reals})],
)
def test_E5_the_reading_that_0_or_1_is_a_value_fails(label, change):
    wrong = _sigmoid_range().with_step(label, **change)
    assert [s.label for s in wrong.verify().failures()] == [label]


@pytest.mark.spec("E5", "S6")
def test_E5_in_float64_the_ends_are_returned_and_the_vector_expects_them():
    assert reference.sigmoid([36.7, 36.75, -745.0, -745.2]) == [1 - 2**-52, 1.0, 5e-324, 0.0]
    doc = json.loads(path_of("generated").read_text(encoding="utf-8"))
    (case,) = [c for c in doc["cases"] if c["id"] == "sigmoid-extreme"]
    assert "E5" in case["clauses"] and {0.0, 1.0} <= set(case["expected"])


# --- E6: the mean is not over the outputs; over samples it cannot be told -------------


@pytest.mark.spec("E6", "D_mse", "S13")
def test_E6_a_halved_mean_over_the_outputs_is_not_the_printed_1252():
    d = registry.get("squared_error_halved_sum")
    assert d.verify().ok
    wrong = d.with_step("halved-mean", relation="=")  # "½ · mean over the outputs = 1252"
    assert [s.label for s in wrong.verify().failures()] == ["halved-mean"]


@pytest.mark.spec("E6", "D_mse", "S13")
def test_E6_one_sample_cannot_tell_a_mean_over_samples_from_none():
    y, t = [28.0, 500.0], [30.0, 550.0]
    one = reference.squared_error(y, t)
    assert one == 1252.0 == sum([one]) / 1  # the mean over N = 1 samples
    assert 0.5 * sum((a - b) ** 2 for a, b in zip(y, t)) / len(y) == 626.0
