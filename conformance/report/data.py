"""The report: one line per case or group, a summary, and the same as JSON.

Text lines look like::

    PASS  D_softmax  D_softmax,S10  worst entry abs 1.1e-16 rel 2.4e-15 = 0.0001x tol 1e-10+1e-09|e|
    FAIL  D_ce       D_ce,S14,E1    worst entry abs 1.7 rel 0.57 = 1.7e+09x tol 1e-10+1e-09|e|
           result: expected 3.0658839037574293, got 1.3314964616371134 (abs err 1.73)
    ERROR sigmoid-extreme  S6,E5   sigmoid raised OverflowError: math range error
    PASS  adam_step-reject-t-zero  S23   rejected: ValueError: t must be >= 1
    not provided  adam_step: 14 cases (S23)  no adam_step

A vector's line shows its *worst entry* (``nnref.conformance.judge.compare``: the
entry whose error is the largest multiple of its tolerance): that entry's
absolute and relative error and that multiple. The message under a FAIL
describes the same entry, so the figures and the message always agree.

What the implementation printed or warned during a case is shown under it,
trimmed (``OUTPUT_LINES`` lines), and kept whole in the JSON.

The JSON report (``--json FILE``) holds the schema version, the
implementation, the conventions in force, the summary counts, the diagnoses
(variant, variants, kind, operations, cases, message), the notes and, per
case: id, kind, clauses, status, max_abs_err, max_rel_err, tolerance, message,
worst and (when there was any) output. ``max_abs_err`` and ``max_rel_err`` are
the case's maxima over all its entries (they may come from two different
entries); ``worst`` is the entry the text line and the message describe:
``{entry, expected, got, abs_err, rel_err, ratio}``, ratio being abs_err over
that entry's tolerance.

Exit statuses (``exit_status``) follow ``judge.results.EXIT_STATUSES``: bad input is 2,
raised as ``NnrefError`` before a report exists; a failure of nnref itself during the
check is 3, with the results judged so far.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from nnref import __version__
from nnref.conformance.judge.results import (
    ERROR,
    FAIL,
    NOT_PROVIDED,
    PASS,
    CaseResult,
    exit_status,
)
from nnref.conformance.vectors import SCHEMA_VERSION

if TYPE_CHECKING:
    from nnref.conformance.check.options import CheckOptions


@dataclass
class Report:
    implementation: str
    options: CheckOptions
    results: list[CaseResult]
    hints: list[str] = field(default_factory=list)
    seconds: float = 0.0
    mode: str = "implementation"  # or "results file"
    diagnoses: list = field(default_factory=list)  # nnref.conformance.variants.diagnose.Diagnosis
    interrupted: bool = False  # Ctrl-C: the results so far
    import_output: dict = field(default_factory=dict)  # what importing the implementation printed
    internal_error: tuple[str, str] | None = None  # nnref's own failure: (one line, traceback)

    def by_id(self) -> dict[str, CaseResult]:
        """Each result by its case or property id."""
        return {r.id: r for r in self.results}

    def counts(self) -> Counter:
        return Counter(r.status for r in self.results)

    def exit_status(self) -> int:
        """0 only when at least one check ran and nothing failed or errored (EXIT_STATUSES)."""
        statuses = [r.status for r in self.results]
        return exit_status(statuses, self.interrupted, self.internal_error is not None)

    def summary(self) -> dict:
        c = self.counts()
        return {
            "passed": c[PASS],
            "failed": c[FAIL],
            "errors": c[ERROR],
            "not_provided": c[NOT_PROVIDED],
            "total": len(self.results),
        }

    def lines(self, quiet: bool = False) -> list[str]:
        shown = self.options.properties and self.options.seed is not None
        seed = f"; seed {self.options.seed}" if shown else ""
        out = [f"nnref check: {self.implementation} ({_conventions(self.options)}{seed})"]
        out.extend(output_lines(self.import_output, "while importing: "))
        missing: dict[tuple[str, str], list[CaseResult]] = {}
        for r in self.results:
            if r.status == NOT_PROVIDED and r.kind == "property":
                out.append(f"not provided  {r.id} ({','.join(r.clauses)})  {r.message}")
            elif r.status == NOT_PROVIDED:
                missing.setdefault((r.operation or r.id, r.message), []).append(r)
            elif not (quiet and r.status == PASS):
                out.extend(case_lines(r))
        for (what, why), rs in missing.items():
            clauses = sorted({c for r in rs for c in r.clauses})
            many = f"{len(rs)} cases" if len(rs) > 1 else "1 case"
            out.append(f"not provided  {what}: {many} ({', '.join(clauses) or '-'})  {why}")
        out.extend(f"diagnosis: {d.message}" for d in self.diagnoses)
        out.extend(f"note: {h}" for h in self.hints)
        s = self.summary()
        if self.internal_error is not None:
            out.append(f"{internal_error_text(self.internal_error[0])}: the checks below finished")
            if self.options.debug:
                out.extend(self.internal_error[1].rstrip().splitlines())
        if self.interrupted:
            out.append("interrupted: the summary below counts only the checks that finished")
        elif not s["passed"] and not s["failed"] and not s["errors"]:
            out.append("nothing was checked: the implementation provides nothing these cases need")
        out.append(
            f"summary: {s['passed']} passed, {s['failed']} failed, {s['errors']} errors, "
            f"{s['not_provided']} not provided ({s['total']} checks) in {self.seconds:.1f} s"
        )
        return out

    def to_json(self) -> dict:
        return {
            "schema_version": SCHEMA_VERSION,
            "nnref_version": __version__,
            "implementation": self.implementation,
            "mode": self.mode,
            "conventions": self.options.conventions(),
            "options": {
                "seed": self.options.seed,
                "max_examples": self.options.examples(),
                "quick": self.options.quick,
                "only": list(self.options.only),
                "timeout": self.options.timeout,
            },
            "summary": self.summary(),
            "interrupted": self.interrupted,
            **({"internal_error": self.internal_error[0]} if self.internal_error else {}),
            **({"import_output": self.import_output} if self.import_output else {}),
            "diagnoses": [d.to_json() for d in self.diagnoses],
            "notes": list(self.hints),
            "seconds": round(self.seconds, 3),
            "cases": [r.to_json() for r in self.results],
        }

    def write_json(self, path: str) -> None:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(self.to_json(), f, indent=1, allow_nan=False)
            f.write("\n")


def internal_error_text(line: str) -> str:
    return f"internal error in nnref: {line} (run with --debug for the traceback)"


def case_lines(r: CaseResult) -> list[str]:
    """The line of one result (and, for a FAIL or ERROR, the message on the next)."""
    clauses = ",".join(r.clauses) or "-"
    head = f"{r.status:<6} {r.id:<44} {clauses:<16}"
    if r.status == PASS:
        detail = (_errors(r) if r.kind == "vector" else "") or r.message
        return [f"{head} {detail}".rstrip(), *output_lines(r.output)]
    if r.status == FAIL and r.max_abs_err is not None:
        return [f"{head} {_errors(r)}".rstrip(), f"       {r.message}", *output_lines(r.output)]
    lines = [f"{head} {r.message}".rstrip()]
    lines.extend(f"       {line}" for line in r.detail.splitlines())
    return lines + output_lines(r.output)


#: Lines of a case's captured output shown in the text report (all of it is in the JSON).
OUTPUT_LINES = 3


def output_lines(output: dict, lead: str = "") -> list[str]:
    """A case's captured stdout, stderr and warnings, trimmed, indented under the case."""
    shown = []
    for key in ("stdout", "stderr", "warnings"):
        value = output.get(key) if output else None
        text = "\n".join(value) if isinstance(value, list) else (value or "")
        shown += [f"{key}: {line}" for line in text.splitlines() if line.strip()]
    if not shown:
        return []
    out = [f"       {lead}{_trim(line)}" for line in shown[:OUTPUT_LINES]]
    if len(shown) > OUTPUT_LINES:
        out.append(f"       ... {len(shown) - OUTPUT_LINES} more lines of output (all in --json)")
    return out


def _trim(line: str, width: int = 110) -> str:
    return line if len(line) <= width else line[:width] + "..."


def _errors(r: CaseResult) -> str:
    """The worst entry's errors against the tolerance; the case's maxima, labelled so, for a
    result that has no worst entry (one made before entries were compared one by one)."""
    if r.tolerance is None:
        return ""
    tol = f"tol {r.tolerance['abs']:.0e}+{r.tolerance['rel']:.0e}|e|"
    w = r.worst
    if w is not None:
        return f"worst entry abs {_g(w.abs_err)} rel {_g(w.rel_err)} = {_g(w.ratio)}x {tol}"
    if r.max_abs_err is None:
        return ""
    return f"max abs {_g(r.max_abs_err)} rel {_g(r.max_rel_err)}  {tol}"


def _g(x) -> str:
    return "-" if x is None else f"{x:.2g}"


def _conventions(options: CheckOptions) -> str:
    """The conventions in force: the tutorial's by default, else the ones declared."""
    declared = options.in_force().declared()
    if not declared:
        return "conventions: the tutorial's"
    return "conventions: " + ", ".join(f"{k}={v}" for k, v in declared.items())
