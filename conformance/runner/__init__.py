"""The conformance runner: check an implementation (or a results file) against the vectors.

    from conformance.runner import Options, check_implementation
    report = check_implementation("mypkg.mynet:Net", Options(relu_grad_at_zero=1))
    print("\\n".join(report.lines())); raise SystemExit(report.exit_status())

Modules: ``cases`` (loading vector files), ``operations`` (calling each
operation), ``compare`` (tolerances), ``guard`` (timeouts, modified inputs),
``run_vectors``, ``properties`` and ``run_properties`` (hypothesis checks),
``conventions`` (diagnoses and notes on the failures), ``results_file`` (results
made elsewhere), ``report`` (text and JSON). Declared conventions change the
cases before they run (``conformance.variants.adapt``).
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
    """Run every selected vector and property against the implementation named by ``spec``."""
    from conformance.errors import NnrefError
    from conformance.loader import describe, load_implementation
    from conformance.runner.run_properties import run_properties
    from conformance.runner.run_vectors import run_case

    options = options or Options()
    start = time.perf_counter()
    spec = spec or "reference"
    impl = load_implementation(spec)
    fns = implementation_fns(impl)
    options = _with_declared(options, getattr(impl, "nnref_conventions", None))
    cases, problems = _load(options)
    results = _problems(problems)
    chosen = [c for c in cases if options.selected(c["id"], c["clauses"], c["operation"])]
    vector_results = [run_case(c, fns, options) for c in chosen]
    results += vector_results
    if options.properties:
        results += run_properties(_for_properties(fns, options), options)
    if not results and options.only:
        raise NnrefError(f"--only {' '.join(options.only)}: no case or property matches")
    diagnoses, notes = explain(results, chosen, options)
    return Report(describe(spec, impl), options, results, notes, _since(start), diagnoses=diagnoses)


def check_results(path: str, options: Options | None = None) -> Report:
    """Compare a JSON results file made elsewhere with the vectors (same ids, same tolerances)."""
    from conformance.runner.results_file import judge_results, read_results

    options = options or Options()
    start = time.perf_counter()
    name, conventions, values = read_results(path)
    options = _with_declared(options, conventions)
    cases, problems = _load(options)
    results = _problems(problems) + judge_results(cases, values, options)
    diagnoses, notes = explain(results, cases, options)
    return Report(
        name, options, results, notes, _since(start), mode="results file", diagnoses=diagnoses
    )


def explain(results: list[CaseResult], cases: list[dict], options: Options):
    """(diagnoses, notes): the known variants that reproduce the failures, and other notes."""
    from conformance.runner.conventions import explain as explain_failures

    return explain_failures(results, cases, options)


def hints(results: list[CaseResult], cases: list[dict], options: Options) -> list[str]:
    """Every one-line note on the failures, diagnoses first (for the pytest plugin's summary)."""
    diagnoses, notes = explain(results, cases, options)
    return [d.message for d in diagnoses] + notes


def _with_declared(options: Options, declared) -> Options:
    """``options`` with the implementation's (or results file's) declared conventions; the
    ReLU'(0) option follows the convention in force, for the property checks."""
    from dataclasses import replace

    options = replace(options, declared=declared)
    relu = float(options.in_force()["relu_grad_at_zero"])
    return replace(options, relu_grad_at_zero=relu)


def _load(options: Options):
    """The vectors, adapted to the conventions in force (expected values from the reference
    run under them)."""
    from conformance.runner.cases import load_cases
    from conformance.variants.adapt import adapt_cases

    cases, problems = load_cases(options.vectors or None)
    return adapt_cases(cases, options.in_force()), problems


def _for_properties(fns: dict, options: Options) -> dict:
    """The property checks draw networks with W as (in, out): hand them over in the layout in
    force."""
    if options.in_force()["weight_layout"] == "out_in":
        from conformance.variants.adapt import layout_wrapped

        return layout_wrapped(fns)
    return fns


def _since(start: float) -> float:
    return time.perf_counter() - start
