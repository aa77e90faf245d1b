"""Running the hypothesis property checks of ``properties`` outside pytest.

Each property is one report line. hypothesis gets no example database (nothing
is written to disk) and no deadline. Examples are drawn in batches of
``FIRST_BATCH``, doubling, batch k with seed ``--seed`` + k, until ``--max-examples`` have run
or the property's time budget (``CheckOptions.property_budget``) is spent, so a slow
implementation (JAX compiling every new shape) still gets a verdict on the
examples it ran; the report says how many.

``run_properties_remote`` runs them in this process (the judge) against
callables of a child process (``nnref.conformance.isolation.remote``): each call has
its own timeout there. A callable that raises NotImplementedError is dropped
and the property drawn again from what is left; one property's error does not
stop the others. In process (``run_properties``), a batch that hangs is
abandoned after ten per-case timeouts.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
import time
from typing import TYPE_CHECKING

from hypothesis import HealthCheck, Phase, given, reporting, seed, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.errors import Flaky

from nnref.conformance.isolation.guard import TimedOut, call_with_timeout
from nnref.conformance.isolation.remote import remote_fns
from nnref.conformance.judge.faults import ImplementationError, NotProvided, PropertyFailure
from nnref.conformance.judge.results import ERROR, FAIL, NOT_PROVIDED, PASS, CaseResult
from nnref.conformance.properties.suite import PROPERTIES, Property

if TYPE_CHECKING:
    from nnref.conformance.check.options import CheckOptions

FIRST_BATCH = 5
FLAKY = "it did not happen again when hypothesis replayed the example"


def run_property(
    prop: Property, fns: dict, options: CheckOptions, guard: bool = True
) -> CaseResult:
    """One property group against ``fns``: PASS, FAIL (with the counterexample) or ERROR."""

    def result(status, message=""):
        return CaseResult(prop.id, prop.clauses, status, kind="property", message=message)

    missing = prop.missing(fns)
    if missing:
        return result(NOT_PROVIDED, f"no {', '.join(missing)}")
    wanted, budget = options.examples(), options.property_budget()
    ran, batch, start = 0, 0, time.monotonic()
    while ran < wanted and (ran == 0 or time.monotonic() - start < budget):
        n = min(FIRST_BATCH * 2**batch, wanted - ran)
        test = _hypothesis_test(prop, fns, (options.seed or 0) + batch, n)
        try:
            call_with_timeout(test, 10 * options.timeout) if guard else test()
        except NotProvided as exc:
            return result(NOT_PROVIDED, exc.said())
        except PropertyFailure as exc:
            return result(FAIL, str(exc))
        except ImplementationError as exc:
            return result(ERROR, str(exc))
        except TimedOut as exc:
            return result(ERROR, f"{exc} (a batch of {n} examples)")
        except ExceptionGroup as group:  # hypothesis's FlakyFailure: it did not fail on replay
            inner = _first_of(group, (PropertyFailure, ImplementationError, NotProvided))
            if inner is None:
                return result(ERROR, _ended(fns) or _flaky(group))
            if isinstance(inner, NotProvided):
                return result(NOT_PROVIDED, inner.said())
            status = FAIL if isinstance(inner, PropertyFailure) else ERROR
            return result(status, f"{inner} ({FLAKY})")
        except Flaky as exc:  # the draws changed between runs: the implementation's doing,
            return result(ERROR, _ended(fns) or _flaky(exc))  # unless its run ended meanwhile
        except Exception as exc:
            text = str(exc).strip().splitlines()
            return result(ERROR, f"{type(exc).__name__}: {text[0] if text else ''}")
        ran, batch = ran + n, batch + 1
    if ran < wanted:
        return result(PASS, f"{ran} of {wanted} examples (time budget {budget:g}s)")
    return result(PASS, f"{wanted} examples")


def _ended(fns: dict) -> str:
    """Why the implementation's calls stopped ("" if they did not): a replay that went
    differently because the budget ran out is that early end, not flakiness."""
    session = getattr(fns, "session", None)
    return session.early_end() if session is not None else ""


def _flaky(exc: BaseException) -> str:
    return (
        f"the implementation did not behave the same when an example was replayed "
        f"(hypothesis: {type(exc).__name__})"
    )


def _first_of(group: BaseExceptionGroup, kinds) -> BaseException | None:
    for exc in group.exceptions:
        if isinstance(exc, kinds):
            return exc
        if isinstance(exc, BaseExceptionGroup):
            found = _first_of(exc, kinds)
            if found is not None:
                return found
    return None


def _hypothesis_test(prop: Property, fns: dict, seed_value: int, examples: int):
    phases = [Phase.explicit, Phase.generate] + ([Phase.shrink] if prop.shrink else [])

    @seed(seed_value)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=phases,
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(st.data())
    def test(data):
        prop.body(data, fns)

    def run():
        with reporting.with_reporter(lambda _message: None):
            test()

    return run


def use_private_hypothesis_storage() -> None:
    """Keep hypothesis's caches out of the user's directory (the CLI's choice, not pytest's).

    hypothesis writes ``.hypothesis/`` (constants it found in local modules) in
    the current directory; ``nnref check`` puts it in a temporary directory
    removed at exit, unless ``HYPOTHESIS_STORAGE_DIRECTORY`` says where it goes
    or pytest runs in this process (its hypothesis users expect ``.hypothesis/``).
    """

    if os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY") or "_pytest" in sys.modules:
        return

    home = tempfile.mkdtemp(prefix="nnref-hypothesis-")
    set_hypothesis_home_dir(home)
    atexit.register(shutil.rmtree, home, True)


def run_properties(fns: dict, options: CheckOptions) -> list[CaseResult]:
    """Every selected property group."""
    return [
        run_property(p, fns, options)
        for p in PROPERTIES
        if options.selected(p.id, p.clauses, "property")
    ]


def run_properties_remote(session, provided, options: CheckOptions, out: list, wrap=None) -> None:
    """Every selected property against the child's callables; results appended to ``out``.

    ``wrap`` adapts the callables to the conventions in force (the weight layout).
    """

    where = [""]
    for prop in PROPERTIES:
        if not options.selected(prop.id, prop.clauses, "property"):
            continue
        where[0] = prop.id
        while True:
            names = [n for n in provided if n not in session.not_implemented]
            before = len(session.not_implemented)
            fns = remote_fns(session, names, where, options.native())
            fns = wrap(fns) if wrap else fns
            children = session.children_started
            result = run_property(prop, fns, options, guard=False)
            if result.status != NOT_PROVIDED or len(session.not_implemented) == before:
                break  # else: draw again without the callable that is not implemented
        ended = session.children_started - children
        if result.status == ERROR and ended and "replayed" in result.message:
            times = "once" if ended == 1 else f"{ended} times"
            result.message += f"; its process ended {times} during this property"
        out.append(result)
