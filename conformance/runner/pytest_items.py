"""The pytest items behind ``pytest --nnref-impl`` (see ``conformance.pytest_plugin``).

One ``Suite`` collector (node id ``nnref``) holds one ``CaseItem`` per vector
case and one per property group; an item fails with the runner's one-line
message and is skipped when the implementation does not provide what it needs.
"""

from __future__ import annotations

import pytest

from conformance.runner.model import FAIL, NOT_PROVIDED, PASS, Options

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


def options_of(config) -> Options:
    return Options(
        relu_grad_at_zero=float(config.getoption("nnref_relu_grad_at_zero")),
        seed=config.getoption("nnref_seed"),
        max_examples=config.getoption("nnref_max_examples"),
        timeout=config.getoption("nnref_timeout"),
    )


def suite_items(session, config, spec: str) -> list[pytest.Item]:
    """Items for every case and property; a bad IMPL is a usage error naming what was wrong."""
    from conformance.errors import NnrefError
    from conformance.loader import load_implementation
    from conformance.runner import implementation_fns
    from conformance.runner.cases import load_cases
    from conformance.runner.properties import PROPERTIES
    from conformance.runner.run_properties import run_property
    from conformance.runner.run_vectors import run_case

    try:
        fns = implementation_fns(load_implementation(spec))
    except NnrefError as exc:
        raise pytest.UsageError(f"--nnref-impl: {exc}") from None
    options = options_of(config)
    suite = Suite.from_parent(session, name="nnref", nodeid="nnref")
    cases, problems = load_cases()
    items = []
    for p in problems:
        items.append(_item(suite, p.id, (), lambda p=p: _problem(p)))
    for c in cases:
        items.append(_item(suite, c["id"], c["clauses"], lambda c=c: run_case(c, fns, options)))
    for prop in PROPERTIES:
        items.append(
            _item(suite, prop.id, prop.clauses, lambda prop=prop: run_property(prop, fns, options))
        )
    return items


def _item(suite, name, clauses, run):
    return CaseItem.from_parent(suite, name=name, nodeid=f"nnref::{name}", run=run, clauses=clauses)


def _problem(p):
    from conformance.runner.model import ERROR, CaseResult

    return CaseResult(p.id, (), ERROR, kind="input", message=p.message)


def summary_lines(config) -> list[str]:
    """The one-line notes (ReLU'(0), log10) when the failures of this process call for them."""
    from conformance.runner import hints
    from conformance.runner.cases import load_cases

    results = config.stash.get(_RESULTS, [])
    if not any(r.status == FAIL for r in results):
        return []
    return [f"nnref: {h}" for h in hints(results, load_cases()[0], options_of(config))]
