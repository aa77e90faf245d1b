"""Check every formula at build time with KaTeX under node: a formula that does not parse fails
the build (the browser test checks the rendering again, in Chromium).

``collect`` runs on each page's HTML (``on_page_content``) and keeps the math
that ``pymdownx.arithmatex`` (generic mode) left in ``<span class="arithmatex">``
and ``<div class="arithmatex">``; ``check`` runs ``node check_math.js`` once per
language build over everything collected.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

from nnref_docs.errors import DocsBuildError

MATH = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.DOTALL)
DELIMITERS = ((r"\(", r"\)"), (r"\[", r"\]"))
SCRIPT = Path(__file__).with_name("check_math.js")

_pending: list[dict] = []


def collect(page: str, content: str) -> int:
    """Remember every formula of one page's HTML; return how many it has."""
    found = 0
    for tag, body in MATH.findall(content):
        tex = html.unescape(body).strip()
        for open_, close in DELIMITERS:
            if tex.startswith(open_) and tex.endswith(close):
                tex = tex[len(open_) : -len(close)]
        _pending.append({"page": page, "tex": tex, "display": tag == "div"})
        found += 1
    return found


def check() -> int:
    """Parse everything collected since the last call; return the count checked."""
    items, _pending[:] = list(_pending), []
    if not items:
        return 0
    node = shutil.which("node")
    if node is None:
        raise DocsBuildError("node is not installed: it checks the math with KaTeX at build time")
    done = subprocess.run(
        [node, str(SCRIPT)], input=json.dumps(items), capture_output=True, text=True, timeout=120
    )
    if done.returncode != 0:
        raise DocsBuildError(f"checking the math with KaTeX failed: {done.stderr.strip()[:300]}")
    failures = json.loads(done.stdout)
    if failures:
        shown = "; ".join(f"{f['page']}: {f['error']} in {f['tex'][:80]!r}" for f in failures[:5])
        raise DocsBuildError(f"{len(failures)} formula(s) KaTeX cannot render: {shown}")
    return len(items)
