"""The one pipeline: check a source under options and return one ``Report``.

    from nnref.conformance.check.fresh import collapse, fresh_cases
from nnref.conformance.check.options import CheckOptions
    from nnref.conformance.check.pipeline import check_implementation
    report = check_implementation("mypkg.mynet:Net", CheckOptions(relu_grad_at_zero=1))
    print("\\n".join(report.lines())); raise SystemExit(report.exit_status())

Every entry point is a view of ``run_check``: ``nnref check`` (one implementation or
many), the Python API (``nnref.check``, ``nnref.check_results``), the pytest plugin
(``pytest --nnref-impl``) and ``nnref gradcheck`` (``start_source``). A source
(``check.sources``) is an implementation run in child processes, a results file, or
the in-process path the benchmarks use; the pipeline does the rest the same way for
all of them: the declared conventions, the selection and adaptation of the cases,
the verdicts, the diagnoses and the report.

Once checking has begun, nothing the implementation does ends the run: its failures
are ERRORs of their cases. A failure of nnref itself keeps the results judged so far
and marks the report (``Report.internal_error``, exit status 3).
"""

from __future__ import annotations

import secrets
import time
import traceback
from dataclasses import replace

from nnref.conformance.check.fresh import collapse, fresh_cases
from nnref.conformance.check.options import CheckOptions
from nnref.conformance.check.sources import InProcess, Isolated, ResultsFile, Started
from nnref.conformance.errors import NnrefError, one_line
from nnref.conformance.isolation.loader import is_path, resolve
from nnref.conformance.judge.results import ERROR, CaseResult
from nnref.conformance.report.data import Report
from nnref.conformance.variants.adapt import adapt_cases
from nnref.conformance.variants.explain import explain as explain_failures
from nnref.conformance.vectors.load import load_cases

__all__ = [
    "CheckOptions",
    "Report",
    "check",
    "check_implementation",
    "check_results",
    "judge_started",
    "run_check",
    "start_source",
]


def check(implementation: str | None = None, options: CheckOptions | None = None) -> Report:
    """Check ``implementation`` (``pkg.module[:attr]``; default: the built-in reference)."""
    return check_implementation(implementation, options)


def check_implementation(
    spec: str | None, options: CheckOptions | None = None, name: str | None = None
) -> Report:
    """Every selected vector and property against the implementation named by ``spec``
    (``pkg.module[:attr]``, a ``.py`` file, a package folder or ``DIR:net.py``), run in child
    processes (in this process only with ``options.in_process``). ``name``: how the report
    names it (default: as given)."""
    options = options or CheckOptions()
    resolved = resolve(spec) if spec else None
    source = InProcess(resolved) if options.in_process else Isolated(resolved)
    report = run_check(source, options)
    if spec and is_path(spec.partition(":")[0]):
        report.implementation = name or spec  # as the user wrote it, not the absolute path
    return report


def check_results(path: str, options: CheckOptions | None = None) -> Report:
    """Compare a JSON results file made elsewhere with the vectors (same ids, same tolerances)."""
    options = replace(options or CheckOptions(), properties=False)
    return run_check(ResultsFile(path), options)


def run_check(source, options: CheckOptions) -> Report:
    """Check ``source`` under ``options``: the one implementation of a check.

    NnrefError (exit 2) only before checking begins: a bad option, file or implementation.
    Ctrl-C ends the run with the results so far (``Report.interrupted``).
    """
    start = time.perf_counter()
    with source:
        started, options = start_source(source, options)
        report = judge_started(source, started, options, start)
    report.hints += source.notes()  # after every child is gone: what was left behind
    return report


def judge_started(source, started: Started, options: CheckOptions, start=None) -> Report:
    """The rest of ``run_check``, for a source already started (the pytest plugin starts it at
    collection, to report a bad implementation as a usage error)."""
    start = time.perf_counter() if start is None else start
    cases, problems = _load(options)
    chosen = [c for c in cases if options.selected(c["id"], c["clauses"], c["operation"])]
    sink: dict = {}
    properties: list[CaseResult] = []
    interrupted, internal = False, None
    try:
        source.judge_cases(chosen, options, sink, [c["id"] for c in cases])
        if options.properties:
            source.judge_properties(options, properties)
            properties += _fresh(source, options)
    except KeyboardInterrupt:
        interrupted = True
    except Exception as exc:  # nnref's own failure: keep what was judged, say so
        internal = (one_line(exc), "".join(traceback.format_exception(exc)))
    results = _problems(problems) + [sink[i] for i in sorted(sink)] + properties
    if not results and options.only and not interrupted and internal is None:
        raise NnrefError(f"--only {' '.join(options.only)}: no case or property matches")
    diagnoses, notes = explain(results, chosen, options)
    report = Report(
        started.name, options, results, notes, time.perf_counter() - start, diagnoses=diagnoses
    )
    report.mode, report.import_output = started.mode, started.output
    report.interrupted, report.internal_error = interrupted, internal
    return report


def start_source(source, options: CheckOptions) -> tuple[Started, CheckOptions]:
    """Start ``source`` and return it with ``options`` under its declared conventions (and the
    run's seed: random unless given, so fresh inputs cannot be known in advance)."""
    options.in_force()  # a bad --convention is a one-line error before anything starts
    if options.seed is None:
        options = replace(options, seed=secrets.randbelow(2**31))
    started = source.start(options)
    return started, with_declared(options, started.conventions)


def _fresh(source, options: CheckOptions) -> list[CaseResult]:
    """The differential properties (``check.fresh``): fresh cases, judged as the vectors are."""
    cases = fresh_cases(options)
    sink: dict = {}
    source.judge_cases(cases, options, sink, [c["id"] for c in cases])
    return collapse(cases, [sink[i] for i in range(len(cases))], options.seed)


def explain(results: list[CaseResult], cases: list[dict], options: CheckOptions):
    """(diagnoses, notes): the known variants that reproduce the failures, and other notes."""
    return explain_failures(results, cases, options)


def with_declared(options: CheckOptions, declared) -> CheckOptions:
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


def _problems(problems) -> list[CaseResult]:
    return [CaseResult(p.id, p.clauses, ERROR, kind="input", message=p.message) for p in problems]
