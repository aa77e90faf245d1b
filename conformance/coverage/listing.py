"""Spec coverage: for every SPEC clause, the vectors, property checks and tests that name it.

Vectors name their clauses in ``clauses``; the runner's property checks in
``Property.clauses``; tests with the marker ``@pytest.mark.spec("S20", ...)``.
The tests of this package's own suite come from the index kept inside the
package (:mod:`nnref.conformance.coverage.index`), so an installed copy, which has no
``tests/``, reports them too; a test keeps that index equal to the markers.
Another test directory is read by letting pytest collect it
(:func:`scan_tests`), so markers count in every form pytest accepts.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from nnref.conformance.coverage import index as clause_index
from nnref.conformance.properties.suite import PROPERTIES
from nnref.conformance.spec.clause_ids import ALL_CLAUSES, is_clause

#: A clause id inside a name: s20, w3_3, d_ce, e1 (any case), not part of a longer word or number.
TOKEN = re.compile(
    r"(?<![A-Za-z0-9])(s\d{1,2}|w\d_\d|d_(?:hidden|softmax|mse|ce)|e\d{1,2})(?![0-9])",
    re.IGNORECASE,
)


def canonical(token: str) -> str | None:
    """``s20`` -> ``S20``, ``w3_3`` -> ``W3_3``, ``d_ce`` -> ``D_ce``; None if not a clause."""
    t = token.lower()
    name = "D_" + t[2:] if t.startswith("d_") else t[0].upper() + t[1:]
    return name if is_clause(name) else None


def clauses_in(text: str) -> set[str]:
    """The clause ids written inside a name or an id (``test_S20_dense`` -> {"S20"})."""
    return {c for c in map(canonical, TOKEN.findall(text)) if c}


def default_tests_dir() -> Path | None:
    """``tests/`` of the source checkout this package runs from, if it does."""
    root = Path(__file__).resolve().parents[2]
    tests = root / "tests"
    return tests if tests.is_dir() and (root / "pyproject.toml").is_file() else None


def packaged_tests() -> dict[str, set[str]]:
    """Clause id -> {test id, ...} of nnref's own suite, from the index inside the package."""
    return {c: set(tests) for c, tests in clause_index.by_clause(clause_index.load()).items()}


def scan_tests(directory: Path) -> dict[str, set[str]]:
    """Clause id -> {test id, ...}: pytest collects ``directory`` and reads its spec markers.

    Test ids are relative to the directory's parent (``tests/test_x.py::test_y``). Files
    that fail to import are left out, as pytest leaves them out of a run.
    """
    directory = Path(directory).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "index.json"
        command = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
                   "-p", "nnref.conformance.plugins.clause_markers",
                   "--nnref-write-clause-index", str(out),
                   "--continue-on-collection-errors", "--rootdir", str(directory.parent),
                   str(directory)]  # fmt: skip
        subprocess.run(command, cwd=directory.parent, capture_output=True, check=False)
        if not out.is_file():
            return {}
        return {c: set(t) for c, t in clause_index.by_clause(clause_index.load(out)).items()}


def coverage(cases: list[dict], tests_dir: Path | None = None) -> dict[str, dict]:
    """Clause -> {"vectors": [ids], "properties": [ids], "tests": [test ids]}, in SPEC order.

    ``tests_dir`` None (or this checkout's own ``tests/``) means nnref's suite, read
    from the packaged index; any other directory is collected by pytest.
    """

    own = default_tests_dir()
    if tests_dir is None or (own is not None and Path(tests_dir).resolve() == own.resolve()):
        tests = packaged_tests()
    else:
        tests = scan_tests(Path(tests_dir))
    out = {
        c: {"vectors": [], "properties": [], "tests": sorted(tests.get(c, ()))} for c in ALL_CLAUSES
    }
    for case in cases:
        for clause in case["clauses"]:
            if clause in out:
                out[clause]["vectors"].append(case["id"])
    for prop in PROPERTIES:
        for clause in prop.clauses:
            out[clause]["properties"].append(prop.id)
    return out
