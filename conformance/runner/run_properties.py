"""Running the hypothesis property checks of ``properties`` outside pytest.

Each property is one report line. hypothesis gets the runner's ``--seed`` and
``--max-examples``, no example database (nothing is written to disk) and no
deadline; the whole group runs under a timeout of ten times the per-case one.
"""

from __future__ import annotations

from conformance.runner.guard import TimedOut, call_with_timeout
from conformance.runner.model import ERROR, FAIL, NOT_PROVIDED, PASS, CaseResult, Options
from conformance.runner.properties import (
    PROPERTIES,
    ImplementationError,
    Property,
    PropertyFailure,
)


def run_property(prop: Property, fns: dict, options: Options) -> CaseResult:
    """One property group against ``fns``: PASS, FAIL (with the counterexample) or ERROR."""

    def result(status, message=""):
        return CaseResult(prop.id, prop.clauses, status, kind="property", message=message)

    missing = prop.missing(fns)
    if missing:
        return result(NOT_PROVIDED, f"no {', '.join(missing)}")
    test = _hypothesis_test(prop, fns, options)
    try:
        call_with_timeout(test, None if options.timeout is None else options.timeout * 10)
    except PropertyFailure as exc:
        return result(FAIL, str(exc))
    except ImplementationError as exc:
        return result(ERROR, str(exc))
    except TimedOut as exc:
        return result(ERROR, f"{exc} (the whole property group)")
    except Exception as exc:
        text = str(exc).strip().splitlines()
        first = text[0] if text else ""
        return result(ERROR, f"{type(exc).__name__}: {first}")
    return result(PASS, f"{options.examples()} examples")


def _hypothesis_test(prop: Property, fns: dict, options: Options):
    from hypothesis import HealthCheck, Phase, given, reporting, seed, settings
    from hypothesis import strategies as st

    phases = [Phase.explicit, Phase.generate] + ([Phase.shrink] if prop.shrink else [])

    @seed(options.seed)
    @settings(
        max_examples=options.examples(),
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


def run_properties(fns: dict, options: Options) -> list[CaseResult]:
    """Every selected property group."""
    return [
        run_property(p, fns, options)
        for p in PROPERTIES
        if options.selected(p.id, p.clauses, "property")
    ]
