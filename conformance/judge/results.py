"""The statuses a check gives, and the result of one case or property group."""

from __future__ import annotations

from dataclasses import dataclass, field

PASS, FAIL, ERROR, NOT_PROVIDED = "PASS", "FAIL", "ERROR", "not provided"


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
