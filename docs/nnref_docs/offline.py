"""The site opened from disk (``file://``): what Material's ``offline`` plugin needs, locally.

The plugin turns directory URLs off (links end in ``.html``) and makes search
load ``search/search_index.js`` instead of fetching JSON, which a browser
refuses for ``file://``. Material's search runs in a web worker, which a page
from disk may not start either; the plugin then adds the ``iframe-worker``
shim, from a CDN unless ``extra.polyfills`` already names one. ``install``
copies the shim, pinned by ``docs/package-lock.json`` and installed by
``npm ci --prefix docs``, to ``docs/generated/iframe-worker/shim.js``, the
path mkdocs.yml names, so nothing is fetched from another host.
"""

from __future__ import annotations

import json

from nnref_docs.errors import DocsBuildError
from nnref_docs.paths import DOCS_DIR, GENERATED, write_if_changed

PACKAGE = DOCS_DIR / "node_modules" / "iframe-worker"
SHIM = GENERATED / "iframe-worker" / "shim.js"


def install() -> str:
    """Copy the shim into docs/generated; return its version. Fails the build when absent."""
    lock = json.loads((DOCS_DIR / "package-lock.json").read_text(encoding="utf-8"))
    wanted = lock["packages"]["node_modules/iframe-worker"]["version"]
    manifest = PACKAGE / "package.json"
    found = None
    if manifest.exists():
        found = json.loads(manifest.read_text(encoding="utf-8"))["version"]
    if found != wanted:
        raise DocsBuildError(
            f"docs/node_modules has iframe-worker {found} but docs/package-lock.json pins "
            f"{wanted}: run `npm ci --prefix docs`"
        )
    write_if_changed(SHIM, (PACKAGE / "shim" / "index.js").read_bytes())
    return found
