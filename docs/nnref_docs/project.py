"""The engineer's facts, read at build time: version, extras, repository address, clause counts,
and the changelog.

Nothing here is typed by hand: the version is ``nnref.__version__``, the extras are
``pyproject.toml``'s ``[project.optional-dependencies]``, the counts and ranges are read from
the spec's clause headings (``nnref.conformance.spec.ids``), the changelog is ``CHANGELOG.md``
and the repository's address is ``repo_url`` in ``mkdocs.yml`` (the hooks pass it in; when it
is empty, the pages say nothing about an address rather than invent one).

Markers (block): ``version``, ``install_commands``, ``install_clone``, ``extras``,
``changelog``, ``changelog_index``, ``repo_link``. Inline markers (inside a line):
``<!-- nnref:count errata -->`` -> ``18``, ``<!-- nnref:range errata -->`` -> ``E1–E18``;
the kinds are ``rules`` (S), ``exercises`` (W), ``examples`` (D), ``errata`` (E) and
``clauses`` (all).
"""

from __future__ import annotations

import re
import tomllib
from functools import cache

from nnref_docs.errors import DocsBuildError
from nnref_docs.fmt import table
from nnref_docs.i18n import tr
from nnref_docs.markers import generator
from nnref_docs.paths import REPO_ROOT

#: Set by the hooks from mkdocs.yml (``repo_url``); "" when the address is not known.
CONFIG: dict[str, str] = {"repo_url": ""}

KINDS = {
    "rules": "S",
    "exercises": "W",
    "examples": "D_",
    "errata": "E",
}


def configure(config) -> None:
    """Remember the settings pages use (called from ``on_config``)."""
    CONFIG["repo_url"] = (config.get("repo_url") or "").strip()


def repo_url() -> str:
    return CONFIG["repo_url"]


def version() -> str:
    try:
        from nnref import __version__
    except ImportError as exc:
        raise DocsBuildError(f"nnref is not importable (pip install -e .): {exc}") from exc
    return __version__


@cache
def pyproject() -> dict:
    with open(REPO_ROOT / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)


def spec_ids(kind: str) -> list[str]:
    from nnref.conformance.spec import ids

    every = list(ids())
    if kind == "clauses":
        return every
    if kind not in KINDS:
        raise DocsBuildError(f"unknown clause kind {kind!r} (known: clauses, {', '.join(KINDS)})")
    prefix = KINDS[kind]
    return [i for i in every if i.startswith(prefix) and (prefix != "E" or i[1:].isdigit())]


def clause_range(kind: str) -> str:
    found = spec_ids(kind)
    if not found:
        raise DocsBuildError(f"the spec has no {kind}")
    return f"{found[0]}–{found[-1]}"


@generator("count")
def _count(lang: str, arg: str | None) -> str:
    return str(len(spec_ids(arg or "clauses")))


@generator("range")
def _range(lang: str, arg: str | None) -> str:
    return clause_range(arg or "errata")


@generator("version")
def _version(lang: str, arg: str | None) -> str:
    return version()


@generator("repo_link")
def _repo_link(lang: str, arg: str | None) -> str:
    """One sentence with the repository's address, or nothing when it is not known."""
    url = repo_url()
    if not url:
        return ""
    return tr(
        lang,
        f"The source is at <{url}>.",
        f"ソースは <{url}> にある。",
    )


@generator("install_clone")
def _install_clone(lang: str, arg: str | None) -> str:
    url = repo_url()
    get = (
        f"git clone {url} nnref\ncd nnref\n"
        if url
        else tr(
            lang,
            "cd nnref            # the source tree\n",
            "cd nnref            # ソースのフォルダ\n",
        )
    )
    return (
        "```bash\n"
        + get
        + "python3 -m venv .venv && . .venv/bin/activate\n"
        + tr(lang, "pip install -e .             # editable: edits take effect at once\n",
                   "pip install -e .             # 編集可能: 変更がすぐ反映される\n")
        + tr(lang, "pip install -e '.[test]'     # and everything the tests use\n",
                   "pip install -e '.[test]'     # テストが使うものもすべて\n")
        + "```"
    )  # fmt: skip


#: What each extra is for, by name; an extra missing here fails the build (so a new one is
#: described, never silently listed without a purpose).
EXTRA_PURPOSE = {
    "docs": ("build this site (`mkdocs build --strict`)",
             "このサイトのビルド（`mkdocs build --strict`）"),
    "torch": ("the PyTorch example adapter (install the CPU build of torch first)",
              "PyTorch の例のアダプタ（先に CPU 版の torch を入れる）"),
    "jax": ("the JAX example adapter (CPU)", "JAX の例のアダプタ（CPU）"),
    "bench": ("the benchmarks' peers", "ベンチマークで比べる相手"),
    "test": ("everything nnref's own test suite uses", "nnref 自身のテストが使うものすべて"),
}  # fmt: skip


