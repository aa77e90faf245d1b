"""Render derivations: pretty text for the terminal, LaTeX (``sympy.latex``), Markdown pages,
JSON-ready dicts.

``text(derivation)`` is what ``nnref derive NAME`` prints: each step drawn by
SymPy's pretty printer (unicode when the terminal's encoding can show it,
ASCII otherwise). Everywhere the natural logarithm is written ``ln``: the
tutorial's readers must tell it from ``log10`` (erratum E1).
``step_parts`` gives a step's LaTeX in pieces, so the documentation site can
stack a wide equation and state its substitutions in the page's language.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import sympy as sp
from sympy.printing.pretty.pretty import PrettyPrinter
from sympy.printing.pretty.pretty_symbology import pretty_use_unicode

from nnref.symbolic.core import Derivation, Step, VerifyResult

LATEX_RELATIONS = {"=": "=", "<": "<", "<=": r"\le", ">": ">", ">=": r"\ge"}


def display_form(obj, derivation: Derivation):
    """``obj`` with the derivation's display notation substituted (rendering only)."""
    obj = sp.sympify(obj)
    if not derivation.notation:
        return obj
    if isinstance(obj, sp.MatrixBase):
        return obj.applyfunc(lambda e: e.xreplace(derivation.notation))
    return obj.xreplace(derivation.notation)


def symbol_names(*objs) -> dict:
    """LaTeX names for the ``∂x`` symbols of ``objs`` (``\\partial x``)."""
    names = {}
    for obj in objs:
        for s in getattr(obj, "free_symbols", ()):
            if s.name.startswith("∂"):
                names[s] = r"\partial " + s.name[1:]
    return names


def _tex(obj, names) -> str:
    return sp.latex(obj, symbol_names=names, ln_notation=True)


@dataclass(frozen=True)
class StepParts:
    """A step's LaTeX in pieces: ``lhs relation rhs``, and each substitution ``a = b`` it uses.

    ``entries`` holds, for an equation between matrices of more than one entry, the
    (row, column, lhs entry, rhs entry) of each: a page too narrow for the whole
    matrix shows them one by one.
    """

    lhs: str
    relation: str
    rhs: str
    given: tuple[str, ...]
    entries: tuple[tuple[int, int, str, str], ...] = ()


def step_parts(step: Step, derivation: Derivation) -> StepParts:
    """One step as LaTeX pieces (display notation substituted, ``ln`` for the natural log)."""
    lhs, rhs = display_form(step.lhs, derivation), display_form(step.rhs, derivation)
    given = [(display_form(a, derivation), display_form(b, derivation)) for a, b in step.given]
    names = symbol_names(lhs, rhs, *(x for pair in given for x in pair))
    entries = ()
    both = isinstance(lhs, sp.MatrixBase) and isinstance(rhs, sp.MatrixBase)
    if both and lhs.shape == rhs.shape and len(lhs) > 1:
        entries = tuple(
            (i + 1, j + 1, _tex(lhs[i, j], names), _tex(rhs[i, j], names))
            for i in range(lhs.rows)
            for j in range(lhs.cols)
        )
    return StepParts(
        lhs=_tex(lhs, names),
        relation=LATEX_RELATIONS[step.relation],
        rhs=_tex(rhs, names),
        given=tuple(f"{_tex(a, names)} = {_tex(b, names)}" for a, b in given),
        entries=entries,
    )


def step_latex(step: Step, derivation: Derivation) -> str:
    """One step as a LaTeX equation (or inequality), with what it was given."""
    parts = step_parts(step, derivation)
    body = f"{parts.lhs} {parts.relation} {parts.rhs}"
    if parts.given:
        body += rf" \qquad \text{{given }} {', '.join(parts.given)}"
    return body


class _LnPrinter(PrettyPrinter):
    """SymPy's pretty printer with ``ln`` for the natural logarithm."""

    def _print_log(self, e):
        return self._print_Function(e, func_name="ln")


def can_show_unicode(stream=None) -> bool:
    """Whether ``stream`` (stdout by default) can encode the pretty printer's box characters."""
    encoding = getattr(stream or sys.stdout, "encoding", None) or "ascii"
    try:
        "⎡⎣─ℯ∂√·≤".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def pretty(obj, unicode: bool = True) -> str:
    """``obj`` drawn by SymPy's pretty printer on several lines, ``ln`` for the natural log."""
    previous = pretty_use_unicode(unicode)  # the symbology reads this global, not the setting
    try:
        return _LnPrinter({"use_unicode": unicode, "wrap_line": False}).doprint(sp.sympify(obj))
    finally:
        pretty_use_unicode(previous)


