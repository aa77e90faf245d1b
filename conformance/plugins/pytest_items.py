"""The pytest items behind ``pytest --nnref-impl`` (the plugin is ``plugins.pytest_plugin``).

A view of the one pipeline (``check.pipeline``): the implementation is started in a
child process at collection (a bad IMPL is a usage error), and the first item to run
runs the check once, for every item still selected in this process (``-k``, ``-m``
and xdist's share of the items); each item then reports its case's status from that
report. So an item's verdict is the one ``nnref check`` gives, conventions included.
One ``Suite`` collector (node id ``nnref``) holds one ``CaseItem`` per vector case and
one per property group; a case the implementation does not provide is skipped.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from nnref.conformance.check.fresh import fresh_properties
from nnref.conformance.check.options import CheckOptions
from nnref.conformance.check.pipeline import judge_started, start_source
from nnref.conformance.check.sources import Isolated
from nnref.conformance.errors import NnrefError
from nnref.conformance.isolation.sandbox import protect
from nnref.conformance.judge.results import NOT_PROVIDED, PASS
from nnref.conformance.properties.suite import PROPERTIES
from nnref.conformance.vectors.load import load_cases

_STATE = pytest.StashKey[dict]()


class CaseFailed(Exception):
    """A FAIL or ERROR of the check, shown as its message without a traceback."""


class Suite(pytest.Collector):
    def collect(self):
        return []


class CaseItem(pytest.Item):
    def __init__(self, *, clauses, **kwargs):
        super().__init__(**kwargs)
        self.extra_keyword_matches.update(clauses)  # so '-k S20' selects by clause too

    def runtest(self):
        report = _report(self.session, self.config)
        result = report.by_id().get(self.name)
        if result is None:
            why = "interrupted" if report.interrupted else "no verdict for this case"
            if report.internal_error:
                why = f"internal error in nnref: {report.internal_error[0]}"
            pytest.skip(f"not checked: {why}")
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
    """The plugin's options, parsed and validated once (the same fields as ``nnref check``)."""
    relu = float(config.getoption("nnref_relu_grad_at_zero"))
    options = CheckOptions(
        relu_grad_at_zero=relu,
        seed=config.getoption("nnref_seed"),
        max_examples=config.getoption("nnref_max_examples"),
        timeout=config.getoption("nnref_timeout"),
        conventions_declared=list(config.getoption("nnref_convention") or []),
        sandbox=bool(config.getoption("nnref_sandbox", False)),
    )
    options.in_force()  # a bad NAME=VALUE: NnrefError, shown as a usage error
    return options


def suite_items(session, config, spec: str) -> list[pytest.Item]:
    """Items for every case and property; a bad IMPL is a usage error naming what was wrong.

    The implementation runs in child processes of this pytest process (each xdist worker
    has its own), started here and closed at the end: a crash, exit or hang in it is the
    ERROR of its case, never the end of the pytest session.
    """
    protect(getattr(config.option, "xmlpath", None))  # the JUnit file, out of a sandbox's sight
    source = Isolated(spec)
    try:
        started, options = start_source(source, options_of(config))
    except NnrefError as exc:
        source.close()
        raise pytest.UsageError(f"--nnref-impl: {exc}") from None
    config.add_cleanup(source.close)
    config.stash[_STATE] = {"source": source, "started": started, "options": options}
    suite = Suite.from_parent(session, name="nnref", nodeid="nnref")
    cases, problems = load_cases()
    items = [_item(suite, p.id, ()) for p in problems]
    items += [_item(suite, c["id"], c["clauses"]) for c in cases]
    items += [_item(suite, prop.id, prop.clauses) for prop in PROPERTIES]
    items += [_item(suite, pid, clauses) for pid, clauses in fresh_properties()]
    return items


def _report(session, config):
    """The check's report, run once per process for the items selected here."""
    state = config.stash[_STATE]
    if "report" not in state:
        ids = [i.name for i in session.items if isinstance(i, CaseItem)]
        options = replace(state["options"], only=ids)
        state["report"] = judge_started(state["source"], state["started"], options)
    return state["report"]


def _item(suite, name, clauses):
    return CaseItem.from_parent(suite, name=name, nodeid=f"nnref::{name}", clauses=clauses)


def summary_lines(config) -> list[str]:
    """The report's diagnoses and notes, when this process ran the check."""
    report = config.stash.get(_STATE, {}).get("report")
    if report is None:
        return []
    return [f"nnref: {line}" for line in [d.message for d in report.diagnoses] + report.hints]
