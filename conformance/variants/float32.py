"""Results computed in float32, told apart from mistakes, and the rest diagnosed under it.

Code that computes in float32 (Keras's default, JAX's without x64, torch after
``set_default_dtype(torch.float32)``) misses the vectors' float64 tolerances on almost
every case; with nothing declared, every such failure looked like an unknown mistake and
the real differences drowned among them. Two signs give float32 away:

- the values: a float32 number converted to a Python float is a float32 number exactly,
  while a float64 computation almost never lands on one (24 of 53 bits). Only values that
  need more than float16's 11 bits count as evidence, so 0, 1 or 0.5 say nothing;
- the errors: relative errors near float32's epsilon (``runner.conventions.float32_hint``).

``rediagnose`` then judges the failures again under ``precision=float32`` (each case's
float32 tolerance, ``conventions.precision``): those that pass were float32's rounding;
the others are diagnosed under that precision, so a bias or a clip is still named.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nnref.conformance.judge.verdict import judge
from nnref.conformance.variants.adapt import knobs_of, with_precision

#: Values needing more than float16's precision before the evidence counts, and the share
#: of them that must be float32 numbers exactly.
MIN_EVIDENCE = 20
SHARE = 0.95


def _numbers(value, out: list) -> list:
    """Every number in a result (nested lists, tuples, dicts of them, arrays)."""
    if isinstance(value, dict):
        for item in value.values():
            _numbers(item, out)
    elif isinstance(value, list | tuple):
        for item in value:
            _numbers(item, out)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        out.append(float(value))
    elif hasattr(value, "__array__"):
        out.extend(np.asarray(value, dtype=float).ravel().tolist())
    return out


def float32_valued(results) -> bool:
    """True when the failing results' informative values are float32 numbers exactly."""
    numbers: list = []
    for r in results:
        if r.status == "FAIL" and r.got is not None:
            _numbers(r.got, numbers)
    v = np.asarray(numbers, dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        v = v[np.isfinite(v) & (v != 0)]
        informative = v[v.astype(np.float16).astype(np.float64) != v]
        exact32 = informative.astype(np.float32).astype(np.float64) == informative
    return informative.size >= MIN_EVIDENCE and float(exact32.mean()) >= SHARE


@dataclass
class Rediagnosis:
    """The failures under float32: how many pass there, the diagnosis of the others."""

    passing: list[str] = field(default_factory=list)
    still_failing: list = field(default_factory=list)
    cases: dict = field(default_factory=dict)  # id -> the case with float32's tolerance
    note: str = ""


def rediagnose(results, cases: list[dict], options) -> Rediagnosis:
    """Judge every failing result again under float32's tolerance for its case."""

    k = knobs_of(options.in_force())
    by_id = {c["id"]: c for c in cases}
    out = Rediagnosis()
    for r in results:
        case = by_id.get(r.id)
        if case is None or r.status not in ("FAIL", "ERROR"):
            continue
        case32 = out.cases[r.id] = with_precision(case, "float32", k)
        if r.status == "ERROR" or r.got is None:
            out.still_failing.append(r)
        elif case32.get("not_checkable"):
            out.passing.append(r.id)  # float32 cannot hold its inputs: not a mistake to name
        else:
            again = judge(case32, r.got, options)
            if again.status == "PASS":
                out.passing.append(r.id)
            else:
                out.still_failing.append(again)
    return out
