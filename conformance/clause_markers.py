"""pytest plugin: read every collected test's ``@pytest.mark.spec`` markers.

Loaded by the ``-p conformance.clause_markers`` in pyproject.toml's pytest
options (and by ``nnref coverage --tests DIR``). It rejects a marker naming no
clause or an unknown one (a usage error naming the test), keeps this session's
markers for ``tests/conformance/test_clause_index.py``, and with
``--nnref-write-clause-index FILE`` writes them as the clause index
(:mod:`conformance.clause_index`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance import clause_index

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
    index = clause_index.collect(items)
    config.stash[COLLECTED] = index
    config.stash[NODE_IDS] = {item.nodeid for item in items}
    target = config.getoption("--nnref-write-clause-index")
    if target:
        if any("::" in arg for arg in config.args):
            raise pytest.UsageError(
                "--nnref-write-clause-index needs whole files, not single tests"
            )
        clause_index.write(index, Path(target))
