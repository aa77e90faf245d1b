"""Set-up shared by every test: import paths and hypothesis profiles, done once here.

Paths: the repository root (for ``benchmarks``) and ``docs/`` (for the docs'
build-time package ``nnref_docs``) are importable, as they are when the
benchmarks run from the root and when mkdocs loads its hooks.

Hypothesis profiles: ``dev`` (the default) explores new examples on every
run; ``ci`` (chosen when the ``CI`` environment variable is set) replays a
fixed, derandomized set, so a CI failure can be reproduced. Tests that need
fewer or more examples still say so with ``@settings(max_examples=...)``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "docs"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "ci", deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
