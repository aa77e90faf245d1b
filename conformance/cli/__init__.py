"""The ``nnref`` command.

Each subcommand lives in its own module of this package and exposes
``register(subparsers)``, which adds its parser and sets ``func`` (a callable
taking the parsed arguments and returning the exit status). Subcommand
modules import heavy libraries (numpy, sympy) inside ``func`` only, so
``nnref --help`` and ``nnref train`` stay fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from conformance.errors import NnrefError

#: Subcommand modules, in the order ``nnref --help`` lists them.
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
        try:
            module = importlib.import_module(f"conformance.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"conformance.cli.{name}":
                continue  # not written yet
            raise
        module.register(subparsers)
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
