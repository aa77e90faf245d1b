"""Full mode: every entry of the gradient (or every column of the Jacobian).

Entry ``i`` costs two evaluations of ``f`` (``x +- h_i e_i``; four with
``method="richardson"``), plus two more only when it fails the first
comparison and is looked at again at half the step (see ``stencils.confirm``).
The analytic Jacobian column ``J[:, i]`` is compared output by output.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from nnref.conformance.finitediff import stencils
from nnref.conformance.finitediff.inputs import Flat
from nnref.conformance.finitediff.problem import Analytic, Evaluator
from nnref.conformance.finitediff.result import Entry
from nnref.conformance.finitediff.settings import GradcheckOptions, Precision


@dataclass
class Context:
    """Everything a check needs, shared by full and fast mode."""

    ev: Evaluator
    flat: Flat
    f0: np.ndarray
    analytic: Analytic
    options: GradcheckOptions
    precision: Precision

    @property
    def theta(self) -> np.ndarray:
        return self.flat.theta

    def tol_args(self) -> tuple:
        p = self.precision
        return (p.atol, p.rtol, self.options.roundoff_factor, p.eps_f)

    def entry_name(self, i: int, k: int) -> str:
        name, output = self.flat.name(i), self.ev.output_label(k)
        return name if output is None else f"{output} wrt {name}"


@dataclass
class Outcome:
    """Entries found by a check (lists of ``Entry``) and how many were compared."""

    checked: int = 0
    max_abs_err: float = 0.0
    max_rel_err: float = 0.0
    failures: list[Entry] = field(default_factory=list)
    kinks: list[Entry] = field(default_factory=list)
    nonfinite: list[Entry] = field(default_factory=list)
    detects: float = math.inf  # fast mode: any single entry off by more than this fails
    below_floor: int = 0  # entries whose values both lie under the noise floor

    def merge(self, other: Outcome) -> None:
        self.checked += other.checked
        self.max_abs_err = max(self.max_abs_err, other.max_abs_err)
        self.max_rel_err = max(self.max_rel_err, other.max_rel_err)
        self.failures += other.failures
        self.kinks += other.kinks
        self.nonfinite += other.nonfinite
        self.below_floor += other.below_floor


def probe(ctx: Context, indices: np.ndarray, steps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``f(x + s_i e_i)`` and ``f(x - s_i e_i)`` for each index, as ``(len, m)`` arrays."""
    theta = ctx.theta
    work = theta.copy()
    fp = np.empty((len(indices), ctx.ev.m))
    fm = np.empty_like(fp)
    for row, (i, s) in enumerate(zip(indices.tolist(), steps.tolist(), strict=True)):
        xi = theta[i]
        work[i] = xi + s
        fp[row] = ctx.ev(work, lambda i=i: f"x + h*e[{ctx.flat.name(i)}]")
        work[i] = xi - s
        fm[row] = ctx.ev(work, lambda i=i: f"x - h*e[{ctx.flat.name(i)}]")
        work[i] = xi
    return fp, fm


def check_entries(ctx: Context, indices: np.ndarray | None = None) -> Outcome:
    """Compare ``J[:, i]`` with finite differences for each ``i`` in ``indices`` (all if None)."""
    if indices is None:
        indices = np.arange(ctx.flat.n)
    indices = np.asarray(indices, dtype=np.int64)
    mask = ctx.flat.float32_mask()
    h = stencils.entry_steps(
        ctx.theta[indices],
        ctx.precision.base_step(ctx.options.method),
        None if mask is None else mask[indices],
    )
    A = ctx.analytic.matrix()[:, indices].T  # (len, m)
    if ctx.options.method == "central":
        fp, fm = probe(ctx, indices, h)
        numeric = stencils.central(fp, fm, h[:, None])
        far, near = (fp, fm), None
    else:
        fp1, fm1 = probe(ctx, indices, h)
        fp2, fm2 = probe(ctx, indices, 2.0 * h)
        numeric = stencils.richardson(
            stencils.central(fp1, fm1, h[:, None]), stencils.central(fp2, fm2, 2 * h[:, None])
        )
        far, near = (fp2, fm2), (fp1, fm1)
    F = np.maximum(np.abs(ctx.f0)[None, :], np.maximum(np.abs(far[0]), np.abs(far[1])))
    tol = stencils.tolerance(A, numeric, F, h[:, None], *ctx.tol_args())
    out = Outcome(checked=A.size)
    finite = np.isfinite(A) & np.isfinite(numeric)
    for r, k in zip(*np.nonzero(~finite), strict=True):
        out.nonfinite.append(_nonfinite_entry(ctx, indices[r], k, A[r, k], far, r, numeric[r, k]))
    beyond = stencils.beyond_rounding(A, numeric, F, h[:, None], *ctx.tol_args())
    cand = finite & ((np.abs(A - numeric) > tol) | beyond)
    out.below_floor = int(
        np.sum(finite & stencils.below_floor(A, numeric, F, h[:, None], *ctx.tol_args()))
    )
    rows = np.nonzero(cand.any(axis=1))[0]
    compared = finite.copy()
    if rows.size:
        conf = _second_look(ctx, indices[rows], h[rows], A[rows], far, near, rows)
        _classify(ctx, out, indices[rows], A[rows], cand[rows], conf)
        numeric[rows] = np.where(cand[rows], conf.numeric, numeric[rows])
        compared[rows] &= ~(cand[rows] & conf.kink)
    _worst(out, A[compared], numeric[compared])
    return out


