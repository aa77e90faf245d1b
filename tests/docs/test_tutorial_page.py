"""The tutorial walk-through's shape (docs/tutorial.md, .ja.md): every numbered section explains
its idea before its first worked example, and the home and tutorial pages credit the tutorial by
its title and link its author's code. Fast: reads the page sources."""

from __future__ import annotations

import re

import pytest

from tests.docs import DOCS

pytestmark = pytest.mark.docs

TITLE = "「ニューラルネットワークの仕組みの解説と実装」"
AUTHOR_CODE = "https://github.com/e205723/Home-made-NN"
#: The walk-through's chapters after "8. The whole network": (number, anchor, marker).
CHAPTERS = {
    1: None, 2: None, 3: None, 4: None, 5: None, 6: None, 7: None, 8: None,
    9: ("chain-rule-patterns", "walk chain"),
    10: ("optimizers", "walk optimizers"),
    11: ("initialization", "walk init"),
    12: ("vanishing-gradients", "walk vanishing"),
}  # fmt: skip


@pytest.mark.parametrize("page", ["index.md", "index.ja.md", "tutorial.md", "tutorial.ja.md"])
def test_the_tutorial_is_credited_by_title_with_its_authors_code(page):
    text = (DOCS / page).read_text(encoding="utf-8")
    assert TITLE in text and f"]({AUTHOR_CODE})" in text


@pytest.mark.parametrize("page", ["tutorial.md", "tutorial.ja.md"])
def test_each_section_explains_the_idea_before_its_values(page):
    text = (DOCS / page).read_text(encoding="utf-8")
    sections = re.split(r"^## (?=\d+\. )", text, flags=re.MULTILINE)[1:]
    assert len(sections) == len(CHAPTERS)
    for section in sections:
        heading, body = section.split("\n", 1)
        first_example = re.search(r"^(\*\*[WD]\d?_|<!-- nnref:)", body, flags=re.MULTILINE)
        before = body[: first_example.start()] if first_example else body
        prose = re.sub(r"\\\[.*?\\\]", "", before, flags=re.DOTALL)
        sentences = re.findall(r"。|[.:]\s", prose + " ")
        assert len(sentences) >= 2, f"{page} § {heading}: {before[:80]!r}"


def test_logit_is_defined_before_it_is_used():
    text = (DOCS / "tutorial.ja.md").read_text(encoding="utf-8")
    assert text.index("これを**ロジット**と呼ぶ") == text.index("ロジット") - len("これを**")


@pytest.mark.parametrize("page", ["tutorial.md", "tutorial.ja.md"])
def test_every_walk_through_chapter_is_present_in_order(page):
    """Chapters 9-12 (the chain-rule patterns, SGD and Adam, initialization, vanishing
    gradients) follow chapter 8 in both languages, each with its anchor and its numbers."""
    text = (DOCS / page).read_text(encoding="utf-8")
    numbers = [int(n) for n in re.findall(r"^## (\d+)\. ", text, flags=re.MULTILINE)]
    assert numbers == sorted(CHAPTERS), numbers
    position = 0
    for number, chapter in CHAPTERS.items():
        if chapter is None:
            continue
        anchor, marker = chapter
        heading = re.search(rf"^## {number}\. .*\{{#{anchor}\}}$", text, flags=re.MULTILINE)
        assert heading, f"{page}: chapter {number} has no heading with {{#{anchor}}}"
        assert heading.start() > position
        position = heading.start()
        assert f"<!-- nnref:{marker} -->" in text[position:], f"{page}: {marker}"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_chapters_numbers_are_generated_and_verified(lang):
    from nnref_docs import walkthrough

    for name in walkthrough.WALKS:
        text = walkthrough.walk(lang, name)
        assert "\\[" in text and ("Verified by SymPy" in text or "SymPy で検証済み" in text)
    chain = walkthrough.walk(lang, "chain")
    assert r"\frac{\partial E}{\partial c}" in chain and "2.48937" in chain  # E11's value
