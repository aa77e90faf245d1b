"""``nnref variants``: the catalogue of known variants, the vector cases that kill each, and
whether diagnosis names it."""

from __future__ import annotations

import json

from nnref.conformance.check.matrix import matrix
from nnref.conformance.errors import NnrefError

DESCRIPTION = """\
Run every variant of nnref's catalogue (small named mutations of the reference:
conventions, mistakes seen in the wild, easily confused functions) through the
vectors, and print for each the number of cases it fails and whether diagnosis
names it from its answers. Exits 1 if a variant survives or is not named.
"""


def register(p) -> None:
    """The arguments of this command, added to its parser ``p``."""
    p.description = DESCRIPTION
    p.add_argument("--json", metavar="FILE", help="also write the matrix as JSON to FILE")
    p.add_argument("-v", "--verbose", action="store_true", help="add each variant's fix")
    p.set_defaults(func=run)


def run(args) -> int:
    rows = matrix()
    for line in lines(rows, args.verbose):
        print(line)
    if args.json:
        _write(args.json, rows)
    return 0 if all(r.killed_by and r.named for r in rows) else 1


def lines(rows, verbose: bool = False) -> list[str]:
    out = [f"{'variant':<28} {'kind':<18} {'clause':<6} {'killed by':>9}  named  what"]
    for r in rows:
        v = r.variant
        named = "yes" if r.named else "NO"
        out.append(f"{v.id:<28} {v.kind:<18} {v.clause:<6} {r.killed_by:>9}  {named:<5}  {v.title}")
        if verbose:
            out.append(f"{'':<28} fix: {v.fix}")
    killed = sum(1 for r in rows if r.killed_by)
    named = sum(1 for r in rows if r.named)
    out.append(f"summary: {len(rows)} variants, {killed} killed by the vectors, {named} named")
    return out


def to_json(rows) -> list[dict]:
    return [
        {
            "variant": r.variant.id,
            "kind": r.variant.kind,
            "clause": r.variant.clause,
            "title": r.variant.title,
            "fix": r.variant.fix,
            "operations": list(r.variant.operations),
            "killed_by": r.killed_by,
            "named": r.named,
        }
        for r in rows
    ]


def _write(path: str, rows) -> None:
    try:
        with open(path, "w", encoding="utf-8") as f:
            json.dump({"variants": to_json(rows)}, f, indent=1)
            f.write("\n")
    except OSError as exc:
        raise NnrefError(f"cannot write {path}: {exc}") from None
