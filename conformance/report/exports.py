"""Exports of one or many JSON reports: a gradebook CSV and a JUnit XML file.

Both read the reports as ``Report.to_json`` writes them (one dict per implementation, or
``None`` for one that could not be checked, with the row's ``error``), so ``nnref check``
with one implementation or many writes them the same way, after every child is gone.

- ``--csv FILE``: one row per implementation (``CSV_FIELDS``).
- ``--junit FILE``: one ``testsuite`` per implementation, one ``testcase`` per case;
  FAIL is a ``failure``, ERROR an ``error``, not provided ``skipped``.

``EXPORTS`` declares them once: ``nnref check`` adds an option per entry, keeps the file
out of a sandboxed child's reach and calls its writer. A new format is a writer and an
entry here.
"""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass

from nnref.conformance.judge.results import ERROR, FAIL, NOT_PROVIDED

CSV_FIELDS = (
    "implementation",
    "path",
    "passed",
    "failed",
    "errors",
    "not_provided",
    "seconds",
    "diagnosis",
    "exit_status",
)


def first_mistake(report: dict | None, error: str = "") -> str:
    """What a teaching assistant reads first: the import failure, the first diagnosis, the
    first early end, or the first failing case and its clause; "" when everything passed."""
    if report is None:
        return f"did not run: {error}" if error else "did not run"
    for d in report.get("diagnoses", []):
        return d.get("title") or d.get("message", "")
    cases = report.get("cases", [])
    for case in cases:
        message = case.get("message", "")
        if case.get("status") == ERROR and _early_end(message):
            return message[:120]
    for case in cases:
        if case.get("status") in (FAIL, ERROR):
            clauses = ",".join(case.get("clauses", [])) or "-"
            return f"{case['status']} {case['id']} ({clauses})"
    return ""


def _early_end(message: str) -> bool:
    ends = ("exited", "killed", "timed out", "crashed", "ended", "budget spent", "imported again")
    return any(w in message for w in ends)


def write_csv(path: str, rows: list[dict]) -> None:
    """One row per implementation, ``CSV_FIELDS`` in that order."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_FIELDS, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if row.get(k) is None else row.get(k) for k in CSV_FIELDS})


def write_junit(path: str, suites: list[tuple[str, dict | None, str]]) -> None:
    """``suites``: (implementation, its JSON report or None, the error when None)."""
    root = ET.Element("testsuites", name="nnref check")
    for name, report, error in suites:
        root.append(_suite(name, report, error))
    ET.indent(root)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def _suite(name: str, report: dict | None, error: str) -> ET.Element:
    cases = (report or {}).get("cases", [])
    counts = {s: sum(c.get("status") == s for c in cases) for s in (FAIL, ERROR, NOT_PROVIDED)}
    suite = ET.Element("testsuite", name=name, tests=str(len(cases) or 1))
    suite.set("failures", str(counts[FAIL]))
    suite.set("errors", str(counts[ERROR] if report is not None else 1))
    suite.set("skipped", str(counts[NOT_PROVIDED]))
    suite.set("time", f"{(report or {}).get('seconds', 0.0):.3f}")
    if report is None:
        case = ET.SubElement(suite, "testcase", classname=name, name="import")
        ET.SubElement(case, "error", message=error or "did not run")
    for c in cases:
        case = ET.SubElement(suite, "testcase", classname=name, name=c["id"])
        tag = {FAIL: "failure", ERROR: "error", NOT_PROVIDED: "skipped"}.get(c.get("status"))
        if tag:
            ET.SubElement(case, tag, message=c.get("message", "")[:2000])
    return suite


def _junit_of(path: str, rows: list[dict], reports: list[dict | None]) -> None:
    write_junit(
        path, [(r["implementation"], rep, r.get("error", "")) for r, rep in zip(rows, reports)]
    )


@dataclass(frozen=True)
class Export:
    """A report format: ``--NAME FILE`` writes ``write(FILE, rows, reports)``; ``rows`` are the
    matrix rows (``CSV_FIELDS`` and ``error``), ``reports`` the JSON reports (None where an
    implementation did not run)."""

    name: str
    help: str
    write: Callable[[str, list[dict], list[dict | None]], None]


EXPORTS = (
    Export(
        "csv", "also write one row per implementation as CSV", lambda p, rows, _: write_csv(p, rows)
    ),
    Export("junit", "also write JUnit XML: a testsuite per implementation", _junit_of),
)
