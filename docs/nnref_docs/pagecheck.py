"""Checks of every page's HTML at build time: what KaTeX's parse cannot see.

- ``table_math``: a ``|`` inside ``\\(...\\)`` on a Markdown table row ends the
  cell early (the formula is cut and its rest spills into the next cell); write
  ``\\lvert x \\rvert`` or ``\\mid`` instead.
- ``unrendered_math``: math delimiters left in the text, outside any formula.
- ``stray_spaces``: on a Japanese page, a space between two Japanese characters
  (a hard-wrapped source line renders as one: 「ビルド中に 参照実装が」).
- ``english_prose``: on a Japanese page, a run of English words that reads as a
  sentence. Code, math, identifiers and names are fine: the text inside
  ``<code>``, ``<pre>`` and formulas is skipped, and a run counts as prose only
  when it has at least three words and an English function word (the, of, is...).

The hooks collect each page's problems; the build fails listing all of them.
"""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser

from nnref_docs.errors import DocsBuildError

_SKIP = {"code", "pre", "script", "style", "svg", "kbd"}
_BLOCKS = {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "div", "br", "dt", "dd",
           "summary", "figcaption", "caption", "blockquote", "tr", "table", "ul", "ol"}  # fmt: skip
_JA = r"\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff60"
STRAY_SPACE = re.compile(rf"[{_JA}][ \t\r\n]+[{_JA}]")
_WORD = r"[A-Za-z][a-z]+(?:'[a-z]+)?"
ENGLISH_RUN = re.compile(rf"{_WORD}(?:[ ,]+{_WORD}){{2,}}")
FUNCTION_WORDS = frozenset(
    ("the", "of", "is", "are", "was", "be", "to", "in", "for", "with", "by", "from", "and",
     "or", "not", "this", "that", "it", "as", "on", "at", "when", "only", "every", "each",
     "its", "an", "which", "what", "if", "than")
)  # fmt: skip
#: Names that may stand in Japanese text as they are (titles of papers and products).
NAMES = ("A Method for Stochastic Optimization", "Material for MkDocs")
TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
INLINE_MATH = re.compile(r"\\\((.*?)\\\)")


class _Text(HTMLParser):
    """The running text of a page: blocks end with NUL; code and formulas stand as one SOH."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip: list[str] = []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if self._skip or tag in _SKIP or "arithmatex" in classes or "katex" in classes:
            if not self._skip:
                self.parts.append("\x01")
            self._skip.append(tag)
        elif tag in _BLOCKS:
            self.parts.append("\x00")

    def handle_endtag(self, tag):
        if self._skip:
            if self._skip[-1] == tag:
                self._skip.pop()
            return
        if tag in _BLOCKS:
            self.parts.append("\x00")

    def handle_startendtag(self, tag, attrs):
        if not self._skip and tag in _BLOCKS:
            self.parts.append("\x00")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def running_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def _around(text: str, start: int, end: int) -> str:
    shown = text[max(0, start - 12) : end + 12]
    return re.sub(r"[\x00\x01]+", " ", shown).replace("\n", " ").strip()


def table_math(markdown: str) -> list[str]:
    """Table rows whose inline math holds a ``|`` (it splits the cell)."""
    found = []
    for line in markdown.splitlines():
        if not TABLE_ROW.match(line):
            continue
        for match in INLINE_MATH.finditer(line):
            if "|" in match.group(1):
                found.append(
                    f"a '|' inside math splits this table cell: {match.group(0)[:60]!r} "
                    r"(write \lvert ... \rvert or \mid)"
                )
    return found


def unrendered_math(text: str) -> list[str]:
    return [
        f"math left unrendered: {_around(text, m.start(), m.end())!r}"
        for m in re.finditer(r"\\[()\[\]]", text)
    ]


def stray_spaces(text: str) -> list[str]:
    return [
        f"space between Japanese characters: {_around(text, m.start(), m.end())!r}"
        for m in STRAY_SPACE.finditer(text)
    ]


def english_prose(text: str) -> list[str]:
    for name in NAMES:
        text = text.replace(name, " ")
    found = []
    for m in ENGLISH_RUN.finditer(text):
        words = {w.lower() for w in re.findall(r"[A-Za-z]+", m.group(0))}
        if words & FUNCTION_WORDS:
            found.append(f"English on a Japanese page: {m.group(0)[:70]!r}")
    return found


_problems: list[str] = []
#: Problems listed in the error (the count names them all).
LIMIT = int(os.environ.get("NNREF_DOCS_PROBLEMS", "40"))


def check_markdown(page: str, markdown: str) -> None:
    """Remember the problems of one page's Markdown (after the markers are expanded)."""
    _problems.extend(f"{page}: {p}" for p in table_math(markdown))


def check_html(page: str, html: str, lang: str) -> None:
    """Remember the problems of one page's HTML."""
    text = running_text(html)
    found = unrendered_math(text)
    if lang == "ja":
        found += stray_spaces(text) + english_prose(text)
    _problems.extend(f"{page}: {p}" for p in found)


def raise_if_any() -> None:
    """Fail the build listing every problem collected so far (and forget them)."""
    problems, _problems[:] = list(_problems), []
    if problems:
        shown = "\n  ".join(problems[:LIMIT])
        more = f"\n  ... and {len(problems) - LIMIT} more" if len(problems) > LIMIT else ""
        raise DocsBuildError(f"{len(problems)} problem(s) in the pages:\n  {shown}{more}")
