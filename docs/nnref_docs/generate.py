"""Everything the build writes to docs/generated/, in one place."""

from __future__ import annotations

import logging
import time

from nnref_docs import bench_results, derivations, figures, katex, network_svg, offline
from nnref_docs.errors import DocsBuildError

log = logging.getLogger("mkdocs.plugins.nnref_docs")

#: The nav section the generated derivation pages are appended to.
DERIVATIONS_SECTION = "Derivations"


def generate_all() -> dict[str, float]:
    """Write KaTeX, the figures (with the benchmarks' plots) and the derivation pages.

    Returns the seconds spent per part.
    """
    timings = {}
    start = time.perf_counter()
    version = katex.install()
    offline.install()
    timings["katex"] = time.perf_counter() - start
    start = time.perf_counter()
    count = derivations.write_pages()
    timings["derivations"] = time.perf_counter() - start
    start = time.perf_counter()
    drawn = figures.draw_all() + bench_results.draw_all() + network_svg.draw_all()
    timings["figures"] = time.perf_counter() - start
    log.info(
        "nnref docs: KaTeX %s; %d derivations proven (%.1f s); %d figures drawn (%.1f s)",
        version,
        count,
        timings["derivations"],
        len(drawn),
        timings["figures"],
    )
    return timings


def extend_nav(config) -> None:
    """Append the generated derivation pages to the nav's Derivations section."""
    nav = config.get("nav") or []
    for item in nav:
        if isinstance(item, dict) and DERIVATIONS_SECTION in item:
            section = item[DERIVATIONS_SECTION]
            for entry in derivations.nav_entries():
                if entry not in section:
                    section.append(entry)
            return
    raise DocsBuildError(f"mkdocs.yml's nav has no {DERIVATIONS_SECTION!r} section")


def check_translations(files) -> None:
    """Every page exists in English (NAME.md) and Japanese (NAME.ja.md); fail otherwise.

    The i18n plugin would silently show the English page on the Japanese site.
    """
    pages = {f.src_uri for f in files if f.src_uri.endswith(".md") and f.inclusion.is_included()}
    english = {p for p in pages if not p.endswith(".ja.md")}
    missing = sorted(p for p in english if p[: -len(".md")] + ".ja.md" not in pages)
    orphans = sorted(p for p in pages - english if p[: -len(".ja.md")] + ".md" not in pages)
    if missing or orphans:
        raise DocsBuildError(
            "every page needs an English and a Japanese version: "
            + ", ".join(
                [f"{p} has no .ja.md" for p in missing] + [f"{p} has no .md" for p in orphans]
            )
        )
