"""The specification of the tutorial, shipped with the package (``spec.md``, ``spec.ja.md``).

Both files are Markdown. Each clause is one level-3 heading of the form
``### S20: Backward pass through a layer {#S20}`` whose anchor is the clause
id itself; the clause's text runs to the next heading. Level-2 headings
group clauses into sections. This module reads those headings, so the ids
every vector, test and page names (S1..S29, W*/D_*, E1..E18) come from the
document and nowhere else; ``nnref.conformance.spec.clause_ids`` takes them from here.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

#: Languages with a copy of the spec: English (``spec.md``) and Japanese (``spec.ja.md``).
LANGS = ("en", "ja")

_HEADING = re.compile(r"^(#{1,6}) (.+?)\s*$")
_CLAUSE = re.compile(r"^(?P<id>[A-Z][A-Za-z0-9_]*): (?P<title>.+) \{#(?P=id)\}$")
_SECTION = re.compile(r"^(?P<title>.+) \{#(?P<anchor>[a-z0-9-]+)\}$")


class SpecError(ValueError):
    """The spec file is missing or does not have the structure this module reads."""


@dataclass(frozen=True)
class Clause:
    """One clause: its id (``S20``), title, Markdown text and the section it sits in."""

    id: str
    title: str
    text: str
    section: str
    section_anchor: str


def filename(lang: str = "en") -> str:
    """The file name of the spec in ``lang``."""
    if lang not in LANGS:
        raise SpecError(f"no spec in language {lang!r} (known: {', '.join(LANGS)})")
    return "spec.md" if lang == "en" else f"spec.{lang}.md"


def source(lang: str = "en") -> str:
    """The whole Markdown text of the spec in ``lang``, from the installed package."""
    try:
        return resources.files(__name__).joinpath(filename(lang)).read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError(f"cannot read the spec {filename(lang)}: {exc}") from None


def heading_id(line: str) -> str | None:
    """The clause id of a clause heading line (``### S20: ... {#S20}``), else None."""
    heading = _HEADING.match(line)
    if not heading or len(heading.group(1)) != 3:
        return None
    match = _CLAUSE.match(heading.group(2))
    return match.group("id") if match else None


@cache
def clauses(lang: str = "en") -> tuple[Clause, ...]:
    """Every clause of the spec in ``lang``, in the document's order."""
    return parse(source(lang), filename(lang))


def parse(text: str, name: str = "spec") -> tuple[Clause, ...]:
    """The clauses of a spec document; a malformed clause heading is a :class:`SpecError`."""
    found: list[Clause] = []
    section = anchor = ""
    current: dict | None = None
    body: list[str] = []

    def close() -> None:
        if current is not None:
            found.append(Clause(**current, text="\n".join(body).strip()))

    for number, line in enumerate(text.splitlines(), 1):
        heading = _HEADING.match(line)
        if not heading:
            body.append(line)
            continue
        close()
        current, body = None, []
        level, title = len(heading.group(1)), heading.group(2)
        if level == 2:
            match = _SECTION.match(title)
            if not match:
                raise SpecError(f"{name}:{number}: section heading without {{#anchor}}: {line}")
            section, anchor = match.group("title"), match.group("anchor")
        elif level == 3:
            match = _CLAUSE.match(title)
            if not match:
                raise SpecError(f"{name}:{number}: clause heading is not 'ID: title {{#ID}}'")
            current = {
                "id": match.group("id"),
                "title": match.group("title"),
                "section": section,
                "section_anchor": anchor,
            }
    close()
    ids = [c.id for c in found]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise SpecError(f"{name}: clause ids appear twice: {', '.join(repeated)}")
    if not found:
        raise SpecError(f"{name}: no clause headings found")
    return tuple(found)


def ids(lang: str = "en") -> tuple[str, ...]:
    """The clause ids, in the document's order."""
    return tuple(c.id for c in clauses(lang))


def get(clause_id: str, lang: str = "en") -> Clause:
    """One clause by id; an unknown id raises :class:`KeyError` naming the nearest ids."""
    for c in clauses(lang):
        if c.id == clause_id:
            return c
    near = nearest(clause_id)
    hint = f"; did you mean {' or '.join(near)}?" if near else ""
    raise KeyError(f"no clause {clause_id!r} in the spec{hint}")


def resolve(name: str) -> str | None:
    """The clause id ``name`` stands for, ignoring case (``s20`` -> ``S20``), or None."""
    by_fold = {i.casefold(): i for i in ids()}
    return by_fold.get(name.casefold())


def nearest(name: str, n: int = 2) -> list[str]:
    """The clause ids closest to ``name`` (for 'did you mean' messages)."""
    by_fold = {i.casefold(): i for i in ids()}
    close = difflib.get_close_matches(name.casefold(), list(by_fold), n=n, cutoff=0.5)
    return [by_fold[c] for c in close]
