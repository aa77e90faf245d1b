"""The conformance runner: check an implementation (or a results file) against the vectors.

    from conformance.runner import Options, check_implementation
    report = check_implementation("mypkg.mynet:Net", Options(relu_grad_at_zero=1))
    print("\\n".join(report.lines())); raise SystemExit(report.exit_status())

The implementation is imported and called only in child processes
(``conformance.isolation``); this process is the judge.

Modules: ``cases`` (loading vector files), ``operations`` (calling each
operation), ``compare`` (tolerances), ``guard`` (the in-process timeout),
``run_vectors``, ``properties`` and ``run_properties`` (hypothesis checks),
``remote`` (a child's callables as local ones), ``conventions`` (the one-line
ReLU'(0) hint), ``results_file`` (results made elsewhere), ``report`` (text
and JSON).
"""

from __future__ import annotations

import time

from conformance.runner.model import ERROR, CaseResult, Options
from conformance.runner.report import Report

__all__ = ["Options", "Report", "check_implementation", "check_results", "implementation_fns"]


def implementation_fns(impl: object) -> dict:
    """The protocol callables ``impl`` provides, plus the optional extras it has."""
    from conformance.loader import provided
    from conformance.runner.operations import EXTRAS

    fns = dict(provided(impl))
    for name in EXTRAS:
        fn = getattr(impl, name, None)
        if callable(fn):
            fns[name] = fn
    return fns


def _problems(problems) -> list[CaseResult]:
    return [CaseResult(p.id, p.clauses, ERROR, kind="input", message=p.message) for p in problems]


def check_implementation(spec: str | None, options: Options | None = None) -> Report:
    """Run every selected vector and property against the implementation named by ``spec``.

    The implementation is imported and called only in child processes
    (``conformance.isolation``); this process keeps the vectors, the expected
    values, the comparisons and the report. Ctrl-C ends the run with the
    results so far (``Report.interrupted``).
    """
    from conformance.errors import NnrefError
    from conformance.isolation.session import Session
    from conformance.names import PROTOCOL
    from conformance.runner.operations import EXTRAS

    options = options or Options()
    if options.in_process:
        return _check_in_process(spec or "reference", options)
    start = time.perf_counter()
    spec = spec or "reference"
    names = [*PROTOCOL, *EXTRAS]
    session = Session(spec, names, options.timeout, options.memory_limit, options.retry_timeouts)
    with session:
        hello = session.start(debug=options.debug)
        if not any(name in PROTOCOL for name in hello.provides):
            raise NnrefError(
                f"implementation {spec!r} provides none of the protocol's callables "
                f"({', '.join(PROTOCOL)})"
            )
        results, chosen, interrupted = _run_isolated(session, hello.provides, options)
    report = Report(hello.name, options, results, hints(results, chosen, options), _since(start))
    report.interrupted, report.import_output = interrupted, hello.output
    return report


def _run_isolated(session, provided, options):
    """(results, chosen cases, interrupted): vectors in batches, then the properties."""
    from conformance.errors import NnrefError
    from conformance.runner.cases import load_cases
    from conformance.runner.run_properties import run_properties_remote
    from conformance.runner.run_vectors import run_cases

    cases, problems = load_cases(options.vectors or None)
    chosen = [c for c in cases if options.selected(c["id"], c["clauses"], c["operation"])]
    sink: dict = {}
    properties: list[CaseResult] = []
    interrupted = False
    try:
        run_cases(chosen, session, set(provided), options, sink)
        if options.properties:
            run_properties_remote(session, provided, options, properties)
    except KeyboardInterrupt:
        interrupted = True
    results = _problems(problems) + [sink[i] for i in sorted(sink)] + properties
    if not results and options.only and not interrupted:
        raise NnrefError(f"--only {' '.join(options.only)}: no case or property matches")
    return results, chosen, interrupted


def _check_in_process(spec: str, options: Options) -> Report:
    """The runner without isolation: the implementation imported here (only to measure the cost)."""
    from conformance.errors import NnrefError
    from conformance.loader import describe, load_implementation
    from conformance.runner.cases import load_cases
    from conformance.runner.run_properties import run_properties
    from conformance.runner.run_vectors import run_case

    start = time.perf_counter()
    impl = load_implementation(spec)
    fns = implementation_fns(impl)
    cases, problems = load_cases(options.vectors or None)
    results = _problems(problems)
    chosen = [c for c in cases if options.selected(c["id"], c["clauses"], c["operation"])]
    results += [run_case(c, fns, options) for c in chosen]
    if options.properties:
        results += run_properties(fns, options)
    if not results and options.only:
        raise NnrefError(f"--only {' '.join(options.only)}: no case or property matches")
    return Report(
        describe(spec, impl), options, results, hints(results, chosen, options), _since(start)
    )


def check_results(path: str, options: Options | None = None) -> Report:
    """Compare a JSON results file made elsewhere with the vectors (same ids, same tolerances)."""
    from conformance.runner.cases import load_cases
    from conformance.runner.results_file import judge_results, read_results

    options = options or Options()
    start = time.perf_counter()
    name, _conventions, values = read_results(path)
    cases, problems = load_cases(options.vectors or None)
    results = _problems(problems) + judge_results(cases, values, options)
    return Report(
        name, options, results, hints(results, cases, options), _since(start), mode="results file"
    )


def hints(results: list[CaseResult], cases: list[dict], options: Options) -> list[str]:
    """The one-line notes on conventions and errata that explain the failures, if any."""
    from conformance.runner import conventions as c

    by_id = {case["id"]: case for case in cases}
    found = [
        c.relu_hint(results, by_id, options),
        c.log10_hint(results, by_id),
        c.threshold_sign_hint(results, by_id),
        c.float32_hint(results),
        c.list_arguments_hint(results),
    ]
    return [h for h in found if h]


def _since(start: float) -> float:
    return time.perf_counter() - start
