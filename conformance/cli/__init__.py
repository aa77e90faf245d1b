"""The ``nnref`` command: it only dispatches.

Each subcommand lives in its own module and exposes ``register(subparsers)``,
which adds its parser and sets ``func`` (a callable taking the parsed
arguments and returning the exit status). A subcommand's module sits beside
the package it serves: ``nnref train`` in ``reference.training.cli``,
``nnref derive`` in ``symbolic.cli``, the checker's commands in this package
(see :data:`MODULES`). Subcommand modules import heavy libraries (numpy,
sympy) inside ``func`` only, so ``nnref --help`` and ``nnref train`` stay fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from conformance.errors import NnrefError

#: Subcommands, in the order ``nnref --help`` lists them.
SUBCOMMANDS = (
    "check",
    "gradcheck",
    "derive",
    "train",
    "vectors",
    "coverage",
    "conventions",
    "variants",
    "spec",
)

#: Subcommands whose module sits beside another package; any other NAME is ``conformance.cli.NAME``.
MODULES = {"train": "reference.training.cli", "derive": "symbolic.cli"}


def module_name(command: str) -> str:
    """The module that implements ``nnref COMMAND``."""
    return MODULES.get(command, f"conformance.cli.{command}")


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line naming what was wrong."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="nnref",
        description="A verified neural-network reference, and a conformance suite for anyone's.",
    )
    parser.add_argument(
        "--debug", action="store_true", help="show the full traceback when something fails"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in SUBCOMMANDS:
        # A missing module is a broken install or a typo here: fail loudly, never skip it.
        importlib.import_module(module_name(name)).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``nnref``; return the exit status (0 success, 1 a check failed, 2 bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
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
    except Exception as exc:  # a bug, or a library error we did not anticipate
        if debug:
            raise
        first = str(exc).splitlines()[0] if str(exc) else ""
        print(
            f"nnref: error: {type(exc).__name__}: {first} (run with --debug for the traceback)",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":
    sys.exit(main())
