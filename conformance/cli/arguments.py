"""Argument types shared by the commands: each turns a word into a value or says, in one line,
what was expected (argparse prints it as ``nnref check: error: argument --timeout: ...``)."""

from __future__ import annotations

import argparse
import math
import sys


def integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None


def positive(text: str) -> int:
    """A positive integer (a count, a number of jobs)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def finite(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    return value


def seconds(text: str) -> float:
    """A positive, finite number of seconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, got {text!r}") from None
    if not (value > 0 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return value


def add_isolation_options(p) -> None:
    """``--budget SECONDS`` and ``--sandbox``: how the implementation's children are bounded."""
    p.add_argument(
        "--budget",
        type=seconds,
        default=None,
        metavar="SECONDS",
        help="the most time the whole check of one implementation may take; once it is "
        "spent, the remaining cases are reported as not run",
    )
    p.add_argument(
        "--sandbox",
        action="store_true",
        help="run the implementation under bubblewrap (bwrap): no network, a read-only file "
        "system, no sight of nnref's processes, report files or vector files",
    )


def megabytes(text: str) -> int:
    """A size in MB, as bytes (a memory limit: Linux only)."""
    if not sys.platform.startswith("linux"):
        raise argparse.ArgumentTypeError(f"is not supported on {sys.platform} (Linux only)")
    return positive(text) * 1024 * 1024
