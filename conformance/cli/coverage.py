"""``nnref coverage``: every SPEC clause with the vectors and tests that check it."""

from __future__ import annotations

import json
from pathlib import Path

from nnref.conformance.coverage.listing import coverage
from nnref.conformance.errors import InputError, VectorsError
from nnref.conformance.vectors.load import load_cases

DESCRIPTION = """\
For every clause of the spec, conformance/spec/spec.md (S1..S26, the worked examples,
the errata), list the
test vectors, the runner's property checks and the tests that name it. Tests name
their clauses with @pytest.mark.spec(...); nnref's own are read from the index
inside the package, so an installed copy lists them too.
Exits 1 if any clause is checked by nothing.
"""


def register(p) -> None:
    """The arguments of this command, added to its parser ``p``."""
    p.description = DESCRIPTION
    p.add_argument(
        "--tests",
        metavar="DIR",
        help="another test directory, collected by pytest (default: nnref's own tests)",
    )
    p.add_argument("--json", metavar="FILE", help="also write the listing as JSON to FILE")
    p.add_argument("-v", "--verbose", action="store_true", help="list every vector and test")
    p.set_defaults(func=run)


def run(args) -> int:
    tests_dir = Path(args.tests) if args.tests else None
    if tests_dir is not None and not tests_dir.is_dir():
        raise InputError(f"test directory {tests_dir} does not exist")
    cases, problems = load_cases()
    if problems:
        raise VectorsError(f"the built-in vectors are damaged: {problems[0].message}")
    table = coverage(cases, tests_dir)
    uncovered = [c for c, found in table.items() if not any(found.values())]
    for clause, found in table.items():
        print(_line(clause, found, args.verbose))
    where = f"tests from {tests_dir}" if tests_dir else "nnref's tests, from their spec markers"
    print(
        f"summary: {len(table) - len(uncovered)}/{len(table)} clauses covered ({where})"
        + (f"; uncovered: {', '.join(uncovered)}" if uncovered else "")
    )
    if args.json:
        doc = {
            "tests_dir": str(tests_dir) if tests_dir else None,
            "uncovered": uncovered,
            "clauses": table,
        }
        try:
            Path(args.json).write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write {args.json}: {exc.strerror or exc}") from None
    return 1 if uncovered else 0


def _line(clause: str, found: dict, verbose: bool) -> str:
    if not any(found.values()):
        return f"{clause:<10} UNCOVERED"
    parts = []
    for kind in ("vectors", "properties", "tests"):
        items = found[kind]
        if items:
            shown = items if verbose else items[:3]
            more = "" if len(shown) == len(items) else ", ..."
            parts.append(f"{kind}: {len(items)} ({', '.join(shown)}{more})")
    return f"{clause:<10} " + "  ".join(parts)
