"""Replaying one case through a variant, and asking whether two answers agree within tolerance.

``answer(knobs, case)`` is what an implementation with those knobs returns on
the case's inputs, as a list of float arrays (one per result part: each dW and
db, or w, m, v), or None when the variant cannot compute it. ``arrays(op,
value)`` brings any answer (lists, tuples, numpy arrays, tensors, results-file
dicts) to that form; ``agree(a, b, tol)`` compares two of them entry by entry:
a NaN agrees with a NaN and an infinity with the same infinity, because a
variant that overflows reproduces an implementation that overflows.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from nnref.conformance.protocol.numbers import Malformed, to_array
from nnref.conformance.protocol.operations import OPERATIONS, triple
from nnref.conformance.variants.knobs import Knobs
from nnref.conformance.variants.mutant import ShapeError, protocol

#: The answer of a call that cannot be made for its shapes (a variant's, or an
#: implementation's shape error): it agrees only with itself.
SHAPE = "shape error"


@lru_cache(maxsize=512)
def variant_fns(k: Knobs) -> dict:
    return protocol(k)


#: (knobs, case id) -> (the case object, its answer); vectors are loaded once and never modified.
_ANSWERS: dict = {}


def answer(k: Knobs, case: dict):
    """The variant's answer to ``case`` as arrays; None if it raises.

    The variants never modify their arguments (they are the project's own code), so the
    inputs are not copied; answers are remembered per case object."""
    key = (k, case["id"])
    kept = _ANSWERS.get(key)
    if kept is not None and kept[0] is case:
        return kept[1]
    value = _compute(k, case)
    if len(_ANSWERS) > 50_000:
        _ANSWERS.clear()
    _ANSWERS[key] = (case, value)
    return value


def _compute(k: Knobs, case: dict):
    op = case["operation"]
    if op not in OPERATIONS or op == "encode_applicant":
        return None
    try:
        return arrays(op, OPERATIONS[op].call(variant_fns(k), case["inputs"]))
    except ShapeError:
        return SHAPE
    except Exception:  # the variant cannot compute this case (ln 0, ...)
        return None


def arrays(op: str, value) -> list[np.ndarray] | None:
    """The numbers of an answer, part by part, as float arrays (size-1 parts as scalars)."""
    if value is SHAPE:
        return SHAPE
    try:
        parts = _parts(op, value)
        out = [to_array(p, op) for p in parts]
    except (Malformed, TypeError, KeyError, IndexError, ValueError):
        return None
    return [a.reshape(()) if a.size == 1 else a for a in out]


def _parts(op: str, value) -> list:
    if op == "gradients":
        if isinstance(value, dict | str):
            raise TypeError
        return [part for layer in value for part in (layer["W"], layer["b"])]
    if op == "adam_step":
        return list(triple(value, op))
    if op == "adam_trajectory":
        return [part for step in value for part in triple(step, op)]
    return [value]


def agree(a: list | None, b: list | None, tol: dict) -> bool:
    """True when the answers ``a`` and ``b`` (from ``arrays``) agree within ``tol`` everywhere."""
    if a is SHAPE or b is SHAPE:
        return a is b
    if a is None or b is None or len(a) != len(b):
        return False
    with np.errstate(invalid="ignore", over="ignore"):
        for x, y in zip(a, b):
            if x.shape != y.shape:
                return False
            same = (x == y) | (np.isnan(x) & np.isnan(y))
            finite = np.isfinite(x) & np.isfinite(y)  # inf is near nothing but inf
            close = finite & (np.abs(y - x) <= tol["abs"] + tol["rel"] * np.abs(x))
            if not np.all(same | close):
                return False
    return True
