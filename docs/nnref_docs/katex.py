"""Serve KaTeX from the site itself (no CDN).

``npm ci --prefix docs`` installs the ``katex`` package pinned by
``docs/package-lock.json`` into ``docs/node_modules``; this module copies the
files a browser needs (the script, the stylesheet and its fonts) to
``docs/generated/katex/``, which MkDocs then publishes with the site.
"""

from __future__ import annotations

import json
from pathlib import Path

from nnref_docs.errors import DocsBuildError
from nnref_docs.paths import DOCS_DIR, GENERATED, write_if_changed

KATEX_DIST = DOCS_DIR / "node_modules" / "katex" / "dist"
FILES = ("katex.min.js", "katex.min.css")


def pinned_version() -> str:
    """The KaTeX version docs/package-lock.json pins."""
    lock = json.loads((DOCS_DIR / "package-lock.json").read_text(encoding="utf-8"))
    return lock["packages"]["node_modules/katex"]["version"]


def installed_version() -> str | None:
    """The version installed in docs/node_modules, or None when it is absent."""
    manifest = KATEX_DIST.parent / "package.json"
    if not manifest.exists():
        return None
    return json.loads(manifest.read_text(encoding="utf-8"))["version"]


def install(dest: Path = GENERATED / "katex") -> str:
    """Copy KaTeX into ``dest``; return its version. Fails the build when it is missing."""
    version, wanted = installed_version(), pinned_version()
    if version is None:
        raise DocsBuildError(
            "KaTeX is not installed: run `npm ci --prefix docs` "
            f"(docs/package-lock.json pins katex {wanted})"
        )
    if version != wanted:
        raise DocsBuildError(
            f"docs/node_modules has katex {version} but docs/package-lock.json pins {wanted}: "
            "run `npm ci --prefix docs`"
        )
    sources = [KATEX_DIST / name for name in FILES]
    sources += sorted((KATEX_DIST / "fonts").glob("*.woff2"))
    for src in sources:
        write_if_changed(dest / src.relative_to(KATEX_DIST), src.read_bytes())
    return version
