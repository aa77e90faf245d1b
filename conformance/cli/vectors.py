"""``nnref vectors``: export the test vectors for other languages, or list them."""

from __future__ import annotations

import shutil
from pathlib import Path

from nnref.conformance.check.options import CheckOptions
from nnref.conformance.errors import NnrefError
from nnref.conformance.vectors import SETS, path_of
from nnref.conformance.vectors.load import load_cases

DESCRIPTION = """\
'nnref vectors export DIR' writes tutorial.json, generated.json, schema.json,
results.schema.json and a README.md describing the vectors and the results format
that 'nnref check --results' reads. 'nnref vectors list' prints one line per case:
id, operation, clauses.
"""


def register(p) -> None:
    """The arguments of this command, added to its parser ``p``."""
    p.description = DESCRIPTION
    actions = p.add_subparsers(dest="action", metavar="ACTION", parser_class=type(p))
    export = actions.add_parser("export", help="write the vectors, schema and README to DIR")
    export.add_argument("directory", metavar="DIR")
    export.add_argument("--force", action="store_true", help="overwrite existing files")
    listing = actions.add_parser("list", help="one line per case: id, operation, clauses")
    listing.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="PATTERN",
        help="glob on case id, clause or operation (repeatable)",
    )
    p.set_defaults(func=run, vectors_parser=p)


def run(args) -> int:
    if args.action == "export":
        return export(args.directory, args.force)
    if args.action == "list":
        return list_cases(args.only)
    args.vectors_parser.print_help()
    return 2


def export(directory: str, force: bool = False) -> int:
    target = Path(directory)
    files = [(path_of(n), target / f"{n}.json") for n in (*SETS, "schema", "results.schema")]
    files.append((path_of("schema").with_name("FORMAT.md"), target / "README.md"))
    clash = [dst.name for _, dst in files if dst.exists()]
    if clash and not force:
        raise NnrefError(f"{target} already has {', '.join(clash)}; pass --force to overwrite")
    try:
        target.mkdir(parents=True, exist_ok=True)
        for src, dst in files:
            shutil.copyfile(src, dst)
    except OSError as exc:
        raise NnrefError(f"cannot write to {target}: {exc.strerror or exc}") from None
    for _, dst in files:
        print(f"wrote {dst}")
    return 0


def list_cases(only: list[str]) -> int:
    options = CheckOptions(only=only)
    cases, problems = load_cases()
    for c in cases:
        if options.selected(c["id"], c["clauses"], c["operation"]):
            print(f"{c['id']:<48} {c['operation']:<16} {','.join(c['clauses'])}")
    for p in problems:
        print(f"ERROR {p.id}: {p.message}")
    return 1 if problems else 0
