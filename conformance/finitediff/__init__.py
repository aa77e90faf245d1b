"""A gradient checker for anyone's code: ``gradcheck(f, x, grad)``.

    >>> import numpy as np
    >>> from nnref.conformance.finitediff import gradcheck
    >>> W = np.array([[1.0, 2.0], [3.0, 4.0]])
    >>> result = gradcheck(lambda p: float(np.sum(p["W"] ** 3)), {"W": W}, {"W": 3 * W**2})
    >>> bool(result)
    True

Modules: ``inputs`` (flattening and names), ``problem`` (calling ``f`` and the
forms of ``grad``), ``stencils`` (differences, tolerance, kinks), ``full`` (every
entry), ``fast`` (random directions and localization), ``result`` (the result and its printed form),
``diagnose`` (hints: constant factors, transposed arrays), ``autograd`` (the
gradient from torch's or JAX's autograd when no ``grad`` is given), ``options``
(defaults and the error model behind them), ``selfcheck`` (``nnref gradcheck``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnref.conformance.errors import GradcheckInputError
from nnref.conformance.finitediff.autograd import framework_of, from_framework
from nnref.conformance.finitediff.fast import fast_check
from nnref.conformance.finitediff.full import Context, Outcome
from nnref.conformance.finitediff.hints import (
    conjugated,
    constant_factor_hints,
    diagonal_only,
    transposed_arrays,
)
from nnref.conformance.finitediff.inputs import flatten
from nnref.conformance.finitediff.noisy import check_all
from nnref.conformance.finitediff.outputs import OneOutput, OneOutputAnalytic
from nnref.conformance.finitediff.problem import Analytic, Evaluator, vjp
from nnref.conformance.finitediff.result import Entry, GradcheckResult, sort_worst_first
from nnref.conformance.finitediff.second import check_order, first_derivative, output_labels
from nnref.conformance.finitediff.settings import GradcheckOptions, precision_for

__all__ = [
    "Entry",
    "GradcheckInputError",
    "GradcheckOptions",
    "GradcheckResult",
    "gradcheck",
    "vjp",
]


def gradcheck(
    f: Any,
    x: Any,
    grad: Any = None,
    *,
    name: str | None = None,
    method: str = "central",
    atol: float = 0.0,
    rtol: float = 1e-6,
    roundoff_factor: float = 64.0,
    kinks: str = "lenient",
    fast: bool = False,
    directions: int = 2,
    max_report: int = 10,
    seed: int = 0,
    order: int = 1,
) -> GradcheckResult:
    """Check an analytic gradient (or Jacobian) against finite differences of ``f``.

    Args:
        f: a function of the parameters. It receives them in the structure ``x``
            has (lists of floats, float64 arrays, float64 tensors, dicts) and returns
            either a scalar (the gradient is checked) or an array-like of any shape
            (the Jacobian is checked, output by output), or several outputs: a
            tuple, a dict or a pytree of them, each checked on its own scale and
            named ``f[1]["h"][2] wrt W[0][1]`` (``nnref.conformance.finitediff.outputs``).
            numpy arrays arrive
            read-only (views on the probe point, no copy): an ``f`` that writes
            into its argument gets a clear error.
        x: the point: a number, a flat or nested list, a numpy array, a torch
            tensor, a JAX array (real or complex: a complex entry is checked as its real
            and imaginary parts, ``z[3].real`` and ``z[3].imag``, and its gradient
            written as torch writes it, ``df/da + i df/db``), a dict of named arrays
            (``{"W1": ..., "b1": ...}``), or a list of such dicts (the protocol's
            layers; non-numeric entries like ``"activation"`` pass through unchanged).
            Failing entries are named ``W1[3][7]`` or ``layers[0].W[3][7]``.
        grad: the analytic derivative at ``x``, in one of these forms:

            - **nothing** (``None``, the default) for a torch or JAX ``f``: the
              framework's own autograd supplies it, as ``torch.autograd.gradcheck``
              does, so a custom ``torch.autograd.Function`` or a JAX ``custom_vjp``
              is checked in one line, ``gradcheck(f, x)`` (see
              ``nnref.conformance.finitediff.autograd``);
            - **a gradient** (scalar ``f``): laid out like ``x`` (e.g. a list of
              ``{"W": dW, "b": db}`` dicts for the protocol's layers), each array of
              its parameter's shape, or a flat array of ``n`` numbers in ``x``'s order;
            - **a Jacobian** (vector ``f`` with ``m`` outputs): an array of shape
              ``(m, n)``, ``(*f_shape, n)`` or ``(*f_shape, *x_shape)``, or a list of
              ``m`` gradients laid out like ``x``;
            - **a callable** ``grad(x)`` returning one of the above;
            - **a vector-Jacobian product** ``vjp(fn)`` with ``fn(x, w) = w^T J``
              (``w`` shaped like ``f``'s output); the Jacobian is then built from
              ``m`` calls in full mode and one call per direction in fast mode.

            Lists, numpy arrays and torch tensors are all accepted. Shapes are
            compared, not sizes: a ``(3, 2)`` gradient for a ``(2, 3)`` parameter is
            a one-line error.
        name: the name of a top-level list or array in reports (default ``x``, or
            ``layers`` for a list of dicts).
        method: ``"central"`` (default; two evaluations of ``f`` per entry, step
            ``eps^(1/3) * max(1, |x_i|)``, the step that balances truncation against
            rounding in float64) or ``"richardson"`` (fourth order, four evaluations
            per entry, for functions whose third derivative is large).
        atol: absolute tolerance, default 0: the checker has no absolute scale of
            its own, so a function whose values are 1e-12 is checked as strictly as
            one whose values are 1 (torch's ``atol=1e-5`` passes any gradient of a
            function that small). Raise it when ``f``'s value comes from
            cancellation of large terms.
        rtol: relative tolerance on ``max(|analytic|, |numeric|)``, default 1e-6:
            ten thousand times the truncation error of a function with derivatives
            of order one, so a correct gradient never fails, yet an error of one
            part in a million is caught (torch's ``rtol=1e-3`` lets 0.1 % through).
        roundoff_factor: the tolerance's floor is ``roundoff_factor * eps_f *
            max|f| / h`` (the rounding of two values of ``f`` divided by the step);
            default 64 lets ``f`` lose six bits to rounding (sums of a few hundred
            terms), at the function's own scale.
        kinks: ``"lenient"`` (default): an entry whose one-sided differences
            disagree (the probes straddle a kink, such as ReLU at 0) is a kink,
            counted and listed, not a failure, when its analytic value lies in
            the one-sided range ``[min(left, right), max(left, right)]`` (within
            the tolerance); outside that range it fails (ReLU'(0) = -0.01 fails).
            ``"strict"`` accepts a kink only when the analytic value is one of
            the two one-sided derivatives.
        fast: default False (every entry, the verdict names them all). True
            checks ``directions`` random directional derivatives, each at a step
            chosen from the noise of ``f`` (``4 * directions + 1`` evaluations whatever
            ``n``, plus 4 where a direction needs a second step), then bisects along a
            failing direction; it fails only when an entry outside its own tolerance
            is named (errors spread over many entries, each within tolerance, pass as
            in full mode). A pass states
            ``detects``: any single entry off by more than that would have failed,
            for certain, with the directions drawn (``nnref.conformance.finitediff.fast``).
        directions: random directions in fast mode, default 2: one plain (a common
            factor), then for a scalar ``f`` directions orthogonal to the gradient,
            whose tolerance is the measured noise, not ``rtol |analytic|``. A single wrong
            entry above the stated ``detects`` is never missed; an error spread
            over many entries is missed by one direction with probability at
            most ``2 sqrt(n) tol / max_i |e_i|`` (``e`` the error, ``tol`` the
            direction's tolerance), by ``k`` directions at most its ``k``-th power.
        max_report: failing entries listed in the report (default 10; the counts
            are always exact).
        seed: seeds every random choice (default 0): the same seed gives the same
            report.
        order: 1 (default) checks the derivative; 2 checks the derivative of the
            gradient, as ``torch.autograd.gradgradcheck`` does: ``f`` must be a
            scalar torch or JAX function and ``grad`` None; the gradient that
            its backward computes is differentiated again by autograd and
            compared with finite differences of that gradient, entry
            ``df/dx[i] wrt x[j]`` (``nnref.conformance.finitediff.second``).

    Returns:
        A :class:`GradcheckResult`: ``bool(result)`` is the verdict (no failing and no
        non-finite entry); ``print(result)`` shows the report (a table of failing
        entries by name with analytic, numeric, absolute and relative error and the
        tolerance, the counts checked / failed / kinks / non-finite, hints naming a
        pattern with its usual causes, the options and the seed). An entry whose
        one-sided differences disagree is counted as a kink, not a failure.

    Raises:
        GradcheckInputError: ``x``, ``f`` or ``grad`` cannot be used (one line says why),
            including ``f`` or ``grad`` raising, a gradient of the wrong shape, and
            no ``grad`` for an ``f`` that is neither torch nor JAX.

    Full mode costs ``2 n + 1`` evaluations of ``f`` (``4 n + 1`` with Richardson)
    plus two for each entry that needs a second look. A passing fast-mode check of a
    scalar ``f`` costs one backward pass and ``1 + 4 * directions`` evaluations of ``f``
    (9 by default; ``5 + 4 * directions`` when the first orthogonal direction bends at its
    predicted step or the step is chosen from ``eps^(1/3)``; more when a direction needs a
    second look) whatever ``n``; a failure is localized in about ``4 log2(n)`` more
    (``nnref.conformance.finitediff.fast`` says how). The error model behind the defaults
    is in ``nnref.conformance.finitediff.settings``.
    """
    opts = GradcheckOptions(
        method=method,
        atol=atol,
        rtol=rtol,
        roundoff_factor=roundoff_factor,
        kinks=kinks,
        fast=fast,
        directions=directions,
        max_report=max_report,
        seed=seed,
    )
    opts.validate()
    if check_order(order) == 2:
        return _second_order(f, x, grad, opts, name)
    return _check(f, x, grad, opts, name)


def _second_order(f, x, grad, opts: GradcheckOptions, name) -> GradcheckResult:
    if grad is not None:
        raise GradcheckInputError(
            "order=2 takes both derivatives from torch's or JAX's autograd: pass no grad"
        )
    flat = flatten(x, prefix=name)
    ev = Evaluator(f, flat)
    ev.start()
    g = first_derivative(f, flat, framework_of(flat, ev.first_output))
    result = _check(g, x, None, opts, name, labels=output_labels(flat))
    result.f_summary = f"the gradient of f, by its backward ({flat.n} outputs): order 2"
    if g.detached:
        result.notes.append(
            "the gradient does not depend on x through autograd (f is linear, or its backward "
            "computes from detached values): its derivative is taken as 0"
        )
    return result


def _check(f, x, grad, opts: GradcheckOptions, name, labels=None) -> GradcheckResult:
    flat = flatten(x, prefix=name)
    ev = Evaluator(f, flat, labels)
    f0 = ev.start()
    form = None
    if grad is None:
        grad, form, framework_ev = from_framework(f, flat, ev)
        if framework_ev is not ev:  # JAX: f runs again, in 64-bit mode
            ev, f0 = framework_ev, framework_ev.start()
            ev.labels = labels
    analytic = Analytic(grad, flat, ev)
    analytic.form = form or analytic.form
    scale = _abs_max(analytic.matrix()) if analytic.form != "vjp" else 0.0
    precision = precision_for(opts, ev.f_float32, analytic.float32, scale, flat.float32)
    result = GradcheckResult(
        passed=False,
        mode="fast" if opts.fast else "full",
        options=opts,
        precision=precision,
        x_summary=_x_summary(flat),
        f_summary=_f_summary(ev),
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
        outcome, directions, notes = _fast(ctx, np.random.default_rng(opts.seed))
        result.directions, result.notes = directions, result.notes + notes
        unexplained = any(d.status in ("failed", "non-finite") for d in directions) and not (
            outcome.failures or outcome.nonfinite or outcome.kinks
        )
    else:
        (outcome, ctx), unexplained = check_all(ctx, np.random.default_rng(opts.seed)), False
        result.precision = ctx.precision
    result.checked = outcome.checked
    result.max_abs_err, result.max_rel_err = outcome.max_abs_err, outcome.max_rel_err
    kink_directions = sum(d.status == "kink" for d in result.directions)
    result.failed, result.kinks = len(outcome.failures), len(outcome.kinks) + kink_directions
    result.nonfinite, result.below_floor = len(outcome.nonfinite), outcome.below_floor
    result.failures = sort_worst_first(outcome.failures)
    result.hints = (
        diagonal_only(ev.m, flat.n, outcome.failures)
        or conjugated(flat, outcome.failures)
        or constant_factor_hints(flat, outcome.failures)
    )
    if not opts.fast and ev.m == 1 and outcome.failures and len(outcome.failures) <= 1000:
        result.hints += transposed_arrays(flat, analytic.matrix()[0], outcome.failures)
    result.outputs = _per_output(ev, outcome)
    result.kink_entries = sorted(outcome.kinks, key=lambda e: (e.index, e.output))[:1000]
    result.nonfinite_entries = outcome.nonfinite[:1000]
    result.passed = not (outcome.failures or outcome.nonfinite or unexplained)
    if opts.fast and result.passed and np.isfinite(outcome.detects):
        result.detects = float(outcome.detects)
    return _finish(result, ev, analytic)


def _abs_max(a: np.ndarray) -> float:
    """``max |a|`` without a temporary as large as ``a``."""
    if a.size == 0:
        return 0.0
    return float(max(abs(np.max(a)), abs(np.min(a))))


def _fast(ctx: Context, rng: np.random.Generator):
    """Fast mode; several outputs are checked one by one, each with its own directions."""
    outputs = ctx.ev.outputs
    if outputs is None or len(outputs.leaves) == 1:
        return fast_check(ctx, rng)
    total, directions, notes = Outcome(), [], []
    for leaf in outputs.leaves:
        view = OneOutput(ctx.ev, leaf)
        part = Context(
            view,
            ctx.flat,
            ctx.f0[view.rows],
            OneOutputAnalytic(ctx.analytic, leaf, ctx.ev.m),
            ctx.options,
            ctx.precision,
        )
        outcome, entries, more = fast_check(part, rng)
        label = outputs.leaf_name(leaf)
        for e in outcome.failures + outcome.kinks + outcome.nonfinite:
            e.output += leaf.start
        for e in entries:
            e.name = f"{label}: {e.name}"
        total.merge(outcome)
        total.detects = min(total.detects, outcome.detects)
        directions += entries
        notes += [f"{label}: {note}" for note in more]
    return total, directions, notes


def _per_output(ev: Evaluator, outcome) -> list[dict]:
    """Several outputs: each one's name, shape and failing entries (empty for one output)."""
    if ev.outputs is None:
        return []
    rows = []
    for leaf in ev.outputs.leaves:
        inside = range(leaf.start, leaf.start + leaf.size)
        rows.append(
            {
                "name": ev.outputs.leaf_name(leaf),
                "shape": list(leaf.shape),
                "failed": sum(e.output in inside for e in outcome.failures),
                "kinks": sum(e.output in inside for e in outcome.kinks),
                "nonfinite": sum(e.output in inside for e in outcome.nonfinite),
            }
        )
    return rows


def _finish(result: GradcheckResult, ev: Evaluator, analytic: Analytic) -> GradcheckResult:
    result.evaluations, result.grad_calls = ev.count, analytic.calls
    return result


def _f_summary(ev: Evaluator) -> str:
    if ev.outputs is not None:
        return ev.outputs.summary()
    return "scalar" if ev.m == 1 else f"vector of shape {ev.out_shape} ({ev.m} outputs)"


def _x_summary(flat) -> str:
    labels = [flat.leaf_label(leaf) for leaf in flat.leaves]
    shown = ", ".join(labels[:6]) + (f", ... ({len(labels)} arrays)" if len(labels) > 6 else "")
    return f"{flat.n} entries: {shown}" + (" [float32]" if flat.float32 else "")
