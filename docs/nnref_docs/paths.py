"""Where things are: the repository, the docs folder, the generated folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

DOCS_DIR = Path(__file__).resolve().parent.parent
REPO_ROOT = DOCS_DIR.parent
GENERATED = DOCS_DIR / "generated"


def write_if_changed(path: Path, data: str | bytes) -> bool:
    """Write ``data`` to ``path`` unless it already holds exactly that; True if written.

    Leaving unchanged files alone keeps ``mkdocs serve`` from rebuilding in a loop.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if path.exists() and path.read_bytes() == raw:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    # Atomic: two builds at once (pytest-xdist workers) never see a half-written file.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "wb") as out:
        out.write(raw)
    os.replace(tmp, path)
    return True
