"""MkDocs hooks of the nnref site (``hooks:`` in mkdocs.yml).

- ``on_config``: makes the repository and this package importable, and adds
  the generated derivation pages to the navigation;
- ``on_pre_build``: writes everything generated to ``docs/generated/``
  (KaTeX, figures, derivation pages), once per process: the i18n plugin runs
  one build per language and the second build reuses the first's files;
- ``on_page_markdown``: expands ``<!-- nnref:NAME -->`` markers in the page's
  language;
- ``on_page_content`` / ``on_post_build``: every formula is parsed by KaTeX
  under node; one that does not parse fails the build; ``pagecheck`` fails it on
  a table cell cut by a ``|`` in math, unrendered math, and, on Japanese pages,
  a stray space between Japanese characters or English prose;
- ``on_post_build`` runs after the i18n plugin's (which builds the other
  languages and merges their search entries into one index): once the last
  language is built, ``search_index.split`` writes one search index per language;
- ``on_post_page``: points a Japanese page at the Japanese search index, and
  drops the ``<link rel="alternate" hreflang>`` tags from the head. The i18n
  plugin points them at the page's translations, and Material probes
  ``<that page>/sitemap.xml`` for each one (a 404 per page and language). The
  language switch in the header (``a[hreflang]``) already links each page
  to its translation, so nothing is lost.
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

_DOCS = Path(__file__).resolve().parent.parent


def _ensure_path() -> None:
    """Make the repository (reference, symbolic, conformance) and this package importable.

    MkDocs restores sys.path after importing a hooks file, so every event calls this.
    """
    for path in (str(_DOCS.parent), str(_DOCS)):
        if path not in sys.path:
            sys.path.insert(0, path)


_ensure_path()

from mkdocs.plugins import event_priority  # noqa: E402

from nnref_docs import (  # noqa: E402, F401
    anchors,
    generate,
    markers,
    mathcheck,
    pagecheck,
    pages,
    project,
    search_index,
)

_DONE: dict[str, object] = {}


class _IndexNotReference(logging.Filter):
    """Drop autorefs' warning for single-letter targets: ``W[i][j]`` in a docstring is an index.

    Markdown reads ``W[i][j]`` as a reference-style link to ``j``; in nnref's docstrings
    (and FORMAT.md) it is always a matrix entry. Any other unresolved target still warns.
    """

    PATTERN = re.compile(r"Could not find cross-reference target '[a-z]'$")

    def filter(self, record: logging.LogRecord) -> bool:
        return not self.PATTERN.search(record.getMessage())


def on_config(config):
    _ensure_path()
    project.configure(config)
    autorefs_log = logging.getLogger("mkdocs.plugins.mkdocs_autorefs._internal.plugin")
    if not any(isinstance(f, _IndexNotReference) for f in autorefs_log.filters):
        autorefs_log.addFilter(_IndexNotReference())
    generate.extend_nav(config)
    from nnref import __version__  # after _ensure_path: the checkout's nnref when not installed

    config["copyright"] = f"nnref {__version__} · {config['copyright']}"
    return config


def on_pre_build(config):
    _ensure_path()
    if "generated" not in _DONE:
        _DONE["generated"] = generate.generate_all()


def on_files(files, config):
    generate.check_translations(files)
    return files


def on_page_markdown(markdown, page, config, files):
    _ensure_path()
    lang = getattr(page.file, "locale", None) or "en"
    expanded = markers.expand(markdown, lang, page.file.src_uri)
    pagecheck.check_markdown(page.file.src_uri, expanded)
    return expanded


#: A Sphinx role left in a docstring (``:func:`name```), as mkdocstrings renders it.
_SPHINX_ROLE = re.compile(r":(?:data|class|func|meth|mod|attr|exc|obj|const):(<code>[^<]*</code>)")
_HEADING = re.compile(r'<h([1-6]) id="([^"]*)"')


def _base(src_uri: str) -> str:
    return src_uri[: -len(".ja.md")] if src_uri.endswith(".ja.md") else src_uri[: -len(".md")]


def english_anchors(html: str, page) -> str:
    """A Japanese heading takes the id of the English page's heading at the same place, when
    both pages have the same headings' levels: the toc makes ``#_1``, ``#_2`` of Japanese text.
    Explicit ids (``{#e6}``) are the English ones already; links to them are unchanged."""
    mine = _HEADING.findall(html)
    theirs = anchors.ENGLISH.get(_base(page.file.src_uri))
    if not theirs or [lvl for lvl, _ in mine] != [lvl for lvl, _ in theirs]:
        return html
    taken = {i for _, i in mine}
    mapping = {}
    for (_, old), (_, new) in zip(mine, theirs):
        if old != new and new not in taken:
            mapping[old] = new
            taken.add(new)
    if not mapping:
        return html

    def one(match: re.Match) -> str:
        return f'{match[1]}="{mapping.get(match[2], match[2])}"'

    html = re.sub(r'(id)="([^"]*)"', one, html)
    html = re.sub(r'href="#([^"]*)"', lambda m: f'href="#{mapping.get(m[1], m[1])}"', html)

    def walk(items):
        for item in items:
            item.id = mapping.get(item.id, item.id)
            walk(item.children)

    if page.toc is not None:
        walk(page.toc)
    return html


def on_page_content(html, page, config, files):
    mathcheck.collect(page.file.src_uri, html)
    lang = getattr(page.file, "locale", None) or "en"
    html = _SPHINX_ROLE.sub(r"\1", html)
    if lang == "en":
        anchors.ENGLISH[_base(page.file.src_uri)] = _HEADING.findall(html)
    else:
        html = english_anchors(html, page)
    pagecheck.check_html(page.file.src_uri, html, lang)
    return html


@event_priority(-200)  # after the i18n plugin's -100: the other languages are built by then
def on_post_build(config):
    pagecheck.raise_if_any()
    count = mathcheck.check()
    log = logging.getLogger("mkdocs.plugins.nnref_docs")
    if count:
        log.info("nnref docs: %d formulas parsed by KaTeX", count)
    site = Path(config["site_dir"])
    i18n = config.plugins.get("i18n")
    if i18n is not None and getattr(i18n, "building", False):
        return  # a language built from inside the i18n plugin: the site is not complete yet
    if (site / "search" / "search_index.json").exists():
        counts = search_index.split(site)
        log.info("nnref docs: search indexes %s", counts)
    # Source maps only serve a browser's developer tools; a reader never fetches them.
    dropped = [p for p in site.rglob("*.map") if p.is_file()]
    freed = sum(p.stat().st_size for p in dropped)
    for path in dropped:
        path.unlink()
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    log.info(
        "nnref docs: site %s is %.1f MB (%d source maps, %.1f MB, dropped)",
        site,
        size / 1e6,
        len(dropped),
        freed / 1e6,
    )


_ALTERNATE = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


#: KaTeX's stylesheet and script: a page without a formula does not load them (272 KB).
_KATEX_TAGS = re.compile(
    r'\s*<link rel="stylesheet" href="[^"]*katex\.min\.css">'
    r'|\s*<script src="[^"]*katex\.min\.js"></script>'
)


def on_post_page(output, page, config):
    if getattr(page.file, "locale", None) == "ja":
        output = search_index.japanese_base(output)
    if 'class="arithmatex"' not in output:
        output = _KATEX_TAGS.sub("", output)
    return _ALTERNATE.sub("", output)
