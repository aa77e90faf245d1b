"""Running the vector cases: through a child process in batches, or in this process.

``run_cases`` sends the cases' calls to the child processes of a session in batches and
judges each plain-data answer with ``judge.verdict``; an Adam trajectory feeds each step's
answer into the next call. ``run_case`` calls in this process (kept only to measure what
isolation costs).
"""

from __future__ import annotations

import copy
import traceback

from nnref.conformance.check.options import CheckOptions
from nnref.conformance.errors import one_line
from nnref.conformance.isolation.guard import TimedOut, call_with_timeout, first_change
from nnref.conformance.isolation.remote import RaisedInChild, remote_fns
from nnref.conformance.isolation.session import Call
from nnref.conformance.judge.faults import ImplementationError, NotProvided, PropertyFailure
from nnref.conformance.judge.results import ERROR, FAIL, NOT_PROVIDED, CaseResult
from nnref.conformance.judge.verdict import (
    call_name,
    case_result,
    judge,
    missing_message,
    must_reject,
    rejected,
    verdict,
)
from nnref.conformance.protocol.names import ARGUMENTS
from nnref.conformance.protocol.numbers import Malformed
from nnref.conformance.protocol.operations import HYPER, OPERATIONS


def run_cases(cases: list[dict], session, provided, options: CheckOptions, sink: dict) -> None:
    """Every case against the child processes of ``session``; ``sink[index] = CaseResult``."""

    calls, trajectories, native = [], [], options.native()
    for i, case in enumerate(cases):
        message = missing_message(case, provided)
        if message:
            sink[i] = case_result(case, NOT_PROVIDED, message=message)
        elif case["operation"] == "adam_trajectory":
            trajectories.append(i)
        else:
            name, args, kwargs = _call_of(case)
            calls.append((i, Call(name, args, kwargs, f"case {case['id']}", native)))
    for k, outcome in session.run([c for _, c in calls]):
        i = calls[k][0]
        sink[i] = verdict(cases[i], outcome, options)
    for i in trajectories:
        sink[i] = _trajectory(cases[i], session, options)


def _call_of(case: dict) -> tuple[str, list, dict]:
    op, inputs = case["operation"], case["inputs"]
    if op == "encode_applicant":
        return op, [inputs[k] for k in ("income_yen", "has_loan", "detached_house")], {}
    kwargs = {k: inputs[k] for k in HYPER if k in inputs} if op == "adam_step" else {}
    return op, [inputs[k] for k in ARGUMENTS[op]], kwargs


def _trajectory(case: dict, session, options: CheckOptions) -> CaseResult:
    fns = remote_fns(session, ["adam_step"], [f"case {case['id']}"], options.native())
    try:
        got = OPERATIONS["adam_trajectory"].call(fns, case["inputs"])
    except NotProvided as exc:
        return case_result(case, NOT_PROVIDED, message=exc.said())
    except PropertyFailure as exc:
        return case_result(case, FAIL, message=f"{exc} (in a trajectory)")
    except (ImplementationError, Malformed) as exc:
        return case_result(case, ERROR, message=str(exc))
    except RaisedInChild as exc:  # the implementation raised: an ERROR of this case, as any call
        message = f"{call_name(case)} raised {type(exc).__name__}: {exc}"
        return case_result(case, ERROR, message=message)
    return judge(case, got, options)


def run_case(case: dict, fns: dict, options: CheckOptions) -> CaseResult:
    """Run one case against the callables ``fns`` (name -> callable) in this process."""
    op = OPERATIONS[case["operation"]]
    message = missing_message(case, fns)
    if message:
        return case_result(case, NOT_PROVIDED, message=message)
    args = copy.deepcopy(case["inputs"])
    try:
        got = call_with_timeout(lambda: op.call(fns, args), options.timeout)
    except TimedOut as exc:
        return case_result(case, ERROR, message=f"{call_name(case)} {exc}")
    except Malformed as exc:
        return case_result(case, ERROR, message=str(exc))
    except Exception as exc:
        if must_reject(case) and not isinstance(exc, MemoryError | NotImplementedError):
            return rejected(case, one_line(exc))
        detail = "".join(traceback.format_exception(exc)) if options.debug else ""
        return case_result(
            case, ERROR, message=f"{call_name(case)} raised {one_line(exc)}", detail=detail
        )
    changed = first_change(case["inputs"], args)
    if changed:
        return case_result(case, FAIL, message=f"{call_name(case)} modified its input: {changed}")
    return judge(case, got, options)
