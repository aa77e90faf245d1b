"""The conformance runner: check an implementation (or a results file) against the vectors.

    from conformance.runner import Options, check_implementation
    report = check_implementation("mypkg.mynet:Net", Options(relu_grad_at_zero=1))
    print("\\n".join(report.lines())); raise SystemExit(report.exit_status())

Modules: ``cases`` (loading vector files), ``operations`` (calling each
operation), ``compare`` (tolerances), ``guard`` (timeouts, modified inputs),
``run_vectors``, ``properties`` and ``run_properties`` (hypothesis checks),
``conventions`` (the one-line ReLU'(0) hint), ``results_file`` (results made
elsewhere), ``report`` (text and JSON).
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
    from conformance.runner.cases import load_cases
    from conformance.runner.run_properties import run_properties
    from conformance.runner.run_vectors import run_case

    options = options or Options()
    start = time.perf_counter()
    spec = spec or "reference"
    impl = load_implementation(spec)
    fns = implementation_fns(impl)
    cases, problems = load_cases(options.vectors or None)
    results = _problems(problems)
    chosen = [c for c in cases if options.selected(c["id"], c["clauses"], c["operation"])]
    vector_results = [run_case(c, fns, options) for c in chosen]
    results += vector_results
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
