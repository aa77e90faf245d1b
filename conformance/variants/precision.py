"""The precision convention: float32 code is checked against tolerances it can meet.

The vectors' tolerances (``1e-10 + 1e-9 |e|`` and the like) are for float64.
Code that computes in float32, as most GPU code does, misses them by about
``1e-7`` relative, and by much more where the case is ill-conditioned
(``1 - beta2`` with ``beta2 = 0.999`` loses three digits; a deep network
amplifies its inputs' rounding). A fixed float32 tolerance is either too loose
for well-conditioned cases or fails correct code on ill-conditioned ones, so
the tolerance of each case is derived from float32's epsilon and that case's
own conditioning.

How the conditioning is estimated, and why this way. An analytic bound per
operation (``gamma_n sum |x_i W_ij|`` for a dot product, and so on) is exact
for ``linear`` but grows unwieldy for ``forward``, ``gradients`` and Adam, and
worst-case bounds over many layers are orders of magnitude too loose to catch
anything. Instead the reference is run (it is plain Python in float64, and
runs every vector in a few hundredths of a second) on the case's inputs

- rounded to float32: exactly the change a float32 implementation sees first;
- multiplied entry by entry by ``1 + d`` with ``d`` uniform in
  ``[-eps32, eps32]``, ``PERTURBATIONS`` times (seeded by the case id): the
  backward error of float32 arithmetic (Higham: a backward-stable float32
  computation equals the exact one on inputs perturbed by a few units of
  ``eps32``), hyperparameters included (Adam's defaults are added so they are
  perturbed too).

The largest change of any result entry, ``spread``, is ``kappa * eps32 * |y|``
measured where it matters. The float32 tolerance is then

    abs = max(abs64, SAFETY * spread),   rel = max(rel64, REL32)

``SAFETY`` covers what the sample misses: a perturbation is one draw of many,
and a dot product of length ``n`` has a backward error up to ``n`` units,
typically ``sqrt(n)``. It is 32 for operations built on sums of products
(``linear``, ``forward``, ``gradients``, an Adam trajectory) and 4 for
elementwise ones (activations, losses, one SGD or Adam step, Box-Muller),
whose float32 error is a few units. ``REL32 = 2 eps32`` covers the rounding of
each result to float32. Measured (``tests/conventions/test_precision.py``):
the numpy adapter computing in float32 passes every vector float32 can hold,
its largest ``error / tolerance`` being 0.30 (softmax-006), while it fails 234
of 284 under the float64 tolerances; and each mistake tried (the threshold
added, softmax's Jacobian cut to its diagonal, Adam's bias correction without
``t``) fails in float32 every case it fails in float64. A larger ``SAFETY``
hides mistakes: with 32 for the elementwise operations, three Adam cases
whose bias correction is wrong by 3e-6 pass.

Operations with a discontinuity (``step``, ``encode_applicant``) and cases at
a ReLU kink (flag ``relu_at_zero``) are not perturbed, since a perturbation
would cross the jump and make any answer pass; the rounded run is used, and
the spread is at least ``eps32 * max |y|`` in place of the sample.
A case whose inputs float32 cannot hold (a nonzero below float32's smallest
normal number, or above its largest) cannot be checked in float32 at all:
``unsupported`` says so in one line, to be reported as not provided.
"""

from __future__ import annotations

import copy
import math
import zlib
from functools import cache
from typing import Any

import numpy as np

from nnref import reference
from nnref.conformance.errors import NnrefError
from nnref.conformance.judge.compare import leaves
from nnref.conformance.protocol.operations import OPERATIONS, implementation_fns