def step_pretty(step: Step, derivation: Derivation, unicode: bool = True) -> str:
    """One step as a pretty-printed equation ``lhs REL rhs`` (several lines), then its givens."""
    lhs, rhs = display_form(step.lhs, derivation), display_form(step.rhs, derivation)
    rel = {"<=": "≤", ">=": "≥"}.get(step.relation, step.relation) if unicode else step.relation
    body = pretty(sp.Eq(lhs, rhs, evaluate=False), unicode) if step.relation == "=" else None
    if body is None or isinstance(lhs, sp.MatrixBase):
        body = _side_by_side(pretty(lhs, unicode), f" {rel} ", pretty(rhs, unicode))
    lines = body.splitlines()
    for a, b in step.given:
        pair = display_form(a, derivation), display_form(b, derivation)
        given = pretty(sp.Eq(*pair, evaluate=False), unicode)
        lines += ["given " + given.splitlines()[0], *("      " + g for g in given.splitlines()[1:])]
    return "\n".join(lines)


def _side_by_side(left: str, middle: str, right: str) -> str:
    """Two drawings joined by ``middle`` on the line where both have their baseline (centred)."""
    a, b = left.splitlines() or [""], right.splitlines() or [""]
    height = max(len(a), len(b))
    a = _pad(a, height)
    b = _pad(b, height)
    mid = height // 2
    return "\n".join(
        x + (middle if k == mid else " " * len(middle)) + y for k, (x, y) in enumerate(zip(a, b))
    ).rstrip()


def _pad(lines: list[str], height: int) -> list[str]:
    width = max(len(line) for line in lines)
    top = (height - len(lines)) // 2
    blank = [" " * width]
    return blank * top + [line.ljust(width) for line in lines] + blank * (height - len(lines) - top)


def step_text(step: Step, derivation: Derivation) -> str:
    """One step as a plain one-line equation."""
    lhs, rhs = display_form(step.lhs, derivation), display_form(step.rhs, derivation)
    line = f"{sp.sstr(lhs)} {step.relation} {sp.sstr(rhs)}"
    if step.given:
        subs = ", ".join(f"{sp.sstr(a)} = {sp.sstr(b)}" for a, b in step.given)
        line += f"    [given {subs}]"
    return line


def _status(result: VerifyResult | None, index: int) -> str:
    if result is None:
        return "not verified"
    s = result.steps[index]
    return f"proved ({s.method})" if s.ok else f"FAILED: {s.message}"


def text(
    derivation: Derivation,
    result: VerifyResult | None = None,
    latex: bool = False,
    unicode: bool | None = None,
) -> str:
    """The derivation as text: each step pretty-printed (``latex=True``: its LaTeX instead).

    ``unicode`` None: unicode when stdout's encoding can show it, ASCII otherwise.
    """
    unicode = can_show_unicode() if unicode is None else unicode
    lines = [f"{derivation.name}: {derivation.title}",
             f"clauses: {', '.join(derivation.clauses)}"]  # fmt: skip
    lines += [f"assume: {a}" for a in derivation.assumptions]
    lines += [f"where:  {w}" for w in derivation.where]
    if derivation.summary:
        lines.append(derivation.summary)
    for i, s in enumerate(derivation.steps):
        lines.append(f"{i + 1:>2}. {s.note}   [{_status(result, i)}]")
        body = step_latex(s, derivation) if latex else step_pretty(s, derivation, unicode)
        lines += [f"    {line}".rstrip() for line in body.splitlines()]
    if result is not None:
        lines.append(f"status: {result.status} ({result.seconds:.2f} s)")
    return "\n".join(lines)


def markdown(derivation: Derivation, result: VerifyResult | None = None) -> str:
    """A documentation page: title, clauses, assumptions, one $$ block per step, status.

    Verifies the derivation unless ``result`` is given.
    """
    result = result if result is not None else derivation.verify()
    out = [f"## {derivation.title}", "",
           f"**Clauses:** {', '.join(derivation.clauses)} · **Name:** `{derivation.name}` · "
           f"**Proof:** {'all steps proved' if result.ok else 'FAILED'}", ""]  # fmt: skip
    if derivation.summary:
        out += [derivation.summary, ""]
    if derivation.assumptions or derivation.where:
        out += ["**Assumptions**", ""]
        out += [f"- {a}" for a in derivation.assumptions]
        out += [f"- where {w}" for w in derivation.where]
        out.append("")
    for i, s in enumerate(derivation.steps):
        out += [f"{i + 1}. {s.note} — *{_status(result, i)}*", "",
                "$$", step_latex(s, derivation), "$$", ""]  # fmt: skip
    return "\n".join(out)


def to_dict(derivation: Derivation, result: VerifyResult | None = None) -> dict:
    """JSON-ready description of a derivation (and of its proof, if given)."""
    steps = []
    for i, s in enumerate(derivation.steps):
        item = {"index": i, "label": s.label, "note": s.note, "relation": s.relation,
                "text": step_text(s, derivation), "latex": step_latex(s, derivation)}  # fmt: skip
        if result is not None:
            r = result.steps[i]
            item.update(status=r.status, method=r.method, message=r.message,
                        seconds=round(r.seconds, 4))  # fmt: skip
        steps.append(item)
    data = {
        "name": derivation.name,
        "id": derivation.id,
        "title": derivation.title,
        "clauses": list(derivation.clauses),
        "assumptions": list(derivation.assumptions),
        "where": list(derivation.where),
        "summary": derivation.summary,
        "steps": steps,
    }
    if result is not None:
        data["status"] = result.status
    return data
