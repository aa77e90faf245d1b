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


@pytest.mark.parametrize("page", ["index.md", "index.ja.md", "tutorial.md", "tutorial.ja.md"])
def test_the_tutorial_is_credited_by_title_with_its_authors_code(page):
    text = (DOCS / page).read_text(encoding="utf-8")
    assert TITLE in text and f"]({AUTHOR_CODE})" in text


@pytest.mark.parametrize("page", ["tutorial.md", "tutorial.ja.md"])
def test_each_section_explains_the_idea_before_its_values(page):
    text = (DOCS / page).read_text(encoding="utf-8")
    sections = re.split(r"^## (?=\d\. )", text, flags=re.MULTILINE)[1:]
    assert len(sections) == 8
    for section in sections:
        heading, body = section.split("\n", 1)
        first_example = re.search(r"^(\*\*[WD]\d?_|<!-- nnref:)", body, flags=re.MULTILINE)
        before = body[: first_example.start()] if first_example else body
        prose = re.sub(r"\\\[.*?\\\]", "", before, flags=re.DOTALL)
        sentences = re.findall(r"。|[.:]\s", prose + " ")
        assert len(sentences) >= 2, f"{page} § {heading}: {before[:80]!r}"


def test_logit_is_defined_before_it_is_used():
    text = (DOCS / "tutorial.ja.md").read_text(encoding="utf-8")
    assert text.index("（これを**ロジット**と呼ぶ）") == text.index("ロジット") - len("（これを**")
