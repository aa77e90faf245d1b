"""Running vector cases against an implementation, and comparing results made elsewhere.

For each case: skip it as *not provided* if the implementation lacks a callable
the case needs (the operation's callable, and the activations and loss its
network uses); otherwise call it on the inputs, check they were not modified,
and compare the result with the expected value for the chosen convention
(``expected_if`` holds the value for ``relu_grad_at_zero=0`` on cases flagged
``relu_at_zero``).

``run_cases`` calls a child process (``conformance.isolation``) in batches and
judges each plain-data result here; ``run_case`` calls in this process (kept
only to measure what isolation costs).
"""

from __future__ import annotations

import copy
import traceback

from conformance.names import ACTIVATIONS, ARGUMENTS, LOSSES
from conformance.runner.compare import Malformed, ShapeMismatch, compare_leaves
from conformance.runner.guard import TimedOut, call_with_timeout, first_change
from conformance.runner.model import ERROR, FAIL, NOT_PROVIDED, PASS, CaseResult, CheckOptions
from conformance.runner.operations import HYPER, OPERATIONS, leaves


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


def needs(case: dict, provided=None) -> list[str]:
    """The callables a case needs: its operation's, then its network's activations and loss.

    An implementation that provides none of the activations (or none of the
    losses) computes them inside ``forward`` and ``gradients``: then they are not
    asked for. One that provides some (sigmoid, say) is taken to lack the others.
    """
    out = list(OPERATIONS[case["operation"]].requires)
    inputs = case["inputs"]
    some_activation = provided is None or any(a in provided for a in ACTIVATIONS)
    if isinstance(inputs.get("layers"), list) and some_activation:
        out += [layer["activation"] for layer in inputs["layers"] if "activation" in layer]
    some_loss = provided is None or any(n in provided for n in LOSSES)
    if isinstance(inputs.get("loss"), str) and some_loss:
        out.append(inputs["loss"])
    return list(dict.fromkeys(out))


def missing_message(case: dict, provided) -> str:
    """``no forward``, or ``no relu (the case uses it)``; "" when nothing is missing.

    A case the declared precision cannot hold (an input below float32's range) is not
    provided either: the reason is in ``case["not_checkable"]``."""
    if case.get("not_checkable"):
        return case["not_checkable"]
    lacking = [n for n in OPERATIONS[case["operation"]].requires if n not in provided]
    if lacking:
        return f"no {', '.join(lacking)}"
    lacking = [n for n in needs(case, provided) if n not in provided]
    return f"no {', '.join(lacking)} (the case uses it)" if lacking else ""


def run_cases(cases: list[dict], session, provided, options: CheckOptions, sink: dict) -> None:
    """Every case against the child processes of ``session``; ``sink[index] = CaseResult``."""
    from conformance.isolation.session import Call

    calls, trajectories, native = [], [], options.native()
    for i, case in enumerate(cases):
        message = missing_message(case, provided)
        if message:
            sink[i] = _result(case, NOT_PROVIDED, message=message)
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


def verdict(case: dict, outcome, options: CheckOptions) -> CaseResult:
    """The case's result from what came back from the child."""
    output = outcome.output
    if outcome.ok and outcome.changed:
        return _result(case, FAIL, message=f"{_call(case)} modified its input: {outcome.changed}")
    if outcome.ok:
        result = judge(case, outcome.value, options)
        result.output = output
        return result
    if outcome.kind == "not_implemented":
        message = f"{_call(case)} raises {outcome.message}"
        return _result(case, NOT_PROVIDED, message=message, output=output)
    detail = outcome.traceback if options.debug else ""
    message = outcome.message
    if outcome.kind == "raised":
        message = f"{_call(case)} raised {message}"
    elif outcome.kind == "unsendable":
        message = f"{_call(case)}: {message}"
    return _result(case, ERROR, message=message, detail=detail, output=output)


def _trajectory(case: dict, session, options: CheckOptions) -> CaseResult:
    from conformance.runner.properties import ImplementationError, NotProvided, PropertyFailure
    from conformance.runner.remote import RaisedInChild, remote_fns

    fns = remote_fns(session, ["adam_step"], [f"case {case['id']}"], options.native())
    try:
        got = OPERATIONS["adam_trajectory"].call(fns, case["inputs"])
    except NotProvided as exc:
        return _result(case, NOT_PROVIDED, message=exc.said())
    except PropertyFailure as exc:
        return _result(case, FAIL, message=f"{exc} (in a trajectory)")
    except (ImplementationError, Malformed) as exc:
        return _result(case, ERROR, message=str(exc))
    except RaisedInChild as exc:  # the implementation raised: an ERROR of this case, as any call
        return _result(case, ERROR, message=f"{_call(case)} raised {type(exc).__name__}: {exc}")
    return judge(case, got, options)


def run_case(case: dict, fns: dict, options: CheckOptions) -> CaseResult:
    """Run one case against the callables ``fns`` (name -> callable) in this process."""
    op = OPERATIONS[case["operation"]]
    message = missing_message(case, fns)
    if message:
        return _result(case, NOT_PROVIDED, message=message)
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


def judge(case: dict, got, options: CheckOptions) -> CaseResult:
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
        worst=comparison.worst,
        message=comparison.message,
        got=got,
    )


def _call(case: dict) -> str:
    op = case["operation"]
    return "adam_step (in a trajectory)" if op == "adam_trajectory" else op


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
