"""Cases under declared conventions: inputs in the convention's layout, expected values from
the reference run under the conventions (``model.protocol``), tolerances for the precision.

``adapt_cases`` is a pure step of the judge, applied after the vectors are loaded
and before anything is compared, for implementations and results files alike. The
vector files keep the tutorial's values; under the tutorial's conventions a case
comes back unchanged (the same object).
"""

from __future__ import annotations

from dataclasses import replace

from nnref.conformance.errors import NnrefError
from nnref.conformance.protocol.operations import OPERATIONS
from nnref.conformance.variants.conventions import Conventions
from nnref.conformance.variants.knobs import REFERENCE, Knobs, operations
from nnref.conformance.variants.mutant import protocol, transpose
from nnref.conformance.variants.precision import scaled_minimum, scaled_tolerance, unsupported
from nnref.conformance.variants.replay import variant_fns

#: The conventions that change expected values, i.e. the knobs named after them.
VALUE_CONVENTIONS = ("threshold", "weight_layout", "relu_grad_at_zero", "squared_error", "adam")


def knobs_of(conventions: Conventions) -> Knobs:
    """The model's knobs for the conventions in force."""
    return replace(REFERENCE, **{name: conventions[name] for name in VALUE_CONVENTIONS})


def adapt_cases(cases: list[dict], conventions: Conventions) -> list[dict]:
    """Every case under ``conventions`` (see ``adapt_case``)."""
    if _nothing_to_do(conventions):
        return cases
    return [adapt_case(c, conventions) for c in cases]


def adapt_case(case: dict, conventions: Conventions) -> dict:
    """One case under ``conventions``: a new dict when anything changes, else ``case`` itself."""
    k = knobs_of(conventions)
    changes = {
        name: getattr(k, name)
        for name in VALUE_CONVENTIONS
        if getattr(k, name) != getattr(REFERENCE, name)
    }
    out = case
    reject = "reject" in case  # a must-reject case: inputs in the layout, no expected value
    if case["operation"] in operations(changes):
        out = {key: value for key, value in case.items() if key != "expected_if"}
        out["inputs"] = _inputs(case["operation"], case["inputs"], k)
        if not reject:
            out["expected"] = _expected(k, out)
        what = "inputs" if reject else "expected"
        out["note"] = f"{what} under " + ", ".join(f"{n}={v}" for n, v in changes.items())
    if conventions["precision"] != "float64":
        out = with_precision(out, conventions["precision"], k)
    return out


def with_precision(case: dict, precision: str, k: Knobs = REFERENCE) -> dict:
    """``case`` (already in the layout of the conventions ``k``) with the tolerance of
    ``precision``, measured on the reference under ``k``; a case the precision cannot hold is
    marked ``not_checkable`` (reported as not provided). A must-reject case has no tolerance."""
    out = dict(case)
    if "reject" not in case:
        out["tolerance"] = _scaled(case, precision, variant_fns(k))
    if "expected_min" in case:
        out["expected_min"] = scaled_minimum(case["expected_min"], precision)
    reason = _unsupported(out, precision)
    if reason:
        out["not_checkable"] = f"not checkable in {precision}: {reason}"
    return out


def _nothing_to_do(conventions: Conventions) -> bool:
    declared = conventions.declared()
    return not (set(declared) & {*VALUE_CONVENTIONS, "precision"})


def _inputs(op: str, inputs: dict, k: Knobs) -> dict:
    """W (and each layer's W) in the convention's layout; b negated when it is added.

    A bias is the threshold's negation, so u = xW + (-b) is the tutorial's u = xW - b on
    every case: the cases built to put u exactly at a kink (ReLU'(0), step(0)) or at an
    extreme stay there under the convention, instead of being moved off it by b."""
    if op == "linear":
        return {**inputs, **_layer_inputs(inputs, k)}
    if op in ("forward", "gradients"):
        layers = [{**la, **_layer_inputs(la, k)} for la in inputs["layers"]]
        return {**inputs, "layers": layers}
    return inputs


def _layer_inputs(layer: dict, k: Knobs) -> dict:
    out = {}
    if k.weight_layout == "out_in":
        out["W"] = transpose(layer["W"])
    if k.threshold == "added":
        out["b"] = [-bj for bj in layer["b"]]
    return out


def _expected(k: Knobs, case: dict):
    try:
        value = OPERATIONS[case["operation"]].call(variant_fns(k), case["inputs"])
    except Exception as exc:  # the reference cannot answer under these conventions
        raise NnrefError(
            f"case {case['id']}: no expected value under the conventions: {exc}"
        ) from None
    if case["operation"] == "adam_step":
        return dict(zip("wmv", value))
    return value


def _scaled(case: dict, precision: str, fns: dict) -> dict:
    return scaled_tolerance(case["tolerance"], case, precision, fns)


def _unsupported(case: dict, precision: str) -> str | None:
    return unsupported(case, precision)


def layout_wrapped(fns: dict) -> dict:
    """``fns`` as the property checks call them: W passed in (in, out) layout is handed to an
    (out, in) implementation transposed, and its dW transposed back. The declared argument
    type (``native``) stays visible to the properties' tolerances."""
    wrapped = _Wrapped(fns)
    wrapped.native = getattr(fns, "native", None)
    if "linear" in fns:
        wrapped["linear"] = lambda x, W, b: fns["linear"](x, transpose(W), b)
    if "forward" in fns:
        wrapped["forward"] = lambda layers, x: fns["forward"](_transposed(layers), x)
    if "gradients" in fns:
        wrapped["gradients"] = lambda layers, x, t, loss: [
            {**g, "W": transpose(_rows(g["W"]))}
            for g in fns["gradients"](_transposed(layers), x, t, loss)
        ]
    return wrapped


class _Wrapped(dict):
    """The wrapped callables, and the ``native`` argument type of the ones they wrap."""

    native: dict | None = None


def _transposed(layers):
    return [{**la, "W": transpose(la["W"])} for la in layers]


def _rows(W):
    return W.tolist() if hasattr(W, "tolist") else W


__all__ = ["adapt_case", "adapt_cases", "knobs_of", "layout_wrapped", "protocol", "with_precision"]
