"""The result of a check: a verdict, counts, named entries, and a printable report.

How the others word a failure, and what this report does instead:

- ``torch.autograd.gradcheck`` raises "Jacobian mismatch for output 0 with
  respect to input 0" followed by the whole numerical and analytical
  Jacobians as tensors: for a 100,000-parameter model the reader must diff
  two huge matrices to find the entry; in fast mode it only says that the
  projections along random vectors disagree and suggests rerunning slow mode.
- jax's ``check_grads`` compares JVPs / VJPs along random tangents with
  numpy's ``assert_allclose``: "Not equal to tolerance rtol=..., atol=...",
  "Mismatched elements: 1 / 1" about a projected value, with no entry named.

Here every failing entry is named the way the user wrote the parameters
(``layers[1].b[0]``, ``W1[3][7]``, ``f[2] wrt x[4]``), worst first, with
analytic, numeric, absolute and relative error and the tolerance it was held
to; kinks and non-finite values are listed apart, with the reason; a hint line
names a pattern shared by the failures, with its usual causes (a constant
factor such as -1, 2 or a batch size, a transposed array; see ``diagnose``);
the counts, the options, the tolerance in force and the seed make the report
reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nnref.conformance.finitediff.settings import GradcheckOptions, Precision

#: Entries kept in a result (the count is always exact).
KEEP = 1000


@dataclass
class Entry:
    """One compared derivative: ``d f[output] / d x[index]`` (or one direction in fast mode).

    Attributes:
        name: ``layers[0].W[3][7]``, or ``f[2] wrt W1[0][1]`` for a vector ``f``.
        status: ``"failed"``, ``"kink"`` or ``"non-finite"``.
        sides: at a kink, the one-sided derivatives ``(right, left)``: along ``+e_i``
            (``x_i`` increased) and along ``-e_i``.
        note: why, when the numbers alone do not say (``"f(x + h e) is inf"``,
            ``"analytic outside the one-sided range [0, 1]"``).
    """

    name: str
    index: int
    output: int
    analytic: float
    numeric: float
    tol: float
    status: str
    note: str = ""
    sides: tuple[float, float] | None = None  # at a kink: the derivatives along +e and -e

    @property
    def abs_err(self) -> float:
        return abs(self.analytic - self.numeric)

    @property
    def rel_err(self) -> float:
        scale = max(abs(self.analytic), abs(self.numeric))
        return self.abs_err / scale if scale > 0 else 0.0

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "index": self.index,
            "output": self.output,
            "analytic": _json_float(self.analytic),
            "numeric": _json_float(self.numeric),
            "abs_err": _json_float(self.abs_err),
            "rel_err": _json_float(self.rel_err),
            "tol": _json_float(self.tol),
            "status": self.status,
            "note": self.note,
            "one_sided": None if self.sides is None else [_json_float(v) for v in self.sides],
        }


@dataclass
class GradcheckResult:
    """What ``gradcheck`` found. ``bool(result)`` is the verdict; ``print(result)`` the report.

    Attributes:
        passed: no entry failed and nothing was non-finite.
        mode: ``"full"`` (every entry) or ``"fast"`` (random directions, then localization).
        checked: entries compared (fast mode: directions plus localized entries).
        max_abs_err, max_rel_err: the largest errors among the entries compared
            (kinks and non-finite entries excluded).
        failed, kinks, nonfinite: counts.
        failures, kink_entries, nonfinite_entries: the entries, worst first
            (at most 1000 of each are kept; the counts are exact).
        directions: fast mode's directional comparisons (as ``Entry`` with ``name="direction k"``).
        evaluations: calls of ``f``; grad_calls: calls of the user's ``grad``.
        outputs: several outputs (a tuple, a dict, a pytree): one dict per output,
            ``{"name": 'f[1]["h"]', "shape": [...], "failed": ..., "kinks": ...,
            "nonfinite": ...}``, in the order they are laid out; empty for one output.
        detects: a passing fast-mode check: any single entry of the gradient (of the
            Jacobian) off by more than this would have failed it, for certain, with
            these directions (``nnref.conformance.finitediff.fast``); None when not
            stated (full mode, a failure, a direction through a kink).
    """

    passed: bool
    mode: str
    options: GradcheckOptions
    precision: Precision
    x_summary: str
    f_summary: str
    grad_form: str
    checked: int = 0
    max_abs_err: float = 0.0
    max_rel_err: float = 0.0
    failed: int = 0
    kinks: int = 0
    nonfinite: int = 0
    failures: list[Entry] = field(default_factory=list)
    kink_entries: list[Entry] = field(default_factory=list)
    nonfinite_entries: list[Entry] = field(default_factory=list)
    directions: list[Entry] = field(default_factory=list)
    evaluations: int = 0
    grad_calls: int = 0
    notes: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    detects: float | None = None
    below_floor: int = 0
    outputs: list[dict] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        return format_report(self)

    @property
    def failing_names(self) -> list[str]:
        """Names of the failing entries kept, worst first."""
        return [e.name for e in self.failures]

    def as_dict(self) -> dict:
        """A JSON-serializable form of the whole result."""
        return {
            "passed": self.passed,
            "mode": self.mode,
            "counts": {
                "checked": self.checked,
                "failed": self.failed,
                "kinks": self.kinks,
                "nonfinite": self.nonfinite,
                "below_floor": self.below_floor,
            },
            "max_abs_err": self.max_abs_err,
            "max_rel_err": self.max_rel_err,
            "detects_single_entry_error_above": self.detects,
            "x": self.x_summary,
            "f": self.f_summary,
            "grad": self.grad_form,
            "failures": [e.as_dict() for e in self.failures],
            "kinks": [e.as_dict() for e in self.kink_entries],
            "nonfinite": [e.as_dict() for e in self.nonfinite_entries],
            "directions": [e.as_dict() for e in self.directions],
            "outputs": [dict(row) for row in self.outputs],
            "evaluations": {"f": self.evaluations, "grad": self.grad_calls},
            "options": self.options.as_dict(),
            "tolerance_in_force": {"atol": self.precision.atol, "rtol": self.precision.rtol},
            "hints": list(self.hints),
            "notes": list(self.notes) + list(self.precision.notes),
        }


def sort_worst_first(entries: list[Entry]) -> list[Entry]:
    """By error relative to tolerance, largest first; ties by name for determinism."""

    def key(e: Entry):
        ratio = e.abs_err / e.tol if e.tol > 0 else np.inf
        return (-(ratio if np.isfinite(ratio) else np.inf), e.index, e.output)

    return sorted(entries, key=key)[:KEEP]


def format_report(r: GradcheckResult) -> str:
    """The report: verdict, what was checked, counts, a table of failing entries, options."""
    o = r.options
    how = "fast mode: random directions" if r.mode == "fast" else "full mode: every entry"
    method = "central differences" if o.method == "central" else "Richardson (4th order)"
    if r.passed:
        head = f"gradcheck PASSED ({how}, {method})"
    else:
        parts = []
        if r.failed:
            parts.append(f"{r.failed} failing entr{'y' if r.failed == 1 else 'ies'}")
        if r.nonfinite:
            parts.append(f"{r.nonfinite} non-finite")
        if not parts:
            parts.append("a direction disagrees")
        head = f"gradcheck FAILED: {', '.join(parts)} ({how}, {method})"
    lines = [head, f"  x: {r.x_summary}", f"  f: {r.f_summary};  grad: {r.grad_form}"]
    lines.append(
        f"  counts: checked {r.checked}, failed {r.failed}, kinks {r.kinks}, "
        f"non-finite {r.nonfinite}; largest error abs {r.max_abs_err:.2e}, "
        f"rel {r.max_rel_err:.2e}"
    )
    if r.outputs:
        lines.append(
            "  outputs: "
            + "; ".join(
                f"{o['name']} "
                + (f"{o['failed']} failing" if o["failed"] else "ok")
                + (f", {o['kinks']} kinks" if o["kinks"] else "")
                + (f", {o['nonfinite']} non-finite" if o["nonfinite"] else "")
                for o in r.outputs
            )
        )
    if r.directions:
        lines.append(f"  directions ({len(r.directions)}):")
        lines += _table(r.directions, with_status=True)
    if r.failures:
        shown = r.failures[: o.max_report]
        lines.append(f"  failing entries, worst first ({len(shown)} of {r.failed}):")
        lines += _table(shown)
        lines += [f"  hint: {h}" for h in r.hints]
    if r.nonfinite_entries:
        shown = r.nonfinite_entries[: o.max_report]
        lines.append(f"  non-finite ({len(shown)} of {r.nonfinite}):")
        lines += [f"    {e.name}: {e.note}" for e in shown]
    if r.kink_entries:
        shown = r.kink_entries[: o.max_report]
        lines.append(
            f"  kinks: one-sided differences disagree, not failures ({len(shown)} of {r.kinks}):"
        )
        lines += [f"    {e.name}: analytic {e.analytic:.6g}; {e.note}" for e in shown]
    if r.below_floor:
        lines.append(
            f"  below the noise floor: {r.below_floor} entr{'y' if r.below_floor == 1 else 'ies'}"
            " (analytic and numeric both under it: an error there cannot be seen at this "
            "precision)"
        )
    if r.detects is not None:
        lines.append(f"  detects any single entry off by more than {r.detects:.2g}")
    for note in list(r.precision.notes) + r.notes:
        lines.append(f"  note: {note}")
    step = ("eps^(1/3)" if o.method == "central" else "eps^(1/5)") + "*max(1,|x|)"
    if r.mode == "fast":
        step += ", longer where the noise allows"
        floor = "floor=12 sd of the measured noise of f, over the step"
    else:
        floor = f"floor={o.roundoff_factor:g}*eps_f*max|f|/h"
    lines.append(
        f"  options: method={o.method}, step={step}, atol={r.precision.atol:g}, "
        f"rtol={r.precision.rtol:g}, {floor} "
        f"(eps_f={r.precision.eps_f:.3g}), kinks={o.kinks}, seed={o.seed}"
        + (f", directions={o.directions}" if r.mode == "fast" else "")
    )
    lines.append(f"  evaluations: f {r.evaluations}, grad {r.grad_calls}")
    return "\n".join(lines)


def _table(entries: list[Entry], with_status: bool = False) -> list[str]:
    width = max(12, *(len(e.name) for e in entries))
    head = f"    {'entry':<{width}}  {'analytic':>14}  {'numeric':>14}  {'abs err':>9}  "
    head += f"{'rel err':>9}  {'tol':>9}" + ("  status" if with_status else "")
    rows = [head]
    for e in entries:
        row = (
            f"    {e.name:<{width}}  {e.analytic:>14.7g}  {e.numeric:>14.7g}  "
            f"{e.abs_err:>9.2e}  {e.rel_err:>9.2e}  {e.tol:>9.2e}"
        )
        if with_status:
            row += f"  {e.status}"
        if e.note:
            row += f"  ({e.note})"
        rows.append(row)
    return rows


def _json_float(value: float):
    value = float(value)
    return value if np.isfinite(value) else str(value)
