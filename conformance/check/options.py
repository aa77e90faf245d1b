"""How to check: the options of one check, the same for every entry point."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field

from nnref.conformance.variants.conventions import Conventions, number_text


@dataclass
class CheckOptions:
    """How to check.

    ``relu_grad_at_zero``: the ReLU'(0) convention expected, any number in [0, 1] (S8: the
    tutorial's is 1).
    ``seed``: the run's seed (hypothesis's, and the fresh inputs' of ``check.fresh``); None
    draws one at random when the check starts (the report prints it).
    ``max_examples``: hypothesis's examples per property.
    ``timeout``: seconds per case (per property group: ``timeout`` x 10).
    ``only``: glob patterns on case ids, or clause ids, or operation names.
    ``quick``: the quick profile (few property examples).
    ``vectors``: vector files or directories instead of the package's own.
    ``debug``: show the traceback when an implementation raises (``nnref --debug``).
    ``conventions_declared``: ``NAME=VALUE`` strings from ``--convention`` (they win).
    ``declared``: the implementation's own ``nnref_conventions`` dict (plain data).
    ``memory_limit``: bytes of address space for each child process (Linux), or None.
    ``retry_timeouts``: call a callable again after it timed out (default: report
    its later cases at once as not run).
    ``in_process``: call the implementation in this process, unprotected (only to
    measure what isolation costs).
    ``budget``: seconds for the whole check; once spent, the remaining cases are *not run*.
    ``sandbox``: run every child under bubblewrap (``--sandbox``).
    """

    relu_grad_at_zero: float = 1.0
    seed: int | None = None
    max_examples: int | None = None
    timeout: float = 10.0
    only: list[str] = field(default_factory=list)
    quick: bool = False
    vectors: list[str] = field(default_factory=list)
    properties: bool = True
    debug: bool = False  # keep the traceback of an implementation's exception
    conventions_declared: list[str] = field(default_factory=list)
    declared: dict | None = None
    memory_limit: int | None = None
    retry_timeouts: bool = False
    in_process: bool = False
    budget: float | None = None  # seconds for the whole check of one implementation
    sandbox: bool = False  # every child under bubblewrap (``nnref.conformance.isolation.sandbox``)

    def property_budget(self) -> float:
        """Seconds after which a property draws no new examples."""
        return 3.0 if self.quick else 20.0

    def examples(self) -> int:
        if self.max_examples is not None:
            return self.max_examples
        return 5 if self.quick else 100

    def selected(self, cid: str, clauses=(), operation: str = "") -> bool:
        """True without ``--only``, or when a pattern matches the id, a clause or the operation."""
        if not self.only:
            return True
        names = [cid, *clauses, operation]
        return any(fnmatch.fnmatchcase(n, p) for p in self.only for n in names if n)

    def in_force(self):
        """The ``Conventions`` in force: the tutorial's, then ``declared``, then the command line
        (``--relu-grad-at-zero 0`` is ``--convention relu_grad_at_zero=0``)."""

        relu = float(self.relu_grad_at_zero)
        alias = [] if relu == 1.0 else [f"relu_grad_at_zero={number_text(relu)}"]
        return Conventions.from_declared([*alias, *self.conventions_declared], self.declared)

    def native(self) -> dict | None:
        """How the child hands arguments over (``{"type": "numpy", "dtype": "float32"}``).

        None under the protocol's default: plain lists of float64.
        """
        force = self.in_force().as_dict()
        kind, dtype = force.get("input_type", "list"), force.get("precision", "float64")
        return None if (kind, dtype) == ("list", "float64") else {"type": kind, "dtype": dtype}

    def conventions(self) -> dict:
        """Every convention in force, by name (ReLU'(0) as a number)."""
        out: dict = self.in_force().as_dict()
        relu = float(out["relu_grad_at_zero"])
        out["relu_grad_at_zero"] = int(relu) if relu.is_integer() else relu
        return out
