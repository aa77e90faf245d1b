"""Every choice of nnref's is marked as such, beside what the tutorial says and what its
code does, and every quotation of the tutorial stands on the line the spec names.

A clause that states a choice of nnref's has a paragraph that starts with the marker
(``*nnref's choice.*``, in Japanese ``*nnref の選択。*``) and quotes the tutorial at
least once with a line reference, so a reader can tell the tutorial's part from
nnref's. The lint below finds clauses that speak of what nnref does without the marker.
"""

from __future__ import annotations

import dataclasses
import re

import pytest

from nnref.conformance import spec
from tests.spec import tutorial_text

MARKER = {"en": "*nnref's choice.*", "ja": "*nnref の選択。*"}

#: Clauses where the tutorial is silent, inconsistent or shows its rule only in a figure.
CHOICES = ("S5", "S8", "S12", "S13", "S14", "S23", "S24", "S25", "S26", "S29")

#: Words that state what nnref does: a clause using them must mark its choice.
CHOICE_WORDS = {
    "en": re.compile(
        r"\bnnref(?:'s reference| reads it| draws)? (?:follows|chooses|choose|does the "
        r"same|takes|counts|records|scales|implements|uses)\b"
    ),
    "ja": re.compile(r"nnref (?:は|も)[^。]*?(?:に従う|を選ぶ|同じにする|と読む|を使う|を実装)"),
}

ALL = spec.ids()


def choice_problems(text: str, lang: str) -> list[str]:
    """Why a clause's text does not mark its choice properly ([] when it does)."""
    problems = []
    marked = MARKER[lang] in text
    if not marked and CHOICE_WORDS[lang].search(text):
        said = CHOICE_WORDS[lang].search(text)[0]
        problems.append(f"says what nnref does ({said!r}) without {MARKER[lang]!r}")
    if marked and not tutorial_text.quotations(text, lang):
        problems.append("marks a choice but quotes no line of the tutorial")
    return problems


@pytest.mark.spec(*CHOICES)
@pytest.mark.parametrize("lang", spec.LANGS)
@pytest.mark.parametrize("clause", CHOICES)
def test_each_choice_is_marked_and_quotes_the_tutorial(clause, lang):
    text = spec.get(clause, lang).text
    assert MARKER[lang] in text, (clause, lang)
    assert choice_problems(text, lang) == []


@pytest.mark.parametrize("lang", spec.LANGS)
@pytest.mark.parametrize("clause", ALL)
def test_lint_no_clause_states_a_choice_without_its_marker(clause, lang):
    assert choice_problems(spec.get(clause, lang).text, lang) == [], clause


def test_both_languages_mark_the_same_clauses():
    marked = {lang: {c.id for c in spec.clauses(lang) if MARKER[lang] in c.text}
              for lang in spec.LANGS}  # fmt: skip
    assert marked["en"] == marked["ja"]
    assert set(CHOICES) <= marked["en"]


@pytest.mark.parametrize(
    ("text", "lang", "problem"),
    [
        ("At 0 the slope is 1, and nnref follows it.", "en", "without"),
        ("nnref は 1 を選ぶ。", "ja", "without"),
        ("The slope is 1.\n\n*nnref's choice.* 1.", "en", "quotes no line"),
    ],
)
def test_lint_catches_an_unmarked_or_unfounded_choice(text, lang, problem):
    assert any(problem in p for p in choice_problems(text, lang))


@pytest.mark.parametrize("lang", spec.LANGS)
@pytest.mark.parametrize("clause", ALL)
def test_every_quotation_names_its_line(clause, lang):
    text = spec.get(clause, lang).text
    assert tutorial_text.unreferenced(text, lang) == [], clause


@pytest.mark.spec(*CHOICES, "S1", "S10", "W1_2")
@pytest.mark.parametrize("lang", spec.LANGS)
@pytest.mark.parametrize("clause", ALL)
def test_quotations_stand_on_the_lines_they_name(clause, lang):
    source = tutorial_text.lines_or_skip()
    for quotation in tutorial_text.quotations(spec.get(clause, lang).text, lang):
        assert tutorial_text.misquoted(quotation, source) == [], (clause, lang)


@pytest.mark.spec(*CHOICES)
@pytest.mark.parametrize("clause", CHOICES)
def test_both_languages_quote_the_same_lines(clause):
    en, ja = (tutorial_text.quotations(spec.get(clause, lang).text, lang) for lang in spec.LANGS)
    assert sorted((q.quote, q.lines) for q in en) == sorted((q.quote, q.lines) for q in ja)


def test_a_misquotation_is_caught():
    source = ("line one", "xが0以上のとき、")
    good = tutorial_text.Quotation("xが0以上のとき", (2,))
    assert tutorial_text.misquoted(good, source) == []
    assert tutorial_text.misquoted(tutorial_text.Quotation("xが0以上のとき", (1,)), source)
    assert tutorial_text.misquoted(tutorial_text.Quotation("xが0より大", (2,)), source)
    missing = dataclasses.replace(good, lines=(9,))
    assert "does not exist" in tutorial_text.misquoted(missing, source)[0]
