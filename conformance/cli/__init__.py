"""The ``nnref`` command: it only dispatches.

``SUBCOMMANDS`` lists the commands and their one-line help. Each command's module
(``cli.NAME`` here, or the one ``MODULES`` names: ``nnref train`` sits beside the reference
in ``nnref.reference.training.cli``, ``nnref derive`` beside the proofs in
``nnref.symbolic.cli``) has ``register(parser)``, which adds the command's arguments and
sets ``func`` (a callable taking the parsed arguments and returning the exit status).
Only the module of the command being run is imported, so ``nnref --help`` and
``nnref train`` load neither numpy nor SymPy.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from nnref import __version__
from nnref.conformance.errors import NnrefError, internal_error_line

#: The subcommands, in the order ``nnref --help`` lists them, with their one-line help.
SUBCOMMANDS = {
    "check": "check an implementation (or a results file) against the tutorial's vectors",
    "gradcheck": "check an implementation's gradients against differences of its own loss",
    "derive": "list the SymPy derivations and their proof status, or show one step by step",
    "train": "train the reference network on iris, wine or a CSV file",
    "vectors": "export or list the test vectors (for implementations in other languages)",
    "coverage": "list every SPEC clause with the vectors and tests that check it",
    "conventions": "list the conventions an implementation may declare and what each changes",
    "variants": (
        "list the known variants (conventions, mistakes), the cases that kill each, and diagnosis"
    ),
    "spec": "print a clause of the specification (S20, W3_3, E1, ...), or list them all",
}

#: Subcommands whose module sits beside another package; any other is ``cli.NAME`` here.
MODULES = {"train": "nnref.reference.training.cli", "derive": "nnref.symbolic.cli"}


def module_name(command: str) -> str:
    """The module that implements ``nnref COMMAND``."""
    return MODULES.get(command, f"{__name__}.{command}")


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line naming what was wrong."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser(command: str | None = None, everything: bool = False) -> argparse.ArgumentParser:
    """The ``nnref`` parser. Only ``command``'s module is imported (all of them with
    ``everything``); the other commands are listed by their help line alone, so
    ``nnref --help`` imports no subcommand and ``nnref check`` imports only its own."""
    parser = _Parser(
        prog="nnref",
        description="A verified neural-network reference, and a conformance suite for anyone's.",
    )
    parser.add_argument("--version", action="version", version=f"nnref {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show the full traceback when something fails"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, help_line in SUBCOMMANDS.items():
        sub = subparsers.add_parser(name, help=help_line)
        if everything or name == command:
            # A missing module is a broken install or a typo here: fail loudly, never skip it.
            importlib.import_module(module_name(name)).register(sub)
    return parser


def command_of(argv: list[str]) -> str | None:
    """The subcommand named on the command line (its first word that is not an option)."""
    return next((word for word in argv if not word.startswith("-")), None)


def main(argv: list[str] | None = None) -> int:
    """Run ``nnref``; return the exit status (``judge.results.EXIT_STATUSES``)."""
    words = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(command_of(words))
    args = parser.parse_args(words)
    debug = getattr(args, "debug", False) or "--debug" in (argv if argv is not None else sys.argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except NnrefError as exc:
        if debug:
            raise
        print(f"nnref: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("nnref: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except Exception as exc:  # a bug in nnref: never blamed on the input or the implementation
        if debug:
            raise
        print(f"nnref: {internal_error_line(exc)}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
