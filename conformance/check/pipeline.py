"""The conformance runner: check an implementation (or a results file) against the vectors.

    from nnref.conformance.check.options import CheckOptions
from nnref.conformance.isolation.loader import REFERENCE

    from nnref.conformance.check.pipeline import check_implementation
    report = check_implementation("mypkg.mynet:Net", CheckOptions(relu_grad_at_zero=1))
    print("\\n".join(report.lines())); raise SystemExit(report.exit_status())

The implementation is imported and called only in child processes
(``nnref.conformance.isolation``); this process is the judge.

Modules: ``cases`` (loading vector files), ``operations`` (calling each
operation), ``compare`` (tolerances), ``guard`` (the in-process timeout),
``run_vectors``, ``properties`` and ``run_properties`` (hypothesis checks),
``remote`` (a child's callables as local ones), ``conventions`` (diagnoses and
notes on the failures), ``results_file`` (results made elsewhere), ``report``
(text and JSON). Declared conventions change the cases before they run
(``nnref.conformance.variants.adapt``).
"""

from __future__ import annotations

import time
from dataclasses import replace

from nnref.conformance.check.options import CheckOptions
from nnref.conformance.check.results_file import judge_results, read_results
from nnref.conformance.check.run_vectors import run_case, run_cases
from nnref.conformance.errors import NnrefError
from nnref.conformance.isolation.loader import REFERENCE, describe, load_implementation
from nnref.conformance.isolation.session import Session
from nnref.conformance.judge.results import ERROR, CaseResult
from nnref.conformance.properties.runner import run_properties, run_properties_remote
from nnref.conformance.protocol.names import PROTOCOL
from nnref.conformance.protocol.operations import EXTRAS, implementation_fns
from nnref.conformance.report.data import Report
from nnref.conformance.variants.adapt import adapt_cases, layout_wrapped
from nnref.conformance.variants.explain import explain as explain_failures
from nnref.conformance.vectors.load import load_cases

__all__ = [
    "CheckOptions",
    "Report",
    "check_implementation",
    "check_results",
]


def _problems(problems) -> list[CaseResult]:
    return [CaseResult(p.id, p.clauses, ERROR, kind="input", message=p.message) for p in problems]


def check(implementation: str | None = None, options: CheckOptions | None = None) -> Report:
    """Check ``implementation`` (``pkg.module[:attr]``; default: the built-in reference)."""
    return check_implementation(implementation, options)


def check_implementation(spec: str | None, options: CheckOptions | None = None) -> Report:
    """Run every selected vector and property against the implementation named by ``spec``.

    The implementation is imported and called only in child processes
    (``nnref.conformance.isolation``); this process keeps the vectors, the expected
    values, the comparisons and the report. Its ``nnref_conventions`` come back
    from the child as plain data. Ctrl-C ends the run with the results so far
    (``Report.interrupted``).
    """

    options = options or CheckOptions()
    if options.in_process:
        return _check_in_process(spec or REFERENCE, options)
    start = time.perf_counter()
    spec = spec or REFERENCE
    names = [*PROTOCOL, *EXTRAS]
    limits = {"budget": options.budget, "sandbox": options.sandbox, "hide": options.vectors}
    session = Session(
        spec, names, options.timeout, options.memory_limit, options.retry_timeouts, **limits
    )
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
    notes += session.notes()  # processes the implementation left running, killed
    report = Report(hello.name, options, results, notes, _since(start), diagnoses=diagnoses)
    report.interrupted, report.import_output = interrupted, hello.output
    return report


def _run_isolated(session, provided, options):
    """(results, chosen cases, interrupted): vectors in batches, then the properties."""

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

    return explain_failures(results, cases, options)


def hints(results: list[CaseResult], cases: list[dict], options: CheckOptions) -> list[str]:
    """Every one-line note on the failures, diagnoses first (for the pytest plugin's summary)."""
    diagnoses, notes = explain(results, cases, options)
    return [d.message for d in diagnoses] + notes


def _with_declared(options: CheckOptions, declared) -> CheckOptions:
    """``options`` with the implementation's (or results file's) declared conventions; the
    ReLU'(0) option follows the convention in force, for the property checks."""

    options = replace(options, declared=declared)
    relu = float(options.in_force()["relu_grad_at_zero"])
    return replace(options, relu_grad_at_zero=relu)


def _load(options: CheckOptions):
    """The vectors, adapted to the conventions in force (expected values from the reference
    run under them)."""

    cases, problems = load_cases(options.vectors or None)
    return adapt_cases(cases, options.in_force()), problems


def _for_properties(fns: dict, options: CheckOptions) -> dict:
    """The property checks draw networks with W as (in, out): hand them over in the layout in
    force."""
    if options.in_force()["weight_layout"] == "out_in":
        return layout_wrapped(fns)
    return fns


def _since(start: float) -> float:
    return time.perf_counter() - start
