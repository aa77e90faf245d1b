"""Differential properties: every provided callable against the reference on fresh inputs.

The vector files are public, so an implementation could read them and return the stored
answers (a *memoriser*). These cases cannot be known in advance: the judge draws them
for each run with ``vectors.build``'s own generator (the seeded random cases of the
``generated`` set, each checked against the exact oracle) under the run's seed, which
is random unless ``--seed`` is given, printed in the report and never sent to the child.
They go through the same steps as the vectors (conventions, verdicts) and are reported
as one property line per operation, ``property-fresh-<operation>``.
"""

from __future__ import annotations

import functools

from nnref import reference
from nnref.conformance.check.options import CheckOptions
from nnref.conformance.judge.results import ERROR, FAIL, NOT_PROVIDED, PASS, CaseResult
from nnref.conformance.variants.adapt import adapt_cases
from nnref.conformance.vectors.build.generated_cases import generated_cases

#: The generator's flags of the cases whose inputs depend on the seed.
DRAWN = ("random", "trajectory")
PREFIX = "property-fresh-"


def fresh_cases(options: CheckOptions) -> list[dict]:
    """The run's fresh cases (ids ``fresh-...``), under the conventions in force, selected as
    the property line of their operation would be."""
    cases = []
    for case in generated_cases(reference, options.seed):
        if not set(DRAWN) & set(case["flags"]):
            continue
        pid = PREFIX + case["operation"]
        if options.selected(pid, case["clauses"], "property"):
            cases.append({**case, "id": "fresh-" + case["id"]})
    return adapt_cases(cases, options.in_force())


@functools.cache
def fresh_properties() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(id, clauses) of every fresh-input property line, in report order (for the pytest
    plugin, which names its items before the check runs)."""
    clauses: dict[str, set] = {}
    for case in generated_cases(reference, 0):
        if set(DRAWN) & set(case["flags"]):
            clauses.setdefault(case["operation"], set()).update(case["clauses"])
    return tuple((PREFIX + op, tuple(sorted(c))) for op, c in clauses.items())


def collapse(cases: list[dict], results: list[CaseResult], seed: int) -> list[CaseResult]:
    """One property line per operation: its first FAIL, else its first ERROR, else PASS."""
    by_op: dict[str, list[tuple[dict, CaseResult]]] = {}
    for case, result in zip(cases, results):
        by_op.setdefault(case["operation"], []).append((case, result))
    return [_line(op, pairs, seed) for op, pairs in by_op.items()]


def _line(op: str, pairs: list[tuple[dict, CaseResult]], seed: int) -> CaseResult:
    clauses = tuple(sorted({c for case, _ in pairs for c in case["clauses"]}))
    line = CaseResult(PREFIX + op, clauses, PASS, kind="property", operation=op)
    for status in (FAIL, ERROR):
        bad = [(case, r) for case, r in pairs if r.status == status]
        if bad:
            case, r = bad[0]
            line.status, line.output = status, r.output
            line.message = (
                f"{len(bad)} of {len(pairs)} fresh inputs (seed {seed}); the first, "
                f"{_inputs(case)}: {r.message}"
            )
            if r.message.startswith("not run:"):  # an early end leads: it is the reason
                line.message = f"{r.message} ({len(bad)} of {len(pairs)} fresh inputs)"
            return line
    if all(r.status == NOT_PROVIDED for _, r in pairs):
        line.status, line.message = NOT_PROVIDED, pairs[0][1].message
        return line
    passed = sum(r.status == PASS for _, r in pairs)
    line.message = f"{passed} fresh inputs agree with the reference (seed {seed})"
    return line


def _inputs(case: dict, width: int = 160) -> str:
    text = ", ".join(f"{k}={v}" for k, v in case["inputs"].items())
    return text if len(text) <= width else text[:width] + "..."
