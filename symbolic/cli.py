"""``nnref derive``: the SymPy derivations behind the spec, listed or shown step by step.

It sits beside the package it serves; ``nnref.conformance.cli`` just dispatches to it.
"""

from __future__ import annotations

import json

from nnref.reference.errors import InputError
from nnref.symbolic import registry, render

DESCRIPTION = """\
Without NAME: one line per derivation (proof status, name, SPEC clauses, title);
every derivation is proven again (a few seconds). With NAME: its assumptions and
steps as plain text, or as LaTeX with --latex, each with its proof status. NAME may
also be a clause id (S6, E1, W3_3) to show every derivation of that clause.
--json prints the same as JSON. Exits 1 if a proof fails.
"""


def register(p) -> None:
    """The arguments of this command, added to its parser ``p``."""
    p.description = DESCRIPTION
    p.add_argument("name", nargs="?", metavar="NAME", help="a derivation name or a clause id")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--latex", action="store_true", help="print each step as LaTeX")
    out.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.add_argument("--no-verify", action="store_true", help="do not run the proofs")
    p.set_defaults(func=run)


def run(args) -> int:
    chosen = _select(args.name, registry) if args.name else registry.all_derivations()
    results = [None if args.no_verify else d.verify() for d in chosen]
    failed = any(r is not None and not r.ok for r in results)
    if args.json:
        if args.name:
            doc = [render.to_dict(d, r) for d, r in zip(chosen, results, strict=True)]
        else:
            doc = [_summary(d, r) for d, r in zip(chosen, results, strict=True)]
        print(json.dumps(doc, indent=1, ensure_ascii=False))
    elif args.name:
        blocks = [render.text(d, r, latex=args.latex) for d, r in zip(chosen, results, strict=True)]
        print("\n\n".join(blocks))
    else:
        width = max(len(", ".join(d.clauses)) for d in chosen)
        for d, r in zip(chosen, results, strict=True):
            status = "-" if r is None else r.status
            print(f"{status:<7} {d.name:<34} {', '.join(d.clauses):<{width}}  {d.title}")
        if not args.no_verify:
            bad = sum(1 for r in results if not r.ok)
            total = sum(r.seconds for r in results)
            print(f"summary: {len(chosen)} derivations, {len(chosen) - bad} proved, "
                  f"{bad} failed ({total:.1f} s)")  # fmt: skip
    return 1 if failed else 0


def _select(name: str, registry) -> list:
    if name in registry.names():
        return [registry.get(name)]
    by_clause = [n for n in registry.names() if registry.has_clause(n, name)]
    if by_clause:
        return [registry.get(n) for n in by_clause]
    near = registry.close_matches(name)
    hint = f"; close matches: {', '.join(near)}" if near else "; see 'nnref derive' for the list"
    raise InputError(f"no derivation named {name!r}{hint}")


def _summary(derivation, result) -> dict:
    item = {"name": derivation.name, "id": derivation.id, "clauses": list(derivation.clauses),
            "title": derivation.title, "steps": len(derivation.steps)}  # fmt: skip
    if result is not None:
        item.update(status=result.status, seconds=round(result.seconds, 3),
                    failed_steps=[s.index for s in result.failures()])  # fmt: skip
    return item
