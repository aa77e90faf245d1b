"""``nnref spec``: the clauses of the specification, read from the installed copy."""

from __future__ import annotations

from importlib import resources

from nnref.conformance import spec
from nnref.conformance.errors import NnrefError

DESCRIPTION = """\
Without ID: one line per clause (id and title), grouped by section. With IDs: each
clause's title and text. An ID may also be a section (neuron-and-layer, activations,
losses, backpropagation, optimizers, initialization, worked-examples, errata) to print
all of its clauses. Case does not matter (s20 is S20). The text is the spec shipped
with nnref (conformance/spec/spec.md, or spec.ja.md with --lang ja).
"""


def register(p) -> None:
    """The arguments of this command, added to its parser ``p``."""
    p.description = DESCRIPTION
    p.add_argument("ids", nargs="*", metavar="ID", help="clause ids or section names")
    p.add_argument("--lang", choices=("en", "ja"), default="en", help="language (default: en)")
    p.add_argument("--path", action="store_true", help="print where the spec file is, and exit")
    p.set_defaults(func=run)


def run(args) -> int:
    if args.path:
        print(resources.files(spec.__name__).joinpath(spec.filename(args.lang)))
        return 0
    clauses = spec.clauses(args.lang)
    if not args.ids:
        _list(clauses)
        return 0
    chosen = [c for name in args.ids for c in _select(name, clauses)]
    print("\n\n".join(f"{c.id}: {c.title}\n\n{c.text}" for c in chosen))
    return 0


def _list(clauses) -> None:
    section = None
    for c in clauses:
        if c.section != section:
            section = c.section
            print(f"{section} ({c.section_anchor})")
        print(f"  {c.id:<10} {c.title}")


def _select(name: str, clauses) -> list:
    clause_id = spec.resolve(name)
    if clause_id is not None:
        return [c for c in clauses if c.id == clause_id]
    section = [c for c in clauses if c.section_anchor == name.lower()]
    if section:
        return section
    near = spec.nearest(name)
    hint = f"did you mean {' or '.join(near)}? " if near else ""
    raise NnrefError(f"no clause {name!r} in the spec ({hint}'nnref spec' lists them all)")
