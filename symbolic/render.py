"""Render derivations: plain text, LaTeX (``sympy.latex``), Markdown pages, JSON-ready dicts.

``markdown(derivation)`` is what the documentation site calls at build time:
a page with the title, clauses, assumptions, one ``$$...$$`` block per step
and the proof status of each step.
"""

from __future__ import annotations

import sympy as sp

from symbolic.core import Derivation, Step, VerifyResult

_LATEX_REL = {"=": "=", "<": "<", "<=": r"\le", ">": ">", ">=": r"\ge"}


def _display(obj, derivation: Derivation):
    """``obj`` with the derivation's display notation substituted (rendering only)."""
    obj = sp.sympify(obj)
    if not derivation.notation:
        return obj
    if isinstance(obj, sp.MatrixBase):
        return obj.applyfunc(lambda e: e.xreplace(derivation.notation))
    return obj.xreplace(derivation.notation)


def _symbol_names(*objs) -> dict:
    names = {}
    for obj in objs:
        for s in getattr(obj, "free_symbols", ()):
            if s.name.startswith("∂"):
                names[s] = r"\partial " + s.name[1:]
    return names


def _tex(obj, names) -> str:
    return sp.latex(obj, symbol_names=names)


def step_latex(step: Step, derivation: Derivation) -> str:
    """One step as a LaTeX equation (or inequality), with what it was given."""
    lhs, rhs = _display(step.lhs, derivation), _display(step.rhs, derivation)
    given = [(_display(a, derivation), _display(b, derivation)) for a, b in step.given]
    names = _symbol_names(lhs, rhs, *(x for pair in given for x in pair))
    body = f"{_tex(lhs, names)} {_LATEX_REL[step.relation]} {_tex(rhs, names)}"
    if given:
        subs = ", ".join(f"{_tex(a, names)} = {_tex(b, names)}" for a, b in given)
        body += rf" \qquad \text{{given }} {subs}"
    return body


def step_text(step: Step, derivation: Derivation) -> str:
    """One step as a plain one-line equation."""
    lhs, rhs = _display(step.lhs, derivation), _display(step.rhs, derivation)
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


def text(derivation: Derivation, result: VerifyResult | None = None, latex: bool = False) -> str:
    """The derivation as plain text (``latex=True``: each step's LaTeX instead)."""
    lines = [f"{derivation.name}: {derivation.title}",
             f"clauses: {', '.join(derivation.clauses)}"]  # fmt: skip
    lines += [f"assume: {a}" for a in derivation.assumptions]
    lines += [f"where:  {w}" for w in derivation.where]
    if derivation.summary:
        lines.append(derivation.summary)
    for i, s in enumerate(derivation.steps):
        lines.append(f"{i + 1:>2}. {s.note}   [{_status(result, i)}]")
        body = step_latex(s, derivation) if latex else step_text(s, derivation)
        lines.append(f"    {body}")
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
