"""The tutorial's Markdown source, when it is available beside the project, and the spec's
quotations of it.

The spec quotes the tutorial in 「」 followed by the line the words stand on:
``「xが0以上のとき」 (line 483)`` in English, ``「xが0以上のとき」（483 行目）`` in
Japanese. The tutorial itself is not shipped with nnref. :func:`lines` looks for it in
``$NNREF_TUTORIAL_SOURCE`` (a file), then in a ``shared/seed/`` folder beside the
repository or one of its parents, and checks that the file found is the tutorial;
:func:`lines_or_skip` skips the calling test, saying why, when it is not there.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TITLE = "title: ニューラルネットワークの仕組みの解説と実装"
ENV = "NNREF_TUTORIAL_SOURCE"

#: A quotation and its line reference: ``「...」 (line 483)``, ``(lines 502 and 503)``.
_QUOTE = {
    "en": re.compile(r"「(?P<quote>[^「」]+)」\s*\(lines? (?P<lines>\d+(?:(?:, | and )\d+)*)\)"),
    "ja": re.compile(r"「(?P<quote>[^「」]+)」（(?P<lines>\d+(?:、\d+)*) 行目）"),
}
_ANY_QUOTE = re.compile(r"「[^「」]*」")


@dataclass(frozen=True)
class Quotation:
    quote: str
    lines: tuple[int, ...]


def quotations(text: str, lang: str) -> list[Quotation]:
    """Every quotation of the tutorial in ``text`` that carries a line reference."""
    return [
        Quotation(m["quote"], tuple(int(n) for n in re.findall(r"\d+", m["lines"])))
        for m in _QUOTE[lang].finditer(text)
    ]


def unreferenced(text: str, lang: str) -> list[str]:
    """The 「」 quotations in ``text`` that have no line reference after them."""
    referenced = {m.start() for m in _QUOTE[lang].finditer(text)}
    return [m[0] for m in _ANY_QUOTE.finditer(text) if m.start() not in referenced]


def _candidates() -> list[Path]:
    if os.environ.get(ENV):
        return [Path(os.environ[ENV])]
    found = []
    for folder in (ROOT, *ROOT.parents):
        found += sorted((folder / "shared" / "seed").glob("*.txt"))
    return found


@cache
def _find() -> tuple[tuple[str, ...] | None, str]:
    for path in _candidates():
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            continue
        if TITLE in text.splitlines()[:5]:
            return tuple(text.splitlines()), str(path)
    where = os.environ.get(ENV) or f"shared/seed/*.txt beside {ROOT} or its parents"
    return None, f"the tutorial's Markdown source is not available ({where}; set ${ENV})"


def lines() -> tuple[str, ...] | None:
    """The tutorial's source, line 1 first, or None when it is not available."""
    return _find()[0]


def lines_or_skip() -> tuple[str, ...]:
    """The tutorial's source; skips the calling test, with the reason, when it is missing."""
    found, reason = _find()
    if found is None:
        pytest.skip(reason)
    return found


def misquoted(quotation: Quotation, source: tuple[str, ...]) -> list[str]:
    """What is wrong with one quotation: a line that does not exist or does not hold it."""
    problems = []
    for n in quotation.lines:
        if not 1 <= n <= len(source):
            problems.append(f"line {n} does not exist (the tutorial has {len(source)} lines)")
        elif quotation.quote not in source[n - 1]:
            problems.append(f"「{quotation.quote}」 is not on line {n}: {source[n - 1][:60]!r}")
    return problems
