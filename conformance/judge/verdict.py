"""A case's verdict: what it needs, what it expects, and what the answer that came back means.

For each case: *not provided* if the implementation lacks a callable the case needs
(the operation's callable, and the activations and loss its network uses); FAIL if
the call modified its inputs; otherwise the result is compared with the expected
value for the conventions in force (``expected_if`` holds the value for
``relu_grad_at_zero=0`` on cases flagged ``relu_at_zero``; ``expected_min`` makes any number
at least that large, or +inf, pass). A *must-reject* case (``reject``: inputs outside the
spec's domain) passes when the call raises and fails when it returns anything. The same
verdict serves answers from a child process, from this process and from a results file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nnref.conformance.errors import one_line
from nnref.conformance.judge.compare import ShapeMismatch, compare_leaves, leaf, leaves
from nnref.conformance.judge.results import ERROR, FAIL, NOT_PROVIDED, PASS, CaseResult
from nnref.conformance.protocol.names import ACTIVATIONS, LOSSES
from nnref.conformance.protocol.numbers import Malformed
from nnref.conformance.protocol.operations import OPERATIONS

if TYPE_CHECKING:
    from nnref.conformance.check.options import CheckOptions

#: Raised, but not a rejection of the inputs: the interpreter was stopped, or ran out of memory.
NOT_A_REJECTION = ("SystemExit", "KeyboardInterrupt", "GeneratorExit", "MemoryError")


def must_reject(case: dict) -> bool:
    """True for a must-reject case: its inputs lie outside the spec's domain (``reject``)."""
    return "reject" in case


def expected_for(case: dict, relu_grad_at_zero: float):
    """The expected value under the given ReLU'(0) convention."""
    if float(relu_grad_at_zero) == 0.0:
        return case.get("expected_if", {}).get("relu_grad_at_zero=0", case["expected"])
    return case["expected"]


def case_result(case, status, **kw) -> CaseResult:
    return CaseResult(
        id=case["id"],
        clauses=tuple(case["clauses"]),
        status=status,
        operation=case["operation"],
        tolerance=case.get("tolerance"),
        flags=tuple(case.get("flags", ())),
        **kw,
    )


def rejected(case: dict, error: str) -> CaseResult:
    """A must-reject case whose call raised ``error`` (one line): PASS."""
    return case_result(case, PASS, message=f"rejected: {error}")


def returned_a_value(case: dict) -> CaseResult:
    """A must-reject case whose call returned: FAIL, naming the domain it should have enforced."""
    return case_result(
        case,
        FAIL,
        message=f"{call_name(case)} returned a value, but these inputs are outside the spec's "
        f"domain and must be rejected (raise an error): {case['reject']}",
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
        out += [layer.get("activation") for layer in inputs["layers"] if isinstance(layer, dict)]
    some_loss = provided is None or any(n in provided for n in LOSSES)
    if isinstance(inputs.get("loss"), str) and some_loss:
        out.append(inputs["loss"])
    # a name no protocol callable has (a must-reject case's unknown activation) is not needed:
    # rejecting it is the implementation's part
    return list(dict.fromkeys(n for n in out if n in OPERATIONS))


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


def verdict(case: dict, outcome, options: CheckOptions) -> CaseResult:
    """The case's result from what came back from the child."""
    output = outcome.output
    if must_reject(case) and (outcome.ok or outcome.kind == "raised"):
        result = rejection(case, outcome)
        result.output = output
        return result
    if outcome.ok and outcome.changed:
        return case_result(
            case, FAIL, message=f"{call_name(case)} modified its input: {outcome.changed}"
        )
    if outcome.ok:
        result = judge(case, outcome.value, options)
        result.output = output
        return result
    if outcome.kind == "not_implemented":
        message = f"{call_name(case)} raises {outcome.message}"
        return case_result(case, NOT_PROVIDED, message=message, output=output)
    detail = outcome.traceback if options.debug else ""
    message = outcome.message
    if outcome.kind == "raised":
        message = f"{call_name(case)} raised {message}"
    elif outcome.kind == "unsendable":
        message = f"{call_name(case)}: {message}"
    return case_result(case, ERROR, message=message, detail=detail, output=output)


def rejection(case: dict, outcome) -> CaseResult:
    """A must-reject case that returned (FAIL) or raised (PASS, unless the raise was no
    rejection: SystemExit, MemoryError and the like are ERRORs)."""
    if outcome.ok:
        return returned_a_value(case)
    if outcome.error_type in NOT_A_REJECTION:
        return case_result(case, ERROR, message=f"{call_name(case)} raised {outcome.message}")
    return rejected(case, outcome.message)


def judge(case: dict, got, options: CheckOptions) -> CaseResult:
    """Compare a result (from a call or a results file) with the case's expected value.

    On a must-reject case any result is a FAIL; with ``expected_min``, see ``at_least``."""
    if must_reject(case):
        return returned_a_value(case)
    if "expected_min" in case:
        return at_least(case, got)
    expected = expected_for(case, options.relu_grad_at_zero)
    try:
        comparison = compare_leaves(leaves(case["operation"], expected, got), case["tolerance"])
    except Malformed as exc:
        return case_result(case, ERROR, message=str(exc), got=got)
    except ShapeMismatch as exc:
        return case_result(case, FAIL, message=str(exc), got=got)
    except Exception as exc:  # a result object that misbehaves when read
        return case_result(case, ERROR, message=f"the result could not be read: {one_line(exc)}")
    status = PASS if comparison.passed else FAIL
    return case_result(
        case,
        status,
        max_abs_err=comparison.max_abs_err,
        max_rel_err=comparison.max_rel_err,
        worst=comparison.worst,
        message=comparison.message,
        got=got,
    )


def at_least(case: dict, got) -> CaseResult:
    """PASS when ``got`` is one number >= the case's ``expected_min`` (+inf included)."""
    bound = case["expected_min"]
    try:
        _, _, value = leaf(0.0, got, "result")
    except (Malformed, ShapeMismatch) as exc:
        return case_result(case, ERROR if isinstance(exc, Malformed) else FAIL, message=str(exc))
    except Exception as exc:  # a result object that misbehaves when read
        return case_result(case, ERROR, message=f"the result could not be read: {one_line(exc)}")
    number = float(value)
    if number >= bound:
        return case_result(case, PASS, message=f"result {number!r} >= {bound!r}", got=got)
    return case_result(
        case,
        FAIL,
        message=f"result is {number!r}; expected +inf or a number >= {bound!r} (S14's note)",
        got=got,
    )


def call_name(case: dict) -> str:
    op = case["operation"]
    return "adam_step (in a trajectory)" if op == "adam_trajectory" else op
