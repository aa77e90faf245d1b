"""The report: one line per case or group, a summary, and the same as JSON.

Text lines look like::

    PASS   D_softmax        D_softmax,S10  abs 1.1e-16 rel 2.4e-15  tol 1e-10+1e-09|e|
    FAIL   D_ce             D_ce,S14,E1    abs 1.7 rel 0.57  tol 1e-10+1e-09|e|
           result: expected 3.0658839037574293, got 1.3314964616371134 (abs err 1.73)
    ERROR  sigmoid-extreme  S6,E5          sigmoid raised OverflowError: math range error
    not provided  adam_step: 14 cases (S23)  no adam_step

The JSON report (``--json FILE``) holds the schema version, the
implementation, the conventions in force, the summary counts, the diagnoses
(variant, variants, kind, operations, cases, message), the notes and, per
case: id, kind, clauses, status, max_abs_err, max_rel_err, tolerance and message.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from conformance.runner.model import ERROR, FAIL, NOT_PROVIDED, PASS, CaseResult, Options
from conformance.vectors import SCHEMA_VERSION


@dataclass
class Report:
    implementation: str
    options: Options
    results: list[CaseResult]
    hints: list[str] = field(default_factory=list)
    seconds: float = 0.0
    mode: str = "implementation"  # or "results file"
    diagnoses: list = field(default_factory=list)  # conformance.variants.diagnose.Diagnosis

    def counts(self) -> Counter:
        return Counter(r.status for r in self.results)

    def exit_status(self) -> int:
        """0 only when nothing failed or errored."""
        counts = self.counts()
        return 1 if counts[FAIL] or counts[ERROR] else 0

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
        out = [f"nnref check: {self.implementation} ({_conventions(self.options)})"]
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
        out.append(
            f"summary: {s['passed']} passed, {s['failed']} failed, {s['errors']} errors, "
            f"{s['not_provided']} not provided ({s['total']} checks) in {self.seconds:.1f} s"
        )
        return out

    def to_json(self) -> dict:
        return {
            "schema_version": SCHEMA_VERSION,
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
            "diagnoses": [d.to_json() for d in self.diagnoses],
            "notes": list(self.hints),
            "seconds": round(self.seconds, 3),
            "cases": [r.to_json() for r in self.results],
        }

    def write_json(self, path: str) -> None:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(self.to_json(), f, indent=1, allow_nan=False)
            f.write("\n")


def case_lines(r: CaseResult) -> list[str]:
    """The line of one result (and, for a FAIL or ERROR, the message on the next)."""
    clauses = ",".join(r.clauses) or "-"
    head = f"{r.status:<6} {r.id:<44} {clauses:<16}"
    if r.status == PASS:
        detail = _errors(r) if r.kind == "vector" else r.message
        return [f"{head} {detail}".rstrip()]
    if r.status == FAIL and r.max_abs_err is not None:
        return [f"{head} {_errors(r)}".rstrip(), f"       {r.message}"]
    lines = [f"{head} {r.message}".rstrip()]
    lines.extend(f"       {line}" for line in r.detail.splitlines())
    return lines


def _errors(r: CaseResult) -> str:
    if r.max_abs_err is None or r.tolerance is None:
        return ""
    tol = r.tolerance
    return (
        f"abs {_g(r.max_abs_err)} rel {_g(r.max_rel_err)}  tol {tol['abs']:.0e}+{tol['rel']:.0e}|e|"
    )


def _g(x) -> str:
    return "-" if x is None else f"{x:.2g}"


def _conventions(options: Options) -> str:
    """The conventions in force: the tutorial's by default, else the ones declared."""
    declared = options.in_force().declared()
    if not declared:
        return "conventions: the tutorial's"
    return "conventions: " + ", ".join(f"{k}={v}" for k, v in declared.items())
