"""Everything the build writes to docs/generated/, in one place."""

from __future__ import annotations

import logging
import time

from nnref_docs import katex

log = logging.getLogger("mkdocs.plugins.nnref_docs")


def generate_all() -> dict[str, float]:
    """Write KaTeX, figures and derivation pages; return seconds spent per part."""
    timings = {}
    start = time.perf_counter()
    version = katex.install()
    timings["katex"] = time.perf_counter() - start
    log.info("nnref docs: KaTeX %s copied into the site", version)
    return timings


def extend_nav(config) -> None:
    """Add the generated pages to the navigation (derivation pages; later)."""
