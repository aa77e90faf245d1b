"""Running vector cases against an implementation, and comparing results made elsewhere.

For each case: skip it as *not provided* if the implementation lacks a callable
the operation needs; otherwise call it on a fresh copy of the inputs under a
timeout, check the copy was not modified, and compare the result with the
expected value for the chosen convention (``expected_if`` holds the value for
``relu_grad_at_zero=0`` on cases flagged ``relu_at_zero``).
"""

from __future__ import annotations

import copy
import traceback

from conformance.runner.compare import Malformed, ShapeMismatch, compare_leaves
from conformance.runner.guard import TimedOut, call_with_timeout, first_change
from conformance.runner.model import ERROR, FAIL, NOT_PROVIDED, PASS, CaseResult, Options
from conformance.runner.operations import OPERATIONS, leaves


def expected_for(case: dict, relu_grad_at_zero: float):
    """The expected value under the given ReLU'(0) convention."""
    if float(relu_grad_at_zero) == 0.0:
        return case.get("expected_if", {}).get("relu_grad_at_zero=0", case["expected"])
    return case["expected"]


def _result(case, status, **kw) -> CaseResult:
    return CaseResult(
        id=case["id"],
        clauses=tuple(case["clauses"]),
        status=status,
        operation=case["operation"],
        tolerance=case["tolerance"],
        flags=tuple(case.get("flags", ())),
        **kw,
    )


def run_case(case: dict, fns: dict, options: Options) -> CaseResult:
    """Run one case against the callables ``fns`` (name -> callable)."""
    op = OPERATIONS[case["operation"]]
    missing = [name for name in op.requires if name not in fns]
    if missing:
        return _result(case, NOT_PROVIDED, message=f"no {', '.join(missing)}")
    args = copy.deepcopy(case["inputs"])
    try:
        got = call_with_timeout(lambda: op.call(fns, args), options.timeout)
    except TimedOut as exc:
        return _result(case, ERROR, message=f"{_call(case)} {exc}")
    except Malformed as exc:
        return _result(case, ERROR, message=str(exc))
    except Exception as exc:
        detail = "".join(traceback.format_exception(exc)) if options.debug else ""
        return _result(case, ERROR, message=f"{_call(case)} raised {_one_line(exc)}", detail=detail)
    changed = first_change(case["inputs"], args)
    if changed:
        return _result(case, FAIL, message=f"{_call(case)} modified its input: {changed}")
    return judge(case, got, options)


def judge(case: dict, got, options: Options) -> CaseResult:
    """Compare a result (from a call or a results file) with the case's expected value."""
    expected = expected_for(case, options.relu_grad_at_zero)
    try:
        comparison = compare_leaves(leaves(case["operation"], expected, got), case["tolerance"])
    except Malformed as exc:
        return _result(case, ERROR, message=str(exc), got=got)
    except ShapeMismatch as exc:
        return _result(case, FAIL, message=str(exc), got=got)
    except Exception as exc:  # a result object that misbehaves when read
        return _result(case, ERROR, message=f"the result could not be read: {_one_line(exc)}")
    status = PASS if comparison.passed else FAIL
    return _result(
        case,
        status,
        max_abs_err=comparison.max_abs_err,
        max_rel_err=comparison.max_rel_err,
        message=comparison.message,
        got=got,
    )


def _call(case: dict) -> str:
    op = case["operation"]
    return "adam_step (in a trajectory)" if op == "adam_trajectory" else op


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
