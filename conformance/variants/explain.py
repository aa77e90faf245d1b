"""What the report says about the failures: diagnoses by name, and the notes left over.

Diagnosis (``nnref.conformance.variants.diagnose``) replays the failing cases through
the catalogue of known variants under the conventions in force and names those
that reproduce the answers: conventions to declare, mistakes to fix. What it
cannot explain is said as such. Two notes remain that are not about values:

- float32: nothing was named and every failure is a difference of float32 size;
- plain lists: calls fail with TypeErrors about lists, or return empty arrays (code
  written for arrays: ``-2 * u`` on a list is ``[]``);
- overflow: calls raise OverflowError (or divide 0 by 0) on the extreme cases.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nnref.conformance.judge.results import ERROR, FAIL, CaseResult
from nnref.conformance.variants.adapt import knobs_of
from nnref.conformance.variants.diagnose import diagnose
from nnref.conformance.variants.float32 import float32_valued, rediagnose

if TYPE_CHECKING:
    from nnref.conformance.check.options import CheckOptions


def explain(results: list[CaseResult], cases: list[dict], options: CheckOptions):
    """(diagnoses, notes) for the report: ``Diagnosis`` objects and one-line notes."""

    conventions = options.in_force()
    by_id = {c["id"]: c for c in cases}
    float32 = None
    if conventions["precision"] == "float64" and _float32_valued(results):
        float32 = _as_float32(results, cases, options)
        results = [r for r in results if r.status == "PASS"] + float32.still_failing
        by_id |= float32.cases
    outcome = diagnose(results, by_id, knobs_of(conventions))
    emptied = {r.id for r in results if r.status == FAIL and _emptied(r)}
    for op, ids in list(outcome.unexplained.items()):  # the list note says why, not "unknown"
        kept = [i for i in ids if i not in emptied]
        if kept:
            outcome.unexplained[op] = kept
        else:
            del outcome.unexplained[op]
    notes = outcome.notes()[len(outcome.diagnoses) :]
    small = float32_hint(results) if conventions["precision"] == "float64" else None
    if small and not outcome.diagnoses and float32 is None:
        notes = [small]  # it says that no known variant reproduces them
    if float32 is not None:
        notes.insert(0, float32.note)
    notes.append(list_arguments_hint(results))
    notes.append(overflow_hint(results))
    return outcome.diagnoses, [n for n in notes if n]


def _float32_valued(results) -> bool:

    return float32_valued(results)


def _as_float32(results, cases, options):
    """The failures judged again under float32's tolerances, and the note that says so."""

    again = rediagnose(results, cases, options)
    bad = sum(r.status in (FAIL, ERROR) for r in results)
    rest = len(again.still_failing)
    judged = len(again.passing) + rest  # the vector cases; a property has no case to rejudge
    others = bad - judged
    checks = f"the {others} failing property check{'s are' if others != 1 else ' is'}"
    again.note = (
        "results are float32: declare precision=float32 (--convention precision=float32, or "
        "nnref_conventions = {'precision': 'float32'}); under float32's tolerances "
        f"{len(again.passing)} of the {judged} failing cases pass"
        + (f" and the other {rest} are diagnosed under that precision" if rest else "")
        + (f"; {checks} judged in float32 only once it is declared" if others else "")
    )
    return again


def overflow_hint(results: list[CaseResult]) -> str | None:
    """One line when calls raise OverflowError (or 0/0 after an underflow) on the cases built
    with extreme inputs."""
    kinds = ("raised OverflowError", "raised ZeroDivisionError")
    hit = [r for r in results if r.status == ERROR and any(k in r.message for k in kinds)]
    if not hit or any("extreme" not in r.flags for r in hit):
        return None
    ops = sorted({r.operation for r in hit})
    whole = {"forward", "gradients"} & set(ops)  # any activation may be the one
    advice = [text for name, text in _SAFE_EXP if name in ops or whole]
    return (
        (
            f"{len(hit)} errors are overflows or 0/0 on extreme inputs"
            if len(hit) > 1
            else "1 error is an overflow or 0/0 on an extreme input"
        )
        + f" ({', '.join(ops)}): "
        "exponentiate only numbers <= 0, i.e. " + " and ".join(advice or [t for _, t in _SAFE_EXP])
    )


#: How each activation with an exponential is computed without overflow.
_SAFE_EXP = (
    ("softmax", "softmax of u - max(u) (S10)"),
    ("sigmoid", "sigmoid as e^u / (1 + e^u) for u < 0 (S6, E5)"),
    ("tanh", "tanh as math.tanh, or (1 - e^(-2u)) / (1 + e^(-2u)) for u > 0 (S7)"),
)


def float32_hint(results: list[CaseResult]) -> str | None:
    """One line when every failure is a small numeric difference, as float32 arithmetic gives."""
    bad = [r for r in results if r.status in (FAIL, ERROR)]
    if not bad or any(r.status == ERROR or r.kind != "vector" for r in bad):
        return None
    if all(_float32_sized(r) for r in bad):
        return (
            f"all {len(bad)} failures are differences of float32 size (relative error < 1e-5) "
            "and no known variant reproduces them: if the implementation computes in float32, "
            "check it with --convention precision=float32"
        )
    return None


def _float32_sized(r: CaseResult) -> bool:
    """Relative error < 1e-5 and absolute error < 1e-3 (the vectors' values are at most ~1e3)."""
    if r.max_rel_err is None or r.max_abs_err is None:
        return False
    return r.max_rel_err < 1e-5 and r.max_abs_err < 1e-3


def list_arguments_hint(results: list[CaseResult]) -> str | None:
    """One line when calls fail because they were given plain lists: TypeErrors about lists
    or sequences, and results that came back empty (on a list, ``-2 * u`` is ``[]``: a list
    times an integer repeats it, zero or fewer times empties it)."""
    raised = [r for r in results if r.status == ERROR and _list_type_error(r.message)]
    emptied = [r for r in results if r.status == FAIL and _emptied(r)]
    if not raised and not emptied:
        return None
    parts = [f"{len(raised)} errors are TypeErrors about lists"] if raised else []
    if emptied:
        ops = ", ".join(sorted({r.operation for r in emptied}))
        parts.append(
            f"{len(emptied)} results came back empty ({ops}): a list times an integer is "
            "repeated, not multiplied (-2 * u is [])"
        )
    return (
        "; ".join(parts) + ": the protocol passes plain Python lists of floats (W as a list of "
        "rows); declare --convention input_type=numpy to be given arrays, or convert them, "
        "e.g. numpy.asarray(u)"
    )


def _emptied(r: CaseResult) -> bool:
    return "result has shape (0,)" in r.message


def _list_type_error(message: str) -> bool:
    return "raised TypeError" in message and ("'list'" in message or "sequence" in message)
