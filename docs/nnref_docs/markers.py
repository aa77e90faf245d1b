"""Expand ``<!-- nnref:NAME -->`` lines of hand-written pages into generated Markdown.

A marker stands alone on its line (indented inside a block, its output is
indented alike), ``<!-- nnref:NAME -->`` or
``<!-- nnref:NAME ARG -->``; ``NAME`` picks a generator registered with
:func:`generator`, which receives the page's language (``"en"`` or ``"ja"``)
and ``ARG`` (or None) and returns Markdown. An unknown marker fails the build.

Inside a line (with text before or after it) a marker is replaced by its one-line
output: ``E<!-- nnref:count errata -->`` style counts in prose are generated too.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from nnref_docs.errors import DocsBuildError

MARKER = re.compile(
    r"^([ \t]*)<!--[ \t]*nnref:([a-z0-9_]+)(?:[ \t]+(\S+))?[ \t]*-->[ \t]*$", re.MULTILINE
)
INLINE = re.compile(r"<!--[ \t]*nnref:([a-z0-9_]+)(?:[ \t]+(\S+))?[ \t]*-->")
GENERATORS: dict[str, Callable[[str, str | None], str]] = {}


def generator(name: str):
    """Register ``func(lang, arg) -> markdown`` as the expansion of ``<!-- nnref:name -->``."""

    def register(func):
        GENERATORS[name] = func
        return func

    return register


def expand(markdown: str, lang: str, page: str) -> str:
    """Replace every marker of ``markdown`` with its generator's output."""

    def run(name: str, arg: str | None) -> str:
        if name not in GENERATORS:
            known = ", ".join(sorted(GENERATORS))
            raise DocsBuildError(f"{page}: unknown marker nnref:{name} (known: {known})")
        try:
            return GENERATORS[name](lang, arg).rstrip("\n")
        except DocsBuildError as exc:
            raise DocsBuildError(f"{page}: nnref:{name}: {exc}") from exc

    def block(match: re.Match) -> str:
        indent, text = match.group(1), run(match.group(2), match.group(3))
        return "\n".join(indent + line if line else line for line in text.split("\n"))

    def inline(match: re.Match) -> str:
        text = run(match.group(1), match.group(2)).strip()
        if "\n" in text:
            raise DocsBuildError(f"{page}: nnref:{match.group(1)} inside a line gives many lines")
        return text

    return INLINE.sub(inline, MARKER.sub(block, markdown))
