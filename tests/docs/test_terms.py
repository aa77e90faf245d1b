"""The site's words for the tutorial's terms (issue 22).

The Japanese pages use the tutorial's own terms: 線形関数, Softmax関数, Cross-entropy関数 and
ボックス=ミューラー法. A common alternative (恒等関数, ソフトマックス, 交差エントロピー,
ボックス＝ミュラー法) may appear only in parentheses that follow the tutorial's term, as
in 「Cross-entropy関数（交差エントロピー）」. In both languages u is the weighted sum *minus
the threshold* (重み付けされた信号の和から閾値を引いた値), never just "the weighted sum".

The source test reads docs/*.md and the string literals of docs/nnref_docs (fast, no
build); the site test reads the text of every built page, generated ones included.
"""

from __future__ import annotations

import ast
import html
import re
from pathlib import Path

import pytest

from tests.docs import DOCS

pytestmark = [pytest.mark.docs, pytest.mark.spec("S1", "S9", "S10", "S14", "S25")]

#: The tutorial's term for each alternative the Japanese pages may give in parentheses.
ALTERNATIVES = {
    "恒等関数": "線形関数",
    "ソフトマックス": "Softmax関数",
    "交差エントロピー": "Cross-entropy関数",
    "ボックス[＝=・]?ミュラー": "ボックス=ミューラー法",
}
#: How far before the opening parenthesis the tutorial's term may stand.
WINDOW = 400
WEIGHTED_SUM = re.compile(r"weighted\s+sums?\b", re.IGNORECASE)
MINUS_THRESHOLD = re.compile(r"\s+minus\s+(the\s+|its\s+|a\s+)?thresholds?\b", re.IGNORECASE)
#: Pages this check leaves out: none (the API page shows reference/'s docstrings, checked too).
NOT_CHECKED: set[str] = set()


def _opening_paren(text: str, at: int) -> int:
    """The index of the innermost full-width parenthesis still open at ``at``, or -1."""
    depth = 0
    for i in range(at - 1, -1, -1):
        if text[i] == "）":
            depth += 1
        elif text[i] == "（":
            if depth == 0:
                return i
            depth -= 1
    return -1


def stray_alternatives(text: str) -> list[str]:
    """Each alternative term not in parentheses after the tutorial's term, with its context."""
    found = []
    for alternative, term in ALTERNATIVES.items():
        for match in re.finditer(alternative, text):
            start = _opening_paren(text, match.start())
            if (
                start < 0
                or "）" not in text[match.end() :]
                or term not in text[max(0, start - WINDOW) : start]
            ):
                found.append(text[max(0, match.start() - 30) : match.end() + 10])
    found += [text[max(0, m.start() - 30) : m.end() + 10] for m in re.finditer("重み付き和", text)]
    return found


def bare_weighted_sums(text: str) -> list[str]:
    """Each "weighted sum" not followed by "minus the threshold", with its context."""
    return [
        text[max(0, m.start() - 40) : m.end() + 30]
        for m in WEIGHTED_SUM.finditer(text)
        if not MINUS_THRESHOLD.match(text, m.end())
    ]


def _strings(path: Path) -> list[str]:
    """The string literals of a module (implicitly joined), f-strings' constant parts too."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def _japanese(text: str) -> bool:
    return re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", text) is not None


def test_the_rules_catch_what_they_should():
    assert stray_alternatives("出力は恒等関数") and stray_alternatives("（恒等関数）の出力")
    assert stray_alternatives("ソフトマックスと交差エントロピー")
    assert not stray_alternatives("Cross-entropy関数（交差エントロピー）と Softmax関数")
    assert not stray_alternatives("（ReLU、Softmax関数（ソフトマックス）の出力）")
    assert stray_alternatives("ボックス＝ミュラー法") and stray_alternatives("重み付き和 u")
    assert bare_weighted_sums("the weighted sum u") and bare_weighted_sums("weighted sums\nu")
    assert not bare_weighted_sums("the weighted sums minus the thresholds u = xW - b")
    assert not bare_weighted_sums("its weighted sum minus\nits threshold")


def test_the_sources_use_the_tutorials_terms():
    """docs/*.md and the strings of docs/nnref_docs: Japanese terms, no bare weighted sum."""
    problems = []
    for page in sorted(DOCS.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        check = stray_alternatives if page.name.endswith(".ja.md") else bare_weighted_sums
        problems += [f"{page.name}: {hit!r}" for hit in check(text)]
    for module in sorted((DOCS / "nnref_docs").glob("*.py")):
        if module.name == "search_index.py":  # its docstring discusses how the query splits
            continue
        for string in _strings(module):
            check = stray_alternatives if _japanese(string) else bare_weighted_sums
            problems += [f"{module.name}: {hit!r}" for hit in check(string)]
    assert not problems, "\n".join(problems)


def _page_text(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", text)))


def test_the_built_pages_use_the_tutorials_terms(site):
    """Every built page, generated ones included (derivations, tables, labels)."""
    problems = []
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if relative in NOT_CHECKED or relative.startswith(("assets/", "search/")):
            continue
        text = _page_text(path)
        if relative.startswith("ja/"):
            problems += [f"{relative}: {hit!r}" for hit in stray_alternatives(text)]
        else:
            problems += [f"{relative}: {hit!r}" for hit in bare_weighted_sums(text)]
    assert not problems, "\n".join(problems)