EPS32 = float(np.finfo(np.float32).eps)
TINY32 = float(np.finfo(np.float32).tiny)
MAX32 = float(np.finfo(np.float32).max)
PERTURBATIONS = 8
#: Operations whose results go through sums of many products (dot products, layers).
COMPOSITE = ("linear", "forward", "gradients", "adam_trajectory")
SAFETY = {"composite": 32.0, "elementwise": 4.0}
REL32 = 2 * EPS32
#: Not perturbed: a relative change of eps32 could cross their jump.
DISCONTINUOUS = ("step", "encode_applicant")
ADAM_DEFAULTS = {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
PRECISIONS = ("float64", "float32")


def scaled_tolerance(tolerance: dict, case: dict, precision: str, fns: dict | None = None) -> dict:
    """The tolerance ``{"abs", "rel"}`` for ``case`` under ``precision`` (see the docstring).

    ``fns``: the callables that computed the case's expected value (the reference under the
    declared conventions, whose inputs are in the conventions' layout); default the
    reference itself. The conditioning is measured on them, at the case's own point."""
    if precision not in PRECISIONS:
        raise NnrefError(f"precision must be one of {', '.join(PRECISIONS)}, got {precision!r}")
    if precision == "float64":
        return dict(tolerance)
    safety = SAFETY["composite" if case["operation"] in COMPOSITE else "elementwise"]
    return {
        "abs": max(float(tolerance["abs"]), safety * _spread(case, fns or _reference())),
        "rel": max(float(tolerance["rel"]), REL32),
    }


def scaled_minimum(bound: float, precision: str) -> float:
    """An ``expected_min`` (cross-entropy where y_k = 0 and t_k = 1) in ``precision``.

    The vectors' bound, 690, is -ln(1e-300): a clamp at the smallest output float64 code
    may hold passes, one at 1e-15 does not. float32 holds nothing below about 1e-38, so its
    bound is -ln(1e-37) = 85.2 in the same spirit (a clip at float32's epsilon, 1e-7, fails)."""
    if precision == "float32":
        return round(bound * math.log(1e-37) / math.log(1e-300), 1)
    return bound


def unsupported(case: dict, precision: str) -> str | None:
    """Why ``case`` cannot be checked under ``precision`` (one line), or None."""
    if precision != "float32":
        return None
    for path, value in _numbers(case["inputs"], ()):
        if value != 0 and not TINY32 <= abs(value) <= MAX32:
            where = case["operation"] + "".join(_part(p) for p in path)
            return f"input {where} = {value!r} is outside float32's range (normal numbers)"
    return None


def _part(p) -> str:
    return f"[{p}]" if isinstance(p, int) else f".{p}" if isinstance(p, str) else str(p)


def _spread(case: dict, fns: dict) -> float:
    """The largest change of a result entry over the rounded and the perturbed runs."""
    base = _result(case, case["inputs"], fns)
    if base is None:
        return 0.0
    runs = [_rounded(case["inputs"])]
    spread = 0.0
    if case["operation"] in DISCONTINUOUS or "relu_at_zero" in case.get("flags", ()):
        spread = EPS32 * float(np.max(np.abs(base), initial=0.0))  # no sample: eps32 * |y|
    else:
        rng = np.random.default_rng(zlib.crc32(case["id"].encode()))
        inputs = _with_defaults(case)
        runs += [_perturbed(inputs, rng) for _ in range(PERTURBATIONS)]
    for inputs in runs:
        got = _result(case, inputs, fns)
        if got is not None and got.shape == base.shape:
            diff = np.abs(got - base)
            spread = max(spread, float(np.max(diff[np.isfinite(diff)], initial=0.0)))
    return spread


def _result(case: dict, inputs: dict, fns: dict) -> np.ndarray | None:
    """The reference's result for ``inputs``, flattened; None if it raises."""

    try:
        got = OPERATIONS[case["operation"]].call(fns, copy.deepcopy(inputs))
        parts = leaves(case["operation"], case["expected"], got)
    except Exception:  # a perturbed input outside the domain: that run says nothing
        return None
    return np.concatenate([np.asarray(g, dtype=np.float64).reshape(-1) for _, _, g in parts])


@cache
def _reference() -> dict:
    """The reference's protocol callables (the expected answers are computed with them)."""
    return implementation_fns(reference)


def _with_defaults(case: dict) -> dict:
    if case["operation"] in ("adam_step", "adam_trajectory"):
        return {**ADAM_DEFAULTS, **case["inputs"]}
    return case["inputs"]


def _rounded(value: Any) -> Any:
    return _map_floats(value, lambda v: float(np.float32(v)))


def _perturbed(value: Any, rng: np.random.Generator) -> Any:
    return _map_floats(value, lambda v: v * (1.0 + rng.uniform(-EPS32, EPS32)))


def _map_floats(value: Any, fn) -> Any:
    """``value`` with ``fn`` applied to every float (ints, booleans and strings kept)."""
    if isinstance(value, float) and math.isfinite(value):
        return fn(value)
    if isinstance(value, dict):
        return {key: _map_floats(item, fn) for key, item in value.items()}
    if isinstance(value, list):
        return [_map_floats(item, fn) for item in value]
    return value


def _numbers(value: Any, path: tuple):
    if isinstance(value, float):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _numbers(item, (*path, key))
    elif isinstance(value, list):
        for k, item in enumerate(value):
            yield from _numbers(item, (*path, k))
