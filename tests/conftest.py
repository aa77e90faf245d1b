"""Set-up shared by every test: the hypothesis profiles, done once here.

(The repository root and ``docs/`` are importable through pytest's ``pythonpath``
setting in pyproject.toml, as they are when the benchmarks run from the root and when
mkdocs loads its hooks.)

Hypothesis profiles: ``dev`` (the default) explores new examples on every
run; ``ci`` (chosen when the ``CI`` environment variable is set) replays a
fixed, derandomized set, so a CI failure can be reproduced. Tests that need
fewer or more examples still say so with ``@settings(max_examples=...)``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "ci", deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
