"""Checking results computed elsewhere (C, JavaScript, ...): ``nnref check --results FILE``.

The results file is JSON (see ``conformance/vectors/FORMAT.md``)::

    {
      "schema_version": 1,
      "implementation": "my-c-network 0.3",
      "conventions": {"relu_grad_at_zero": 1},
      "results": {
        "W1_1-weighted-sum": [-1.0],
        "D_mse": 1252.0,
        "adam_step-000": {"w": [...], "m": [...], "v": [...]},
        "gradients-relu-at-zero-000": [{"W": [[...]], "b": [...]}, ...],
        "sigmoid-extreme": {"error": "overflow in exp"}
      }
    }

The file is read with bounds (``cases.read_json``): at most 8 MB, finite
numbers, no key twice in an object, UTF-8. Each value has the shape of the
case's ``expected``; ``{"error": "..."}``
records a failure to compute it (reported as ERROR). Cases without a result
are *not provided*; ids that no vector has are reported as ERROR. The same
tolerances apply as for Python implementations. On a must-reject case (inputs
outside the spec's domain) ``{"error": "..."}`` is the right answer (PASS) and a
value is a FAIL.
"""

from __future__ import annotations

from pathlib import Path

from nnref.conformance.check.options import CheckOptions
from nnref.conformance.errors import NnrefError
from nnref.conformance.judge.results import ERROR, NOT_PROVIDED, CaseResult
from nnref.conformance.judge.verdict import judge, must_reject, rejected
from nnref.conformance.vectors.load import check_version, read_json


def read_results(path: str) -> tuple[str, dict, dict]:
    """(implementation name, conventions, results by id); NnrefError when the file is unusable."""
    try:
        doc = read_json(Path(path), "results file")
        check_version(doc, path, "results file", "'results'")
    except ValueError as exc:
        raise NnrefError(str(exc)) from None
    results = doc.get("results")
    if not isinstance(results, dict):
        raise NnrefError(f"results file {path} has no object 'results' mapping case ids to values")
    conventions = doc.get("conventions") or {}
    if not isinstance(conventions, dict):
        raise NnrefError(f"results file {path}: 'conventions' must be an object")
    return str(doc.get("implementation") or Path(path).name), conventions, results


def judge_results(
    cases: list[dict], results: dict, options: CheckOptions, ids: set | None = None
) -> list[CaseResult]:
    """Compare each case's entry in ``results``; ids that are neither a case nor in ``ids``
    (every id of the vectors) become ERROR lines."""
    out, known = [], set(ids or ())
    for case in cases:
        known.add(case["id"])
        if not options.selected(case["id"], case["clauses"], case["operation"]):
            continue
        if case.get("not_checkable") or case["id"] not in results:
            out.append(
                _line(case, NOT_PROVIDED, case.get("not_checkable", "no result in the file"))
            )
            continue
        value = results[case["id"]]
        if isinstance(value, dict) and set(value) == {"error"}:
            if must_reject(case):
                out.append(rejected(case, str(value["error"])[:200]))
            else:
                out.append(_line(case, ERROR, f"reported an error: {value['error']}"))
        elif value is None:
            out.append(_line(case, ERROR, "the result is null"))
        else:
            out.append(judge(case, value, options))
    for cid in sorted(set(results) - known):
        out.append(
            CaseResult(cid, (), ERROR, kind="input", message=f"unknown case id {cid!r} in results")
        )
    return out


def _line(case, status, message) -> CaseResult:
    return CaseResult(
        case["id"],
        tuple(case["clauses"]),
        status,
        operation=case["operation"],
        tolerance=case.get("tolerance"),
        flags=tuple(case.get("flags", ())),
        message=message,
    )
