"""The pytest items behind ``pytest --nnref-impl`` (the plugin is ``plugins.pytest_plugin``).

One ``Suite`` collector (node id ``nnref``) holds one ``CaseItem`` per vector
case and one per property group; an item fails with the runner's one-line
message and is skipped when the implementation does not provide what it needs.
"""

from __future__ import annotations

import pytest

from nnref.conformance.check.options import CheckOptions
from nnref.conformance.check.pipeline import hints
from nnref.conformance.check.run_vectors import run_cases
from nnref.conformance.errors import NnrefError
from nnref.conformance.isolation.sandbox import protect
from nnref.conformance.isolation.session import Session
from nnref.conformance.judge.results import ERROR, FAIL, NOT_PROVIDED, PASS, CaseResult
from nnref.conformance.properties.runner import run_properties_remote
from nnref.conformance.properties.suite import PROPERTIES
from nnref.conformance.protocol.names import PROTOCOL
from nnref.conformance.protocol.operations import EXTRAS
from nnref.conformance.vectors.load import load_cases

_RESULTS = pytest.StashKey[list]()


class CaseFailed(Exception):
    """A FAIL or ERROR of the runner, shown as its message without a traceback."""


class Suite(pytest.Collector):
    def collect(self):
        return []


class CaseItem(pytest.Item):
    def __init__(self, *, run, clauses, **kwargs):
        super().__init__(**kwargs)
        self._run = run
        self.extra_keyword_matches.update(clauses)  # so '-k S20' selects by clause too

    def runtest(self):
        result = self._run()
        self.config.stash.setdefault(_RESULTS, []).append(result)
        if result.status == NOT_PROVIDED:
            pytest.skip(f"not provided: {result.message}")
        if result.status != PASS:
            raise CaseFailed(
                f"{result.status} {result.id} ({','.join(result.clauses)}): {result.message}"
            )

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, CaseFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, f"nnref::{self.name}"


def options_of(config) -> CheckOptions:
    return CheckOptions(
        relu_grad_at_zero=float(config.getoption("nnref_relu_grad_at_zero")),
        seed=config.getoption("nnref_seed"),
        max_examples=config.getoption("nnref_max_examples"),
        timeout=config.getoption("nnref_timeout"),
    )


def suite_items(session, config, spec: str) -> list[pytest.Item]:
    """Items for every case and property; a bad IMPL is a usage error naming what was wrong.

    The implementation runs in a child process of this pytest process (each
    xdist worker has its own), started at collection and closed at the end:
    a crash, exit or hang in it is the ERROR of the item in flight, never the
    end of the pytest session.
    """

    try:
        remote = _remote(config, spec)
    except NnrefError as exc:
        raise pytest.UsageError(f"--nnref-impl: {exc}") from None
    options = options_of(config)
    suite = Suite.from_parent(session, name="nnref", nodeid="nnref")
    cases, problems = load_cases()
    items = []
    for p in problems:
        items.append(_item(suite, p.id, (), lambda p=p: _problem(p)))
    for c in cases:
        items.append(_item(suite, c["id"], c["clauses"], lambda c=c: _run_case(remote, c, options)))
    for prop in PROPERTIES:
        run = lambda prop=prop: _run_property(remote, prop, options)  # noqa: E731
        items.append(_item(suite, prop.id, prop.clauses, run))
    return items


_REMOTE = pytest.StashKey[object]()


def _remote(config, spec: str):
    """The session running the implementation (started once per pytest process)."""

    if _REMOTE not in config.stash:
        protect(getattr(config.option, "xmlpath", None))  # the JUnit file, out of a sandbox's sight
        sandbox = bool(config.getoption("nnref_sandbox", False))
        remote = Session(
            spec, [*PROTOCOL, *EXTRAS], config.getoption("nnref_timeout"), sandbox=sandbox
        )
        remote.start()
        config.stash[_REMOTE] = remote
        config.add_cleanup(remote.close)
    return config.stash[_REMOTE]


def _run_case(remote, case, options):
    sink: dict = {}
    run_cases([case], remote, set(remote.hello.provides), options, sink)
    return sink[0]


def _run_property(remote, prop, options):
    out: list = []
    only = CheckOptions(**{**options.__dict__, "only": [prop.id]})
    run_properties_remote(remote, remote.hello.provides, only, out)
    return out[0]


def _item(suite, name, clauses, run):
    return CaseItem.from_parent(suite, name=name, nodeid=f"nnref::{name}", run=run, clauses=clauses)


def _problem(p):
    return CaseResult(p.id, (), ERROR, kind="input", message=p.message)


def summary_lines(config) -> list[str]:
    """The one-line notes (ReLU'(0), log10) when the failures of this process call for them."""

    results = config.stash.get(_RESULTS, [])
    if not any(r.status == FAIL for r in results):
        return []
    return [f"nnref: {h}" for h in hints(results, load_cases()[0], options_of(config))]
