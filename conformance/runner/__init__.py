"""The conformance runner: check an implementation (or a results file) against the vectors.

    from conformance.runner import CheckOptions, check_implementation
    report = check_implementation("mypkg.mynet:Net", CheckOptions(relu_grad_at_zero=1))
    print("\\n".join(report.lines())); raise SystemExit(report.exit_status())

The implementation is imported and called only in child processes
(``conformance.isolation``); this process is the judge.

Modules: ``cases`` (loading vector files), ``operations`` (calling each
operation), ``compare`` (tolerances), ``guard`` (the in-process timeout),
``run_vectors``, ``properties`` and ``run_properties`` (hypothesis checks),
``remote`` (a child's callables as local ones), ``conventions`` (diagnoses and
notes on the failures), ``results_file`` (results made elsewhere), ``report``
(text and JSON). Declared conventions change the cases before they run
(``conformance.variants.adapt``).
"""

from __future__ import annotations

import time

from conformance.runner.model import ERROR, CaseResult, CheckOptions
from conformance.runner.report import Report

__all__ = ["CheckOptions", "Report", "check_implementation", "check_results", "implementation_fns"]


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


def check_implementation(spec: str | None, options: CheckOptions | None = None) -> Report:
    """Run every selected vector and property against the implementation named by ``spec``.

    The implementation is imported and called only in child processes
    (``conformance.isolation``); this process keeps the vectors, the expected
    values, the comparisons and the report. Its ``nnref_conventions`` come back
    from the child as plain data. Ctrl-C ends the run with the results so far
    (``Report.interrupted``).
    """
    from conformance.errors import NnrefError
    from conformance.isolation.session import Session
    from conformance.names import PROTOCOL
    from conformance.runner.operations import EXTRAS

    options = options or CheckOptions()
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
        if hello.conventions_error:
            raise NnrefError(f"implementation {spec!r}: {hello.conventions_error}")
        options = _with_declared(options, hello.conventions)
        results, chosen, interrupted = _run_isolated(session, hello.provides, options)
    diagnoses, notes = explain(results, chosen, options)
    report = Report(hello.name, options, results, notes, _since(start), diagnoses=diagnoses)
    report.interrupted, report.import_output = interrupted, hello.output
    return report


def _run_isolated(session, provided, options):
    """(results, chosen cases, interrupted): vectors in batches, then the properties."""
    from conformance.errors import NnrefError
    from conformance.runner.run_properties import run_properties_remote
    from conformance.runner.run_vectors import run_cases

    cases, problems = _load(options)
    chosen = [c for c in cases if options.selected(c["id"], c["clauses"], c["operation"])]
    sink: dict = {}
    properties: list[CaseResult] = []
    interrupted = False
    try:
        run_cases(chosen, session, set(provided), options, sink)
        if options.properties:
            wrap = lambda fns: _for_properties(fns, options)  # noqa: E731
            run_properties_remote(session, provided, options, properties, wrap)
    except KeyboardInterrupt:
        interrupted = True
    results = _problems(problems) + [sink[i] for i in sorted(sink)] + properties
    if not results and options.only and not interrupted:
        raise NnrefError(f"--only {' '.join(options.only)}: no case or property matches")
    return results, chosen, interrupted


def _check_in_process(spec: str, options: CheckOptions) -> Report:
    """The runner without isolation: the implementation imported here (only to measure the cost)."""
    from conformance.errors import NnrefError
    from conformance.loader import describe, load_implementation
    from conformance.runner.run_properties import run_properties
    from conformance.runner.run_vectors import run_case

    start = time.perf_counter()
    impl = load_implementation(spec)
    fns = implementation_fns(impl)
    options = _with_declared(options, getattr(impl, "nnref_conventions", None))
    cases, problems = _load(options)
    results = _problems(problems)
    chosen = [c for c in cases if options.selected(c["id"], c["clauses"], c["operation"])]
    results += [run_case(c, fns, options) for c in chosen]
    if options.properties:
        results += run_properties(_for_properties(fns, options), options)
    if not results and options.only:
        raise NnrefError(f"--only {' '.join(options.only)}: no case or property matches")
    diagnoses, notes = explain(results, chosen, options)
    return Report(describe(spec, impl), options, results, notes, _since(start), diagnoses=diagnoses)


def check_results(path: str, options: CheckOptions | None = None) -> Report:
    """Compare a JSON results file made elsewhere with the vectors (same ids, same tolerances)."""
    from conformance.runner.results_file import judge_results, read_results

    options = options or CheckOptions()
    start = time.perf_counter()
    name, conventions, values = read_results(path)
    options = _with_declared(options, conventions)
    cases, problems = _load(options)
    results = _problems(problems) + judge_results(cases, values, options)
    diagnoses, notes = explain(results, cases, options)
    return Report(
        name, options, results, notes, _since(start), mode="results file", diagnoses=diagnoses
    )


def explain(results: list[CaseResult], cases: list[dict], options: CheckOptions):
    """(diagnoses, notes): the known variants that reproduce the failures, and other notes."""
    from conformance.runner.conventions import explain as explain_failures

    return explain_failures(results, cases, options)


def hints(results: list[CaseResult], cases: list[dict], options: CheckOptions) -> list[str]:
    """Every one-line note on the failures, diagnoses first (for the pytest plugin's summary)."""
    diagnoses, notes = explain(results, cases, options)
    return [d.message for d in diagnoses] + notes


def _with_declared(options: CheckOptions, declared) -> CheckOptions:
    """``options`` with the implementation's (or results file's) declared conventions; the
    ReLU'(0) option follows the convention in force, for the property checks."""
    from dataclasses import replace

    options = replace(options, declared=declared)
    relu = float(options.in_force()["relu_grad_at_zero"])
    return replace(options, relu_grad_at_zero=relu)


def _load(options: CheckOptions):
    """The vectors, adapted to the conventions in force (expected values from the reference
    run under them)."""
    from conformance.runner.cases import load_cases
    from conformance.variants.adapt import adapt_cases

    cases, problems = load_cases(options.vectors or None)
    return adapt_cases(cases, options.in_force()), problems


def _for_properties(fns: dict, options: CheckOptions) -> dict:
    """The property checks draw networks with W as (in, out): hand them over in the layout in
    force."""
    if options.in_force()["weight_layout"] == "out_in":
        from conformance.variants.adapt import layout_wrapped

        return layout_wrapped(fns)
    return fns


def _since(start: float) -> float:
    return time.perf_counter() - start
