"""pytest plugin: read every collected test's ``@pytest.mark.spec`` markers.

Loaded by the ``-p nnref.conformance.plugins.clause_markers`` in pyproject.toml's pytest
options (and by ``nnref coverage --tests DIR``). It rejects a marker naming no
clause or an unknown one (a usage error naming the test), keeps this session's
markers for ``tests/conformance/test_clause_index.py``, and with
``--nnref-write-clause-index FILE`` writes them as the clause index
(:mod:`nnref.conformance.coverage.index`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nnref.conformance.coverage import index as clause_index
from nnref.conformance.spec.clause_ids import ALL_CLAUSES, is_clause

#: ``config.stash`` key: {test id: clauses} of this session's collection, before deselection.
COLLECTED = pytest.StashKey[dict]()
#: ``config.stash`` key: the node ids this session collected (parameters included).
NODE_IDS = pytest.StashKey[set]()


def pytest_addoption(parser) -> None:
    parser.addoption(
        "--nnref-write-clause-index",
        metavar="FILE",
        help="write the spec markers of every collected test to FILE (nnref coverage reads it)",
    )


@pytest.hookimpl(tryfirst=True)  # before -m / -k deselect anything
def pytest_collection_modifyitems(config, items) -> None:
    index = collect(items)
    config.stash[COLLECTED] = index
    config.stash[NODE_IDS] = {item.nodeid for item in items}
    target = config.getoption("--nnref-write-clause-index")
    if target:
        if any("::" in arg for arg in config.args):
            raise pytest.UsageError(
                "--nnref-write-clause-index needs whole files, not single tests"
            )
        clause_index.write(index, Path(target))


def entries(item) -> dict[str, list[str]]:
    """The index entries of one collected test: {test id: clauses in SPEC order}."""
    callspec = getattr(item, "callspec", None)
    own = {id(m) for m in callspec.marks} if callspec is not None else set()
    marks = list(item.iter_markers("spec"))
    for mark in marks:
        bad = [c for c in mark.args if not isinstance(c, str) or not is_clause(c)]
        if bad or not mark.args:
            raise pytest.UsageError(
                f"{item.nodeid}: @pytest.mark.spec needs clause ids (S1..S26, W*, D_*, E*), "
                f"got {list(mark.args)!r}"
            )
    test_id = item.nodeid
    if callspec is not None:  # path::test[params] -> path::test
        test_id = test_id[: len(test_id) - len(item.name) + len(item.originalname)]
    found = [
        (test_id, {c for m in marks if id(m) not in own for c in m.args}),
        (item.nodeid, {c for m in marks if id(m) in own for c in m.args}),
    ]
    order = {c: i for i, c in enumerate(ALL_CLAUSES)}
    return {k: sorted(v, key=order.get) for k, v in found if v}


def collect(items) -> dict[str, list[str]]:
    """Test id -> clauses for every collected test that carries a spec marker."""
    index: dict[str, list[str]] = {}
    for item in items:
        index.update(entries(item))
    return dict(sorted(index.items()))
