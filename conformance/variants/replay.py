"""Replaying one case through a variant, and asking whether two answers agree within tolerance.

``answer(knobs, case)`` is what an implementation with those knobs returns on
the case's inputs, in the vectors' ``expected`` form (None when it raises).
``agrees(case, a, b)`` compares entry by entry with the case's tolerance;
a NaN agrees with a NaN and an infinity with the same infinity, because a
variant that overflows reproduces an implementation that overflows.
"""

from __future__ import annotations

import copy
from functools import lru_cache

import numpy as np

from conformance.runner.compare import Malformed, ShapeMismatch
from conformance.runner.operations import OPERATIONS, leaves
from conformance.variants.knobs import Knobs
from conformance.variants.model import protocol


@lru_cache(maxsize=512)
def _fns(k: Knobs) -> dict:
    return protocol(k)


def answer(k: Knobs, case: dict):
    """The variant's answer to ``case`` in the form of ``case['expected']``; None if it raises."""
    op = case["operation"]
    if op not in OPERATIONS or op == "encode_applicant":
        return None
    try:
        out = OPERATIONS[op].call(_fns(k), copy.deepcopy(case["inputs"]))
    except Exception:  # the variant cannot compute this case (a shape error, ln 0, ...)
        return None
    if op == "adam_step":
        return dict(zip("wmv", out))
    return out


def agrees(case: dict, value, got, tolerance: dict | None = None) -> bool:
    """True when ``got`` equals ``value`` (an expected-form answer) within the tolerance."""
    if value is None or got is None:
        return False
    tol = tolerance or case["tolerance"]
    try:
        pairs = leaves(case["operation"], value, got)
    except (Malformed, ShapeMismatch, TypeError, ValueError, KeyError):
        return False
    with np.errstate(invalid="ignore", over="ignore"):
        for _, e, g in pairs:
            same = (e == g) | (np.isnan(e) & np.isnan(g))
            close = np.abs(g - e) <= tol["abs"] + tol["rel"] * np.abs(e)
            if not np.all(same | close):
                return False
    return True