def _worst(out: Outcome, A: np.ndarray, numeric: np.ndarray) -> None:
    """The largest absolute and relative errors among compared entries (kinks excluded)."""
    if A.size:
        err = np.abs(A - numeric)
        scale = np.maximum(np.abs(A), np.abs(numeric))
        rel = np.divide(err, scale, out=np.zeros_like(err), where=scale > 0)
        out.max_abs_err, out.max_rel_err = float(err.max()), float(rel.max())


def _second_look(ctx, idx, h, A, far, near, rows) -> stencils.Confirmed:
    """Values at ``+-L`` and ``+-2L``: central mode probes again at ``h/2`` (``L = h/2``);
    Richardson mode already has ``+-h`` and ``+-2h`` (``L = h``)."""
    if near is None:
        fp1, fm1 = probe(ctx, idx, h / 2.0)
        L = h / 2.0
    else:
        fp1, fm1 = near[0][rows], near[1][rows]
        L = h
    fp2, fm2 = far[0][rows], far[1][rows]
    return stencils.confirm(ctx.f0[None, :], fp1, fm1, fp2, fm2, L[:, None], A, ctx.tol_args())


def _classify(ctx: Context, out: Outcome, idx, A, cand, conf: stencils.Confirmed) -> None:
    strict = ctx.options.kinks == "strict"
    for r, k in zip(*np.nonzero(cand & ~conf.passed), strict=True):
        i = int(idx[r])
        name = ctx.entry_name(i, int(k))
        a, num, tol = float(A[r, k]), float(conf.numeric[r, k]), float(conf.tol[r, k])
        if conf.kink[r, k]:
            lo, hi = float(conf.lower[r, k]), float(conf.upper[r, k])
            note = f"one-sided derivatives {lo:.6g} .. {hi:.6g}"
            why = _kink_refusal(a, conf.right[r, k], conf.left[r, k], conf.in_range[r, k], tol)
            if why == "outside" or (strict and why):
                text = "analytic OUTSIDE this range" if why == "outside" else why
                out.failures.append(
                    Entry(name, i, int(k), a, num, tol, "failed", f"at a kink; {note}; {text}")
                )
            else:
                sides = (float(conf.right[r, k]), float(conf.left[r, k]))
                out.kinks.append(Entry(name, i, int(k), a, num, tol, "kink", note, sides))
        else:
            out.failures.append(Entry(name, i, int(k), a, num, tol, "failed"))


def _kink_refusal(a: float, right, left, in_range, tol: float) -> str:
    """Why a kink entry is not accepted: ``"outside"`` (never accepted: no one-sided
    derivative or value between them is ``a``), the reason ``kinks="strict"`` refuses it
    (``a`` lies strictly between the one-sided derivatives, matching neither), or ``""``."""
    if not in_range:
        return "outside"
    if min(abs(a - float(right)), abs(a - float(left))) <= tol:
        return ""
    return "analytic matches neither one-sided derivative (kinks='strict')"


def _nonfinite_entry(ctx, i, k, a, far, r, num) -> Entry:
    name = ctx.entry_name(int(i), int(k))
    if not np.isfinite(a):
        note = f"analytic is {a}"
    else:
        fp, fm = far[0][r, k], far[1][r, k]
        bad = [
            f"f(x {sign} h e) is {v}" for sign, v in (("+", fp), ("-", fm)) if not np.isfinite(v)
        ]
        note = ", ".join(bad) if bad else f"the difference is {num}"
    return Entry(name, int(i), int(k), float(a), float(num), 0.0, "non-finite", note)