@generator("extras")
def _extras(lang: str, arg: str | None) -> str:
    extras = pyproject()["project"].get("optional-dependencies", {})
    unknown = sorted(set(extras) - set(EXTRA_PURPOSE))
    if unknown:
        raise DocsBuildError(f"pyproject.toml's extras {unknown} have no purpose in project.py")
    rows = []
    for name, requirements in extras.items():
        shown = ", ".join(f"`{r}`" for r in requirements)
        rows.append(
            [
                f"`pip install 'nnref[{name}]'`",
                tr(lang, *EXTRA_PURPOSE[name]),
                shown,
            ]
        )
    return table(
        [
            tr(lang, "command", "コマンド"),
            tr(lang, "for", "用途"),
            tr(lang, "adds", "追加されるもの"),
        ],
        rows,
    )


@generator("requirements")
def _requirements(lang: str, arg: str | None) -> str:
    project = pyproject()["project"]
    deps = ", ".join(f"`{d}`" for d in project["dependencies"])
    python = project["requires-python"]
    return tr(
        lang,
        f"nnref needs Python {python}. Installing it brings {deps}.",
        f"nnref には Python {python} が必要である。インストールすると {deps} も入る。",
    )


# ---------------------------------------------------------------- changelog

_VERSION_HEADING = re.compile(r"^## \[(?P<name>[^\]]+)\](?: - (?P<date>\S+))?\s*$")


@cache
def changelog_text() -> str:
    path = REPO_ROOT / "CHANGELOG.md"
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DocsBuildError(f"cannot read {path}: {exc}") from exc


def changelog_versions() -> list[tuple[str, str | None, dict[str, int]]]:
    """(version, date, {subsection: entries}) for every version of CHANGELOG.md, newest first."""
    found: list[tuple[str, str | None, dict[str, int]]] = []
    section = None
    for line in changelog_text().splitlines():
        match = _VERSION_HEADING.match(line)
        if match:
            found.append((match["name"], match["date"], {}))
            section = None
        elif line.startswith("### ") and found:
            section = line[4:].strip()
            found[-1][2].setdefault(section, 0)
        elif line.startswith("- ") and found and section:
            found[-1][2][section] += 1
    if not found:
        raise DocsBuildError("CHANGELOG.md has no '## [version]' heading")
    return found


def anchor(name: str, date: str | None) -> str:
    """The anchor MkDocs' toc gives the heading ``[name] - date``."""
    text = f"{name} - {date}" if date else name
    return re.sub(r"[^\w\- ]", "", text.lower()).strip().replace(" ", "-")


@generator("changelog")
def _changelog(lang: str, arg: str | None) -> str:
    """CHANGELOG.md below its title: the versions as level-2 headings, as written."""
    text = changelog_text()
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if _VERSION_HEADING.match(line)), None)
    if start is None:
        raise DocsBuildError("CHANGELOG.md has no '## [version]' heading")
    body = []
    for line in lines[start:]:
        match = _VERSION_HEADING.match(line)
        if match:  # a version's name links to nothing: [0.1.0] would be a broken reference
            date = f" - {match['date']}" if match["date"] else ""
            line = f"## {match['name']}{date} {{#{anchor(match['name'], match['date'])}}}"
        body.append(line)
    return "\n".join(body)


SECTIONS_JA = {"Added": "追加", "Changed": "変更", "Fixed": "修正", "Removed": "削除",
               "Deprecated": "非推奨", "Security": "セキュリティ"}  # fmt: skip


@generator("changelog_index")
def _changelog_index(lang: str, arg: str | None) -> str:
    """One row per version: its date and how many entries each kind of change has."""
    rows = []
    for name, date, sections in changelog_versions():
        if lang == "ja":
            counts = "、".join(f"{SECTIONS_JA.get(s, s)} {n}" for s, n in sections.items())
        else:
            counts = ", ".join(f"{s} {n}" for s, n in sections.items())
        shown = tr(lang, "unreleased", "未リリース") if name == "Unreleased" else name
        # The English page: a raw link, the i18n plugin would point changelog.md at this page.
        href = (
            f"../changelog.html#{anchor(name, date)}"
            if lang == "ja"
            else (f"changelog.html#{anchor(name, date)}")
        )
        rows.append([f'<a href="{href}">{shown}</a>', date or "", counts])
    return table([tr(lang, "version", "版"), tr(lang, "date", "日付"),
                  tr(lang, "entries", "項目数")], rows)  # fmt: skip
