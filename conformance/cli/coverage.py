"""``nnref coverage``: every SPEC clause with the vectors and tests that check it."""

from __future__ import annotations

HELP = "list every SPEC clause with the vectors and tests that check it"
DESCRIPTION = """\
For every clause of SPEC.md (S1..S26, the worked examples, the errata), list the
test vectors, the runner's property checks and the tests (from a source
checkout's tests/) that name it.
Exits 1 if any clause is checked by nothing (when a tests directory was scanned).
"""


def register(subparsers) -> None:
    p = subparsers.add_parser("coverage", help=HELP, description=DESCRIPTION)
    p.add_argument(
        "--tests",
        metavar="DIR",
        help="test directory to scan (default: tests/ of the source checkout, if any)",
    )
    p.add_argument("--json", metavar="FILE", help="also write the listing as JSON to FILE")
    p.add_argument("-v", "--verbose", action="store_true", help="list every vector and test")
    p.set_defaults(func=run)


def run(args) -> int:
    import json
    from pathlib import Path

    from conformance.errors import NnrefError
    from conformance.runner.cases import load_cases
    from conformance.runner.coverage import coverage, default_tests_dir

    tests_dir = Path(args.tests) if args.tests else default_tests_dir()
    if tests_dir is not None and not tests_dir.is_dir():
        raise NnrefError(f"test directory {tests_dir} does not exist")
    cases, problems = load_cases()
    if problems:
        raise NnrefError(f"the built-in vectors are damaged: {problems[0].message}")
    table = coverage(cases, tests_dir)
    uncovered = [c for c, found in table.items() if not any(found.values())]
    for clause, found in table.items():
        print(_line(clause, found, args.verbose))
    where = f"tests from {tests_dir}" if tests_dir else "vectors and properties only: no tests/"
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
            raise NnrefError(f"cannot write {args.json}: {exc.strerror or exc}") from None
    # Without a tests directory (an installed copy) the listing is partial, not a failure.
    return 1 if uncovered and tests_dir is not None else 0


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
