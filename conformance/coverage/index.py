"""Which tests check which SPEC clause: read from ``@pytest.mark.spec(...)`` markers.

A test names the clauses it checks with the registered marker::

    @pytest.mark.spec("S20", "W3_3")
    def test_dense_backward(): ...

    @pytest.mark.parametrize("case", [pytest.param(..., id="E1", marks=pytest.mark.spec("E1"))])

pytest itself reads the markers (on functions, classes, modules and single
parameters), so every form pytest accepts counts, and a clause id that does
not exist is a usage error at collection. The result is kept inside the
package as ``clause_index.json`` (test id -> clauses), so ``nnref coverage``
works from an installed copy, which has no ``tests/``. Test ids are pytest's
node ids; a parameter's own marker gets the parameter's node id
(``path::test[E1]``), every other marker the test's (``path::test``).

The pytest plugin :mod:`nnref.conformance.plugins.clause_markers` (loaded by the ``-p`` in
pyproject.toml's pytest options) collects the markers. Rewrite the index after
changing markers (with torch and JAX installed, so every test module is
collected)::

    pytest --collect-only -q --nnref-write-clause-index conformance/coverage/clause_index.json

and ``tests/conformance/test_clause_index.py`` fails while it is stale.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

INDEX = Path(__file__).with_name("clause_index.json")
FORMAT = "nnref-clause-index/1"


def load(path: Path = INDEX) -> dict[str, list[str]]:
    """Test id -> the clauses it checks, as last written."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    if doc.get("format") != FORMAT:
        raise ValueError(f"{path} is not a clause index ({FORMAT})")
    return doc["tests"]


def by_clause(index: dict[str, list[str]]) -> dict[str, list[str]]:
    """Clause -> sorted test ids, from test id -> clauses."""
    out: dict[str, list[str]] = {}
    for test, clauses in sorted(index.items()):
        for clause in clauses:
            out.setdefault(clause, []).append(test)
    return out


def write(index: dict[str, list[str]], path: Path) -> None:
    """Write the index as JSON, atomically (a failed write leaves the old file whole)."""
    text = json.dumps({"format": FORMAT, "tests": index}, indent=1) + "\n"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(tmp, path)
