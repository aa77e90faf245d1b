"""The specification page: the spec shipped in ``conformance/spec/``, and what checks each clause.

The page is the spec's Markdown (English or Japanese) with, under every
clause, a collapsible list of the vectors, the runner's property checks and
the tests that check it, taken from ``nnref.conformance.coverage.listing.coverage``
(what ``nnref coverage`` prints), and of the proven ``symbolic`` derivations
that name it. Nothing is listed by hand, so the page and ``nnref coverage``
cannot disagree.

Marker: ``<!-- nnref:spec -->``.
"""

from __future__ import annotations

import re
from functools import cache

from nnref_docs import errata
from nnref_docs.errors import DocsBuildError
from nnref_docs.i18n import tr
from nnref_docs.markers import generator
from nnref_docs.paths import REPO_ROOT

KINDS = ("vectors", "properties", "tests", "derivations")
LABELS = {
    "vectors": ("vectors", "ベクトル"),
    "properties": ("property checks", "性質の検査"),
    "tests": ("tests", "テスト"),
    "derivations": ("derivations", "導出"),
}


#: A clause id in running text (not inside an anchor, a link or a longer word).
CLAUSE_REF = re.compile(
    r"(?<![\w#\[])(S\d{1,2}|W\d_\d|D_(?:hidden|softmax|mse|ce)|E\d{1,2})(?![\w\]])"
)


def link_clauses(line: str, known: set[str]) -> str:
    """Each clause id in a line of prose becomes a link to its anchor (headings, code and
    tables are left alone)."""
    if line.startswith(("#", "|", "    ")) or "`" in line:
        return line
    return CLAUSE_REF.sub(lambda m: f"[{m[1]}](#{m[1]})" if m[1] in known else m[1], line)


@cache
def checked_by() -> dict[str, dict[str, list[str]]]:
    """Clause -> kind -> items: ``nnref coverage``'s table plus the derivation links.

    Computed once per build; the coverage page reads the same table (do not mutate it)."""
    try:
        from nnref.conformance.coverage.listing import coverage
        from nnref.conformance.vectors.load import load_cases
    except ImportError as exc:
        raise DocsBuildError(
            f"nnref.conformance.coverage.listing is not importable: {exc}"
        ) from exc
    from nnref_docs import derivations

    cases, problems = load_cases(None)
    if problems:
        raise DocsBuildError(f"the conformance vectors have problems: {problems[0].message}")
    table = coverage(cases, REPO_ROOT / "tests")
    out = {clause: {**found, "derivations": []} for clause, found in table.items()}
    for d, group, _ in derivations.verified():
        for clause in d.clauses:
            if clause not in out:
                raise DocsBuildError(
                    f"derivation {d.name} names {clause}, which is not in the spec"
                )
            out[clause]["derivations"].append(
                f"[`{d.name}`](generated/derivations/{group}.md#{d.name})"
            )
    return out


def _block(clause: str, found: dict[str, list[str]], lang: str) -> str:
    counts = [f"{tr(lang, *LABELS[k])} {len(found[k])}" for k in KINDS if found[k]]
    if clause.startswith("E") and errata.has_section(clause, lang):
        counts.append(f"[{tr(lang, 'evidence', '根拠')}](errata.md#{clause.lower()})")
    if not any(found[k] for k in KINDS):
        return "!!! warning " + tr(lang, '"Checked by nothing"', '"検査なし"')
    title = tr(lang, "Checked by: ", "検査: ") + ", ".join(counts)
    lines = [f'??? check "{title}"']
    for kind in KINDS:
        if found[kind]:
            items = found[kind] if kind == "derivations" else [f"`{i}`" for i in found[kind]]
            lines.append(f"    - **{tr(lang, *LABELS[kind])}**: " + ", ".join(items))
    return "\n".join(lines)


def render(lang: str) -> str:
    """The spec in ``lang`` without its title, each clause followed by what checks it."""
    from nnref.conformance import spec

    found = checked_by()
    missing = [c for c in spec.ids(lang) if c not in found]
    if missing:
        raise DocsBuildError(f"clauses missing from the coverage table: {', '.join(missing)}")
    known = set(spec.ids(lang))
    out, current = [], None
    from nnref_docs import spec_math

    def close(clause: str) -> list[str]:
        formula = spec_math.display(clause)
        return ([formula, ""] if formula else []) + [_block(clause, found[clause], lang), ""]

    for line in spec.source(lang).splitlines():
        if line.startswith("# "):
            continue  # the page has its own title
        if line.startswith("#") and current is not None:
            out += close(current)
            current = None
        current = spec.heading_id(line) or current
        out.append(link_clauses(line, known))
    if current is not None:
        out += ["", *close(current)]
    return "\n".join(out).strip() + "\n"


@generator("spec")
def spec_text(lang: str, arg: str | None) -> str:
    return render(lang)
