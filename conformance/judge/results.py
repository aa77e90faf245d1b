"""The statuses a check gives, and the result of one case or property group."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

PASS, FAIL, ERROR, NOT_PROVIDED = "PASS", "FAIL", "ERROR", "not provided"

#: Every status a case can have, in the order reports count them.
STATUSES = (PASS, FAIL, ERROR, NOT_PROVIDED)

#: The exit statuses of ``nnref check`` and ``nnref gradcheck``: declared once, shown by
#: ``--help`` and the docs.
EXIT_STATUSES = {
    0: "at least one check ran, and nothing failed or errored",
    1: "a check failed or errored, or nothing could be checked",
    2: "bad input (an argument, a file, an implementation that cannot be imported or "
    "provides none of the protocol), before anything was checked",
    3: "internal error in nnref: the report so far is printed (--debug shows the traceback)",
    130: "interrupted (Ctrl-C): the partial summary is printed",
}


def exit_status(statuses, interrupted: bool = False, internal_error: bool = False) -> int:
    """The exit status of a run whose cases ended with ``statuses`` (one rule for every command)."""
    if internal_error:
        return 3
    if interrupted:
        return 130
    seen = set(statuses)
    return 1 if FAIL in seen or ERROR in seen or PASS not in seen else 0


def exit_status_help() -> str:
    """The ``exit status:`` block of a command's ``--help``."""
    lines = ["exit status:"]
    for status, meaning in EXIT_STATUSES.items():
        lines += textwrap.wrap(
            meaning, 79, initial_indent=f"  {status:<4} ", subsequent_indent=" " * 7
        )
    return "\n".join(lines) + "\n"


@dataclass
class CaseResult:
    """One line of the report: a vector case, a property group, or a problem with the inputs."""

    id: str
    clauses: tuple[str, ...]
    status: str
    kind: str = "vector"  # "vector", "property" or "input"
    operation: str = ""
    max_abs_err: float | None = None  # the case's maxima, over all its entries
    max_rel_err: float | None = None
    tolerance: dict | None = None
    worst: object = None  # compare.Worst: the entry furthest past (or nearest to) its tolerance
    message: str = ""
    flags: tuple[str, ...] = ()
    detail: str = ""  # the traceback, under --debug
    got: object = field(default=None, repr=False)  # kept to re-compare under another convention
    output: dict = field(default_factory=dict, repr=False)  # the call's stdout, stderr, warnings

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "clauses": list(self.clauses),
            "status": self.status,
            "max_abs_err": _finite(self.max_abs_err),
            "max_rel_err": _finite(self.max_rel_err),
            "tolerance": self.tolerance,
            "message": self.message,
            **({"worst": self.worst.to_json()} if self.worst is not None else {}),
            **({"output": self.output} if self.output else {}),
        }


def _finite(x):
    if x is None or x != x or x in (float("inf"), float("-inf")):
        return None
    return x
