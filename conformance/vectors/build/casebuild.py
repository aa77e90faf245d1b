"""Building one vector case: plain-float JSON values, checked against the exact oracle.

Every case is a dict with, in this order: ``id``, ``clauses``, ``operation``,
``inputs``, ``expected``, ``tolerance`` {abs, rel}, ``provenance``, ``flags``
and, where relevant, ``tutorial_value``, ``erratum``, ``expected_if`` (the
expected value under another convention, e.g. ``relu_grad_at_zero=0``),
``expected_min`` (any result at least this large, or +inf, passes instead) and
``note``. A value passes when |got - expected| <= abs + rel * |expected|,
entry by entry.

A *must-reject* case (``reject_case``) has ``reject`` (the domain its inputs
lie outside of) in place of ``expected`` and ``tolerance``: a conforming
implementation raises on it.
"""

from __future__ import annotations

import math

from nnref.conformance.protocol.names import ACTIVATIONS
from nnref.conformance.vectors.build import oracle
from nnref.reference.errors import InputError

#: Tolerances by kind of computation (float64 implementations meet them with a wide margin).
TOL_EXACT = {"abs": 1e-12, "rel": 1e-9}
TOL_DEFAULT = {"abs": 1e-10, "rel": 1e-9}
TOL_ADAM = {"abs": 1e-9, "rel": 1e-8}

#: The oracle must agree with the reference this closely, as a fraction of the case's tolerance.
ORACLE_FRACTION = 1e-3


class GenerationError(Exception):
    """The reference and the exact oracle disagree on a case (a bug in one of them)."""


def plain(value):
    """``value`` (mpf, float, int, nested lists/dicts/tuples) as JSON floats; rejects NaN/inf."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    number = float(value)
    if not math.isfinite(number):
        raise GenerationError(f"non-finite value {number!r}")
    return number + 0.0  # -0.0 -> 0.0: JSON readers in other languages differ on signed zero


def floats(value):
    """Inputs as floats (1 -> 1.0) so every language and library reads them as float64."""
    if isinstance(value, dict):
        return {k: floats(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [floats(v) for v in value]
    if isinstance(value, bool | str):
        return value
    return float(value)


def agree(got, exact, tol, path="") -> None:
    """Raise GenerationError unless the float ``got`` matches the exact ``exact`` within ``tol``."""
    if isinstance(got, dict):
        for key in got:
            agree(got[key], exact[key], tol, f"{path}.{key}")
        return
    if isinstance(got, list):
        if len(got) != len(exact):
            raise GenerationError(f"{path}: length {len(got)} vs oracle {len(exact)}")
        for i, (g, e) in enumerate(zip(got, exact)):
            agree(g, e, tol, f"{path}[{i}]")
        return
    e = float(exact)
    bound = ORACLE_FRACTION * (tol["abs"] + tol["rel"] * abs(e))
    if not abs(got - e) <= bound:
        raise GenerationError(f"{path}: reference {got!r} vs oracle {e!r}")


def case(
    id,
    clauses,
    operation,
    inputs,
    expected,
    provenance,
    *,
    exact=None,
    tolerance=TOL_DEFAULT,
    flags=(),
    **extra,
):
    """One vector case; ``expected`` comes from the reference, ``exact`` from the oracle."""
    expected = plain(expected)
    if exact is not None:
        try:
            agree(expected, exact, tolerance)
        except GenerationError as exc:
            raise GenerationError(f"case {id}: {exc}") from None
    out = {
        "id": id,
        "clauses": list(clauses),
        "operation": operation,
        "inputs": inputs,
        "expected": expected,
        "tolerance": dict(tolerance),
        "provenance": provenance,
        "flags": sorted(flags),
    }
    for key in ("tutorial_value", "erratum", "expected_if", "expected_min", "note"):
        if key in extra:
            out[key] = extra.pop(key)
    if extra:
        raise TypeError(f"unknown case fields {sorted(extra)}")
    return out


def call_case(ref, id, clauses, operation, inputs, provenance, **options):
    """A case of one protocol call ``operation(*inputs.values())``, answered by the reference.

    ``expected`` is ``ref.<operation>`` on the inputs, checked against the oracle's
    exact answer on the same inputs (``oracle_value``); ``options`` go to ``case``.
    """
    args = list(inputs.values())
    expected = getattr(ref, operation)(*args)
    exact = oracle_value(operation, args)
    return case(id, clauses, operation, inputs, expected, provenance, exact=exact, **options)


def oracle_value(operation, args):
    """The oracle's exact answer: ``activate`` for S5-S10, the network's output for ``forward``."""
    if operation in ACTIVATIONS:
        return oracle.activate(operation, *args)
    if operation == "forward":
        return oracle.forward(*args)[0][-1]
    return getattr(oracle, operation)(*args)


def reject_case(ref, id, clauses, operation, inputs, reject, provenance, *, flags=()):
    """A must-reject case: the reference must raise its one-line input error on ``inputs``.

    ``reject`` says, in one line, the domain the inputs lie outside of (a FAIL's message
    quotes it). ``ref.<operation>`` returning a value is a GenerationError.
    """

    try:
        value = getattr(ref, operation)(*inputs.values())
    except InputError:
        pass
    else:
        raise GenerationError(f"case {id}: the reference returned {value!r} instead of raising")
    return {
        "id": id,
        "clauses": list(clauses),
        "operation": operation,
        "inputs": inputs,
        "reject": reject,
        "provenance": provenance,
        "flags": sorted({"must_reject", *flags}),
    }
