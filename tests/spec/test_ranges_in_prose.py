"""A range of clause ids written in prose ("S1..S29", "E1–E18") ends at the spec's last id.

Pages of the site generate their counts; the READMEs and FORMAT.md are written by hand,
so this test is what keeps them true. CHANGELOG.md is history: a release's entry keeps the
range it had.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nnref.conformance import spec

ROOT = Path(__file__).resolve().parents[2]
RANGE = re.compile(r"\b([SE])1\s*(?:\.\.|–|-)\s*\1(\d+)\b")


def _prose() -> list[Path]:
    files = [ROOT / "README.md", ROOT / "CONTRIBUTING.md"]
    files += sorted((ROOT / "conformance").rglob("*.md"))
    files += sorted((ROOT / "docs").glob("*.md"))
    return [f for f in files if f.name not in ("spec.md", "spec.ja.md")]


def _last(prefix: str) -> int:
    return max(int(i[1:]) for i in spec.ids() if re.fullmatch(rf"{prefix}\d+", i))


@pytest.mark.spec("S1", "E1")
def test_every_range_of_ids_written_by_hand_ends_at_the_specs_last():
    last = {"S": _last("S"), "E": _last("E")}
    stale = []
    for path in _prose():
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for m in RANGE.finditer(line):
                if int(m.group(2)) != last[m.group(1)]:
                    stale.append(f"{path.relative_to(ROOT)}:{n}: {m.group(0)}")
    assert not stale, f"the spec ends at S{last['S']} and E{last['E']}: {stale}"
