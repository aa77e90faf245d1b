"""Spec coverage: for every SPEC clause, the vectors and the tests that name it.

Vectors name their clauses in ``clauses``. Tests name them in their test
function or class names (``test_s20_dense_backward``, ``TestW3_3``) or in
pytest ids (``id="E1"``, ``ids=["S5", ...]``); the test files are scanned as
text, never imported.
"""

from __future__ import annotations

import re
from pathlib import Path

from conformance.vectors.clauses import ALL_CLAUSES, is_clause

#: A clause id inside a name: s20, w3_3, d_ce, e1 (any case), not part of a longer word or number.
TOKEN = re.compile(
    r"(?<![A-Za-z0-9])(s\d{1,2}|w\d_\d|d_(?:hidden|softmax|mse|ce)|e\d)(?![0-9])", re.IGNORECASE
)
TEST_DEF = re.compile(r"^\s*(?:async\s+)?def\s+(test\w*)\s*\(", re.MULTILINE)
TEST_CLASS = re.compile(r"^\s*class\s+Test_?(\w*)", re.MULTILINE)
ID_STRINGS = re.compile(r"""\bids?\s*=\s*(\[[^\]]*\]|\([^)]*\)|"[^"]*"|'[^']*')""")


def canonical(token: str) -> str | None:
    """``s20`` -> ``S20``, ``w3_3`` -> ``W3_3``, ``d_ce`` -> ``D_ce``; None if not a clause."""
    t = token.lower()
    name = "D_" + t[2:] if t.startswith("d_") else t[0].upper() + t[1:]
    return name if is_clause(name) else None


def clauses_in(text: str) -> set[str]:
    return {c for c in map(canonical, TOKEN.findall(text)) if c}


def default_tests_dir() -> Path | None:
    """``tests/`` of the source checkout this package runs from, if it does."""
    root = Path(__file__).resolve().parents[2]
    tests = root / "tests"
    return tests if tests.is_dir() and (root / "pyproject.toml").is_file() else None


def scan_tests(directory: Path) -> dict[str, set[str]]:
    """Clause id -> {"path::name", ...} for the test files under ``directory``."""
    found: dict[str, set[str]] = {}
    base = directory.parent
    for path in sorted(directory.rglob("*.py")):
        if not (path.name.startswith("test") or path.name.endswith("_test.py")):
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        rel = path.relative_to(base).as_posix()
        for regex in (TEST_DEF, TEST_CLASS, ID_STRINGS):
            for match in regex.finditer(text):
                for clause in clauses_in(match.group(1)):
                    label = match.group(1) if regex is not ID_STRINGS else "ids"
                    found.setdefault(clause, set()).add(f"{rel}::{label}")
    return found


def coverage(cases: list[dict], tests_dir: Path | None) -> dict[str, dict]:
    """Clause -> {"vectors": [ids], "tests": [path::name]}, in SPEC order."""
    tests = scan_tests(tests_dir) if tests_dir else {}
    out = {c: {"vectors": [], "tests": sorted(tests.get(c, ()))} for c in ALL_CLAUSES}
    for case in cases:
        for clause in case["clauses"]:
            if clause in out:
                out[clause]["vectors"].append(case["id"])
    return out
