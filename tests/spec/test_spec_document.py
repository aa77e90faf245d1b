"""The spec shipped in ``conformance/spec/``: its clause ids, both languages, its numbers."""

from __future__ import annotations

import itertools
import json
import re

import pytest

from nnref.conformance import spec
from nnref.conformance.spec.clause_ids import ALL_CLAUSES, ERRATA, SPEC_CLAUSES, WORKED_EXAMPLES
from nnref.conformance.vectors import path_of

#: The clause ids every vector, test and page of nnref uses, in the spec's order.
EXPECTED_IDS = (
    *(f"S{n}" for n in range(1, 30)),
    *("W1_1", "W1_2", "W2_1", "W2_2", "W2_3", "W2_4", "D_hidden", "W3_1", "W3_2"),
    *("D_softmax", "W3_3", "D_mse", "D_ce", "W4_1"),
    *(f"E{n}" for n in range(1, 19)),
)


def test_the_clause_ids_are_exactly_the_stable_ones():
    assert spec.ids("en") == EXPECTED_IDS


def test_english_and_japanese_have_the_same_clauses_in_the_same_order():
    en, ja = spec.clauses("en"), spec.clauses("ja")
    assert [c.id for c in ja] == [c.id for c in en]
    assert [c.section_anchor for c in ja] == [c.section_anchor for c in en]
    assert all(c.title and c.text for c in en + ja)


def test_conformance_takes_its_clause_ids_from_the_spec():
    assert ALL_CLAUSES == spec.ids() == SPEC_CLAUSES + WORKED_EXAMPLES + ERRATA
    assert len(SPEC_CLAUSES) == 29 and len(WORKED_EXAMPLES) == 14 and len(ERRATA) == 18


def test_every_clause_named_by_a_vector_is_defined_in_the_spec():
    named = set()
    for name in ("tutorial", "generated"):
        doc = json.loads(path_of(name).read_text(encoding="utf-8"))
        named |= {k for case in doc["cases"] for k in case["clauses"]}
    assert named <= set(spec.ids())


def _printed(value) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [repr(v) if isinstance(v, float) else str(v) for v in values]


@pytest.mark.spec(*WORKED_EXAMPLES)
@pytest.mark.parametrize("lang", spec.LANGS)
def test_W_D_worked_examples_state_the_tutorials_answers(lang):
    """Each W/D clause shows the answer its tutorial vector expects (in both languages)."""
    doc = json.loads(path_of("tutorial").read_text(encoding="utf-8"))
    checked = 0
    for case in doc["cases"]:
        clause = case["clauses"][0]
        if not case["id"].startswith(clause) or clause not in WORKED_EXAMPLES:
            continue
        if "tutorial_value" not in case:
            continue
        text = spec.get(clause, lang).text.replace("−", "-")
        for number in _printed(case["tutorial_value"]):
            assert number in text, (lang, clause, number)
        checked += 1
    assert checked >= 12


@pytest.mark.parametrize(
    ("clause", "phrase"),
    [
        ("E5", "0以上1以下( 0 <= f(x) <= 1)"),
        ("E7", "-1以上1以下"),
        ("E8", "xが0未満の値をとる時、ReLU関数は微分可能ではない"),
        ("E9", "出力f, c, h"),
        ("E10", "再帰的な問題"),
    ],
)
def test_errata_quote_the_tutorials_words_in_both_languages(clause, phrase):
    assert phrase in spec.get(clause, "en").text or phrase in spec.get(clause, "en").title
    assert phrase in spec.get(clause, "ja").text or phrase in spec.get(clause, "ja").title


def test_japanese_paragraphs_are_not_broken_across_lines():
    """A line break inside a Japanese sentence renders as a stray space on the site."""
    lines = spec.source("ja").splitlines()
    japanese = re.compile(r"[\u3000-\u30ff\u4e00-\u9fff]")
    for before, after in itertools.pairwise(lines):
        if before and after and not after.startswith(("#", "|", "-", " ")):
            assert not (japanese.search(before[-1]) and japanese.search(after[0])), before


def test_unknown_clause_names_the_nearest():
    with pytest.raises(KeyError, match="did you mean S20"):
        spec.get("S200")
    assert spec.resolve("w3_3") == "W3_3" and spec.resolve("d_CE") == "D_ce"
    assert spec.resolve("S99") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("## Section {#s}\n\n### S1 no colon {#S1}\n", "is not 'ID: title"),
        ("## Section {#s}\n\n### S1: a {#S2}\n", "is not 'ID: title"),
        ("## Section without anchor\n", "section heading without"),
        ("## A {#a}\n\n### S1: a {#S1}\n\n### S1: b {#S1}\n", "appear twice: S1"),
        ("# Title only\n", "no clause headings"),
    ],
)
def test_malformed_spec_is_one_clear_error(text, message):
    with pytest.raises(spec.SpecError, match=re.escape(message)):
        spec.parse(text)
