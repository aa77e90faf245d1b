"""One-line notes that name the likely cause when failures share it.

- ReLU'(0) (S8): the tutorial uses 1, many libraries 0. When every failure is
  a case flagged ``relu_at_zero`` and each passes against the other
  convention's expected value, the implementation differs only there.
- log10 cross-entropy (E1): every failing cross-entropy is smaller by 1/ln 10,
  as the value the tutorial printed for D_ce.
- threshold sign (S1): every failing weighted sum is xW + b.
- float32: every failure is a difference of float32 size.
- plain lists: calls fail with TypeErrors about lists (code written for arrays).
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from conformance.runner.model import ERROR, FAIL, CaseResult, Options
from conformance.runner.run_vectors import judge


def log10_hint(results: list[CaseResult], cases: dict[str, dict]) -> str | None:
    """One line when every failing cross-entropy case is off by exactly the factor 1/ln 10 (E1)."""
    failing = [r for r in results if r.status == FAIL and r.operation == "cross_entropy"]
    if not failing:
        return None
    for r in failing:
        got, want = _number(r.got), _number(cases[r.id]["expected"])
        if got is None or not want or abs(got / want - 1 / math.log(10)) > 1e-9:
            return None
    return (
        f"all {len(failing)} failing cross-entropy cases are too small by the factor 1/ln 10: "
        "this cross-entropy uses log10, like the value the tutorial printed for D_ce "
        "(erratum E1); cross-entropy uses the natural log (S14)"
    )


def threshold_sign_hint(results: list[CaseResult], cases: dict[str, dict]) -> str | None:
    """One line when every failing weighted sum is xW + b instead of xW - b (S1)."""
    failing = [r for r in results if r.status == FAIL and r.operation == "linear"]
    if not failing:
        return None
    for r in failing:
        case = cases[r.id]
        added = np.asarray(case["expected"]) + 2 * np.asarray(case["inputs"]["b"])
        try:
            got = np.asarray(r.got, dtype=float)
        except (TypeError, ValueError):
            return None
        if got.shape != added.shape or not np.allclose(got, added, rtol=1e-9, atol=1e-10):
            return None
    return (
        f"all {len(failing)} failing weighted sums equal xW + b: the threshold is subtracted, "
        "u = xW - b (S1), and the sign carries into forward and the threshold gradients (S20)"
    )


def float32_hint(results: list[CaseResult]) -> str | None:
    """One line when every failure is a small numeric difference, as float32 arithmetic gives."""
    bad = [r for r in results if r.status in (FAIL, ERROR)]
    if not bad or any(r.status == ERROR or r.kind != "vector" for r in bad):
        return None
    if all(_float32_sized(r) for r in bad):
        return (
            f"all {len(bad)} failures are differences of float32 size (relative error < 1e-5): "
            "is the implementation computing in float32? The vectors expect float64"
        )
    return None


def _float32_sized(r: CaseResult) -> bool:
    """Relative error < 1e-5 and absolute error < 1e-3 (the vectors' values are at most ~1e3)."""
    if r.max_rel_err is None or r.max_abs_err is None:
        return False
    return r.max_rel_err < 1e-5 and r.max_abs_err < 1e-3


def list_arguments_hint(results: list[CaseResult]) -> str | None:
    """One line when calls fail with TypeErrors about lists: the protocol passes plain lists."""
    about_lists = [
        r
        for r in results
        if r.status == ERROR and "raised TypeError" in r.message and "'list'" in r.message
    ]
    if not about_lists:
        return None
    return (
        f"{len(about_lists)} errors are TypeErrors about lists: the protocol passes plain "
        "Python lists of floats (W as a list of rows); convert them, e.g. numpy.asarray(W)"
    )


def _number(value) -> float | None:
    try:
        return float(np.asarray(value, dtype=float).reshape(()))
    except (TypeError, ValueError):
        return None


def relu_hint(results: list[CaseResult], cases: dict[str, dict], options: Options) -> str | None:
    """One line when the failures are exactly the ReLU'(0) cases and pass the other way."""
    bad = [r for r in results if r.status in (FAIL, ERROR)]
    if not bad or any(r.status == ERROR or "relu_at_zero" not in r.flags for r in bad):
        return None
    other = 0.0 if float(options.relu_grad_at_zero) == 1.0 else 1.0
    flipped = replace(options, relu_grad_at_zero=other)
    if not all(judge(cases[r.id], r.got, flipped).status == "PASS" for r in bad):
        return None
    value = "0" if other == 0.0 else "1"
    tutorial = " (the tutorial's S8 convention is ReLU'(0) = 1)" if other == 0.0 else ""
    return (
        f"all {len(bad)} failures are ReLU'(0) cases and they pass with ReLU'(0) = {value}: "
        f"this implementation uses ReLU'(0) = {value}{tutorial}; "
        f"rerun with --relu-grad-at-zero {value} to check it under that convention"
    )
