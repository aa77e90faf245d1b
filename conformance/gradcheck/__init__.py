"""A gradient checker for anyone's code: ``gradcheck(f, x, grad)``.

    >>> import numpy as np
    >>> from conformance.gradcheck import gradcheck
    >>> W = np.array([[1.0, 2.0], [3.0, 4.0]])
    >>> result = gradcheck(lambda p: float(np.sum(p["W"] ** 3)), {"W": W}, {"W": 3 * W**2})
    >>> bool(result)
    True

Modules: ``inputs`` (flattening and names), ``problem`` (calling ``f`` and the
forms of ``grad``), ``stencils`` (differences, tolerance, kinks), ``full`` (every
entry), ``fast`` (random directions and localization), ``report`` (the result),
``options`` (defaults and the error model behind them).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from conformance.gradcheck.diagnose import transposed_arrays
from conformance.gradcheck.errors import GradcheckInputError
from conformance.gradcheck.fast import fast_check
from conformance.gradcheck.full import Context, check_entries
from conformance.gradcheck.inputs import flatten
from conformance.gradcheck.options import Options, precision_for
from conformance.gradcheck.problem import Analytic, Evaluator, vjp
from conformance.gradcheck.report import Entry, GradcheckResult, sort_worst_first

__all__ = ["Entry", "GradcheckInputError", "GradcheckResult", "Options", "gradcheck", "vjp"]


def gradcheck(
    f: Any, x: Any, grad: Any, *, name: str | None = None, **options: Any
) -> GradcheckResult:
    """Check an analytic gradient (or Jacobian) against finite differences of ``f``.

    Args:
        f: a function of the parameters. It receives them in the structure ``x``
            has (lists of floats, float64 arrays, float64 tensors, dicts) and returns
            either a scalar (the gradient is checked) or an array-like of any shape
            (the Jacobian is checked, output by output). numpy arrays arrive
            read-only (views on the probe point, no copy): an ``f`` that writes
            into its argument gets a clear error.
        x: the point: a number, a flat or nested list, a numpy array, a torch
            tensor, a dict of named arrays (``{"W1": ..., "b1": ...}``), or a list of
            such dicts (the protocol's layers; non-numeric entries like
            ``"activation"`` pass through unchanged). Failing entries are named
            ``W1[3][7]`` or ``layers[0].W[3][7]``.
        grad: the analytic derivative at ``x``, in one of these forms:

            - **a gradient** (scalar ``f``): laid out like ``x`` (e.g. a list of
              ``{"W": dW, "b": db}`` dicts for the protocol's layers) or a flat array
              of ``n`` numbers in ``x``'s order;
            - **a Jacobian** (vector ``f`` with ``m`` outputs): an array of ``m x n``
              numbers (``(m, n)`` or ``(*f_shape, *x_shape)``), or a list of ``m``
              gradients laid out like ``x``;
            - **a callable** ``grad(x)`` returning one of the above;
            - **a vector-Jacobian product** ``vjp(fn)`` with ``fn(x, w) = w^T J``
              (``w`` shaped like ``f``'s output); the Jacobian is then built from
              ``m`` calls in full mode and one call per direction in fast mode.

            Lists, numpy arrays and torch tensors are all accepted.
        name: the name of a top-level list or array in reports (default ``x``, or
            ``layers`` for a list of dicts).
        **options: any field of :class:`Options`: ``method`` (``"central"`` or
            ``"richardson"``), ``atol`` (0), ``rtol`` (1e-6),
            ``roundoff_factor`` (64), ``kinks`` (``"lenient"`` / ``"strict"``),
            ``fast`` (False), ``directions`` (3), ``max_report`` (10), ``seed`` (0).
            The defaults and the error model behind them are in
            ``conformance.gradcheck.options``.

    Returns:
        A :class:`GradcheckResult`: ``bool(result)`` is the verdict (no failing and no
        non-finite entry); ``print(result)`` shows the report (a table of failing
        entries by name with analytic, numeric, absolute and relative error and the
        tolerance, the counts checked / failed / kinks / non-finite, the options
        and the seed). An entry whose one-sided differences disagree (the probes
        straddle a kink such as ReLU at 0) is counted as a kink, not a failure.

    Raises:
        GradcheckInputError: ``x``, ``f`` or ``grad`` cannot be used (one line says why),
            including ``f`` or ``grad`` raising.

    Full mode costs ``2 n + 1`` evaluations of ``f`` (``4 n + 1`` with Richardson)
    plus two for each entry that needs a second look. Fast mode costs about
    ``2 * directions + 1`` whatever ``n`` (see ``conformance.gradcheck.fast`` for
    the probability that it passes a wrong gradient), plus the localization of
    failures, about ``4 log2(n / 8) + 16`` evaluations per wrong entry.
    """
    opts = Options(**_known(options))
    opts.validate()
    flat = flatten(x, prefix=name)
    ev = Evaluator(f, flat)
    f0 = ev.start()
    analytic = Analytic(grad, flat, ev)
    scale = float(np.max(np.abs(analytic.matrix()))) if analytic.form != "vjp" else 0.0
    precision = precision_for(opts, ev.f_float32, analytic.float32, scale, flat.float32)
    result = GradcheckResult(
        passed=False,
        mode="fast" if opts.fast else "full",
        options=opts,
        precision=precision,
        x_summary=_x_summary(flat),
        f_summary="scalar" if ev.m == 1 else f"vector of shape {ev.out_shape} ({ev.m} outputs)",
        grad_form=analytic.form,
    )
    if ev.as_float32:
        result.notes.append("f rejected float64 input; it was evaluated with float32 input")
    if not np.all(np.isfinite(f0)):
        bad = [ev.output_name(k) for k in np.nonzero(~np.isfinite(f0))[0][:5]]
        result.nonfinite = int(np.sum(~np.isfinite(f0)))
        result.notes.append(
            f"f(x) is not finite ({', '.join(bad)} = {f0[~np.isfinite(f0)][0]}); nothing checked"
        )
        return _finish(result, ev, analytic)
    ctx = Context(ev, flat, f0, analytic, opts, precision)
    if opts.fast:
        outcome, directions, notes = fast_check(ctx, np.random.default_rng(opts.seed))
        result.directions, result.notes = directions, result.notes + notes
        unexplained = any(d.status in ("failed", "non-finite") for d in directions) and not (
            outcome.failures or outcome.nonfinite or outcome.kinks
        )
    else:
        outcome, unexplained = check_entries(ctx), False
    result.checked = outcome.checked
    result.max_abs_err, result.max_rel_err = outcome.max_abs_err, outcome.max_rel_err
    kink_directions = sum(d.status == "kink" for d in result.directions)
    result.failed, result.kinks = len(outcome.failures), len(outcome.kinks) + kink_directions
    result.nonfinite = len(outcome.nonfinite)
    result.failures = sort_worst_first(outcome.failures)
    if not opts.fast and ev.m == 1 and outcome.failures and len(outcome.failures) <= 1000:
        result.hints = transposed_arrays(flat, analytic.matrix()[0], outcome.failures)
    result.kink_entries = sorted(outcome.kinks, key=lambda e: (e.index, e.output))[:1000]
    result.nonfinite_entries = outcome.nonfinite[:1000]
    result.passed = not (outcome.failures or outcome.nonfinite or unexplained)
    return _finish(result, ev, analytic)


def _finish(result: GradcheckResult, ev: Evaluator, analytic: Analytic) -> GradcheckResult:
    result.evaluations, result.grad_calls = ev.count, analytic.calls
    return result


def _known(options: dict) -> dict:
    fields = set(Options.__dataclass_fields__)
    unknown = sorted(set(options) - fields)
    if unknown:
        raise GradcheckInputError(
            f"unknown option {unknown[0]!r}; options are {', '.join(sorted(fields))}"
        )
    return options


def _x_summary(flat) -> str:
    labels = [flat.leaf_label(leaf) for leaf in flat.leaves]
    shown = ", ".join(labels[:6]) + (f", ... ({len(labels)} arrays)" if len(labels) > 6 else "")
    return f"{flat.n} entries: {shown}" + (" [float32]" if flat.float32 else "")
