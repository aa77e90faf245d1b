"""Diagnosis: name the known variants that reproduce an implementation's failing answers.

Runs in the judge, on plain data: the failing results (``CaseResult.got``) and
the cases they answer (already adapted to the declared conventions). For each
operation, every variant that can change it is replayed on each failing case;
cases no single variant explains are replayed through pairs of variants that
each change that case. A greedy cover then picks the fewest variants that
explain the most cases, so several mistakes at once are named one by one.
Variants that give the same answers on the same cases are reported together
("one of"), never one of them alone. A variant is named only when its answers
match the implementation's within each case's tolerance: an implementation
that passes, or differs harmlessly, gets no diagnosis.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import combinations

from conformance.variants.catalogue import CONVENTION, Variant, candidates
from conformance.variants.knobs import Knobs
from conformance.variants.replay import agrees, answer

FAIL = "FAIL"


@dataclass
class Diagnosis:
    """Variants (one, or several that cannot be told apart) and the failing cases they explain."""

    variants: tuple[Variant, ...]
    operations: tuple[str, ...]
    cases: tuple[str, ...]
    failing: int  # failing cases of those operations
    message: str = ""

    def to_json(self) -> dict:
        first = self.variants[0]
        return {
            "variant": first.id,
            "variants": [v.id for v in self.variants],
            "kind": first.kind,
            "operations": list(self.operations),
            "cases": list(self.cases),
            "message": self.message,
        }


@dataclass
class Outcome:
    diagnoses: list[Diagnosis]
    unexplained: dict[str, list[str]]  # operation -> failing case ids no variant reproduces

    def notes(self) -> list[str]:
        out = [d.message for d in self.diagnoses]
        for op, ids in self.unexplained.items():
            n = len(ids)
            out.append(
                f"no known variant reproduces {n} failing {op} case{'s' * (n != 1)} "
                f"(e.g. {ids[0]}): the cause is not in nnref's catalogue (nnref variants)"
            )
        return out


def diagnose(results, cases_by_id: dict, base: Knobs | None = None) -> Outcome:
    """Diagnoses for the FAIL results that carry an answer; ``base``: the declared conventions."""
    base = base or Knobs()
    failing: dict[str, list] = {}
    for r in results:
        case = cases_by_id.get(r.id)
        if r.status == FAIL and r.got is not None and case is not None:
            failing.setdefault(case["operation"], []).append((case, r.got))
    pool = candidates(base)
    explained: dict[tuple, dict[str, set]] = {}
    unexplained = {}
    for op, items in failing.items():
        left = _explain_op(op, items, pool, base, explained)
        if left:
            unexplained[op] = left
    return Outcome(_diagnoses(explained, failing), unexplained)


def _explain_op(op, items, pool, base, explained) -> list[str]:
    """Add op's explanations to ``explained`` (variant group -> op -> case ids); return the rest."""
    usable = [v for v in pool if op in v.operations]
    singles: dict[str, set] = {}
    changes: dict[str, list[Variant]] = {}
    for case, got in items:
        changes[case["id"]] = []
        for v in usable:
            value = answer(_with(base, v), case)
            if agrees(case, value, got):
                singles.setdefault(v.id, set()).add(case["id"])
            elif not agrees(case, value, case["expected"]):
                changes[case["id"]].append(v)
    by_id = {v.id: v for v in usable}
    remaining = {case["id"] for case, _ in items}
    for group, ids in _cover(singles, remaining):
        _add(explained, tuple(by_id[i] for i in group), op, ids)
        remaining -= ids
    pairs: dict[str, set] = {}
    for case, got in items:
        if case["id"] in remaining:
            for a, b in combinations(changes[case["id"]], 2):
                if not set(a.changes) & set(b.changes):
                    if agrees(case, answer(_with(_with(base, a), b), case), got):
                        pairs.setdefault(f"{a.id}\n{b.id}", set()).add(case["id"])
                        by_id[a.id], by_id[b.id] = a, b
    for group, ids in _cover(pairs, remaining):
        for member in group[0].split("\n"):
            _add(explained, (by_id[member],), op, ids)
        remaining -= ids
    return sorted(remaining)


def _cover(explains: dict[str, set], remaining: set):
    """Greedy: the explanation covering most remaining cases, ties with the same cases grouped."""
    remaining = set(remaining)
    while remaining:
        scored = {k: frozenset(ids & remaining) for k, ids in explains.items()}
        best = max(scored.values(), key=len, default=frozenset())
        if not best:
            return
        group = tuple(sorted(k for k, ids in scored.items() if ids == best))
        yield group, set(best)
        remaining -= best


def _with(k: Knobs, v: Variant) -> Knobs:
    return replace(k, **v.changes)


def _add(explained, group, op, ids) -> None:
    explained.setdefault(group, {}).setdefault(op, set()).update(ids)


def _diagnoses(explained, failing) -> list[Diagnosis]:
    out = []
    for group, per_op in explained.items():
        ops = tuple(op for op in failing if op in per_op)
        ids = tuple(sorted({i for op in ops for i in per_op[op]}))
        total = sum(len(failing[op]) for op in ops)
        d = Diagnosis(group, ops, ids, total)
        d.message = _message(d)
        out.append(d)
    out.sort(key=lambda d: (-len(d.cases), d.variants[0].id))
    return out


def _message(d: Diagnosis) -> str:
    ops = ", ".join(d.operations)
    n = len(d.cases)
    where = f"all {n}" if n == d.failing else f"{n} of {d.failing}"
    names = " or ".join(f"'{v.title}' ({v.id})" for v in d.variants)
    verb = "matches" if len(d.variants) == 1 else "matches one of"
    v = d.variants[0]
    fix = v.fix if v.kind == CONVENTION else f"fix: {v.fix}"
    return f"{ops} {verb} {names} on {where} failing {ops} cases; {fix}"
