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

from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import combinations

from nnref.conformance.variants.catalogue import CONVENTION, Variant, candidates
from nnref.conformance.variants.evidence import Home, target
from nnref.conformance.variants.knobs import Knobs
from nnref.conformance.variants.replay import SHAPE, agree, answer, arrays

FAIL = "FAIL"


@dataclass
class Diagnosis:
    """Variants (one, or several that cannot be told apart) and the failing cases they explain."""

    variants: tuple[Variant, ...]
    operations: tuple[str, ...]
    cases: tuple[str, ...]
    failing: int  # failing cases of those operations (shape errors included)
    message: str = ""
    errors: tuple[str, ...] = ()  # of ``cases``, those that raised a shape error
    #: Passing cases of other operations that follow the convention in force, where this
    #: (convention) variant would fail: the implementation is inconsistent, not undeclared.
    contradicted_by: tuple[str, ...] = ()

    def to_json(self) -> dict:
        first = self.variants[0]
        out = {
            "variant": first.id,
            "title": first.title,
            "variants": [v.id for v in self.variants],
            "kind": first.kind,
            "operations": list(self.operations),
            "cases": list(self.cases),
            "message": self.message,
        }
        if self.contradicted_by:
            out["contradicted_by"] = list(self.contradicted_by)
        if self.errors:
            out["shape_errors"] = list(self.errors)
        return out


@dataclass
class Outcome:
    diagnoses: list[Diagnosis]
    unexplained: dict[str, list[str]]  # operation -> failing case ids no variant reproduces
    #: operation -> what its first unexplained case is, when they are all extreme inputs
    extreme: dict[str, str] = field(default_factory=dict)

    def notes(self) -> list[str]:
        out = [d.message for d in self.diagnoses]
        for op, ids in self.unexplained.items():
            n = len(ids)
            cases = f"{n} failing {op} case{'s' * (n != 1)}"
            if op in self.extreme:
                out.append(
                    f"no known variant reproduces {cases}, "
                    f"{'all on extreme inputs' if n > 1 else 'on an extreme input'} "
                    f"(e.g. {ids[0]}: {self.extreme[op]}): a clip, an epsilon or a guard that "
                    "changes the answer there is the usual cause (ln(y + eps), "
                    "ln(max(y, 1e-15)), nan_to_num); the exact value is expected"
                )
                continue
            out.append(
                f"no known variant reproduces {cases} "
                f"(e.g. {ids[0]}): the cause is not in nnref's catalogue (nnref variants)"
            )
        return out


def diagnose(results, cases_by_id: dict, base: Knobs | None = None) -> Outcome:
    """Diagnoses for the FAIL results that carry an answer, and for the calls that raised a
    shape error; ``base``: the declared conventions."""
    base = base or Knobs()
    failing: dict[str, list] = {}
    for r in results:
        case, wanted = cases_by_id.get(r.id), target(r)
        if wanted is not None and case is not None:
            failing.setdefault(case["operation"], []).append((case, wanted))
    pool = candidates(base)
    home = Home(results, cases_by_id)
    explained: dict[tuple, dict[str, set]] = {}
    singles: dict[Variant, dict[str, set]] = {}
    unexplained = {}
    for op, items in failing.items():
        left = _explain_op(op, items, pool, base, explained, home, singles)
        left = [i for i in left if not _is_shape(failing[op], i)]  # errors stay as they are
        if left:
            unexplained[op] = left
    _prefer_named(explained)
    mixes = _mixes(singles, results, cases_by_id, base, failing, explained)
    _mixes_win_ties(explained, mixes)
    diagnoses = _diagnoses(explained, failing)
    diagnoses += [m for m in mixes.values() if all(d.variants != m.variants for d in diagnoses)]
    shapes = {c["id"] for items in failing.values() for c, got in items if got is SHAPE}
    for d in diagnoses:
        d.errors = tuple(i for i in d.cases if i in shapes)
        if not d.contradicted_by:
            d.contradicted_by = _contradictions(d, results, cases_by_id, base)
        d.message = _message(d, base, _partners(d, diagnoses))
    extreme = {
        op: cases_by_id[ids[0]].get("provenance", "an extreme input")
        for op, ids in unexplained.items()
        if all("extreme" in cases_by_id[i].get("flags", ()) for i in ids)
    }
    return Outcome(diagnoses, unexplained, extreme)


def _is_shape(items, cid: str) -> bool:
    return any(c["id"] == cid and got is SHAPE for c, got in items)


def _mixes(singles, results, cases_by_id, base, failing, explained) -> dict:
    """A convention that reproduces failing cases of one operation while passing cases of
    another follow the convention in force: the implementation mixes both (a loss that is the
    halved mean next to gradients of the halved sum). Named whatever else explains those
    cases, since declaring either value leaves cases failing; but only when it is the whole
    story of that operation: every failing case it changes, it reproduces alone or with a
    mistake already named (not a coincidence on a few cases, as a mean over 2 outputs)."""
    named = [g[0] for g in explained if len(g) == 1 and g[0].kind != CONVENTION]
    out = {}
    for v, per_op in singles.items():
        if v.kind != CONVENTION:
            continue
        ops = tuple(op for op in failing if op in per_op)
        if not all(_whole_story(v, failing[op], per_op[op], base, named) for op in ops):
            continue
        ids = tuple(sorted({i for op in ops for i in per_op[op]}))
        d = Diagnosis((v,), ops, ids, sum(len(failing[op]) for op in ops))
        d.contradicted_by = _contradictions(d, results, cases_by_id, base)
        if d.contradicted_by:
            out[v] = d
    best = {}  # one value per convention: the one that reproduces the most cases
    for v, d in sorted(out.items(), key=lambda item: (-len(item[1].cases), item[0].id)):
        best.setdefault(next(iter(v.changes)), (v, d))
    return dict(best.values())


def _whole_story(v, items, explains: set, base, named) -> bool:
    for case, got in items:
        if case["id"] in explains:
            continue
        mine, tol = answer(_with(base, v), case), case["tolerance"]
        if agree(mine, arrays(case["operation"], case["expected"]), tol):
            continue  # v does not change this case
        wanted = arrays(case["operation"], got)
        combos = [(v, w) for w in named if _compatible((v, w))]
        if not any(agree(answer(_with_all(base, c), case), wanted, tol) for c in combos):
            return False
    return True


def _mixes_win_ties(explained, mixes) -> None:
    """Cases that a mix and mistakes explain alike go to the mix: the mistakes only coincide
    with the other convention's values there."""
    for group in [g for g in explained if len(g) > 1]:
        mixed = [v for v in group if v in mixes]
        if mixed:
            for op, ids in explained.pop(group).items():
                _add(explained, (mixed[0],), op, ids)


def _contradictions(d: Diagnosis, results, cases_by_id: dict, base: Knobs) -> tuple[str, ...]:
    """Passing cases, of operations outside ``d``, that the convention in force explains and
    ``d``'s convention would fail (a loss that passes as a mean next to gradients of the sum:
    declaring either value leaves the other operation failing)."""
    v = d.variants[0]
    if len(d.variants) > 1 or v.kind != CONVENTION:
        return ()
    out = []
    for r in results:
        case = cases_by_id.get(r.id)
        if r.status != "PASS" or case is None or case["operation"] in d.operations:
            continue
        if "expected" not in case:  # a must-reject case: no value to contradict
            continue
        if case["operation"] in v.operations:
            mine = answer(_with(base, v), case)
            tol = case["tolerance"]
            if mine is not None and not agree(
                mine, arrays(case["operation"], case["expected"]), tol
            ):
                out.append(r.id)
    return tuple(sorted(out))


def _prefer_named(explained) -> None:
    """Cases that several variants explain alike go to one of them that is named on its own."""
    for group in [g for g in explained if len(g) > 1]:
        alone = [v for v in group if (v,) in explained]
        if alone:
            for op, ids in explained.pop(group).items():
                _add(explained, tuple(alone[:1]), op, ids)


def _explain_op(op, items, pool, base, explained, home, singles_of) -> list[str]:
    """Add op's explanations to ``explained`` (variant group -> op -> case ids); return the rest.

    Single variants first; then, for the cases still unexplained, pairs of variants that each
    change the case, and triples with two variants already named (several mistakes in one
    case)."""
    usable = [
        v
        for v in pool
        if op in v.operations
        and (v.kind == CONVENTION or not home.contradicts(_with(base, v), v, op))
    ]
    singles: dict[tuple, set] = {}
    values, targets = {}, {}
    for case, got in items:
        cid, tol = case["id"], case["tolerance"]
        targets[cid] = wanted = arrays(op, got)
        for v in usable:
            values[cid, v] = value = answer(_with(base, v), case)
            if agree(value, wanted, tol):
                singles.setdefault((v,), set()).add(cid)
                singles_of.setdefault(v, {}).setdefault(op, set()).add(cid)
    remaining = {case["id"] for case, _ in items}
    remaining = _record(explained, op, singles, remaining)
    combos: dict[tuple, set] = {}
    for case, _ in items:
        cid, tol = case["id"], case["tolerance"]
        if cid in remaining:
            expected = arrays(op, case["expected"])
            changing = [
                v for v in usable if values[cid, v] and not agree(values[cid, v], expected, tol)
            ]
            named = [v for v in changing if _is_named(explained, v)]
            triples = [(*ab, c) for ab in combinations(named, 2) for c in changing if c not in ab]
            # a convention, or a variant already named, can matter only once another variant
            # has moved the case (a bias added puts a ReLU's u at 0, where ReLU'(0) decides;
            # or an output below a clip): paired with any change
            quiet = [
                v
                for v in usable
                if v not in changing and (v.kind == CONVENTION or _is_named(explained, v))
            ]
            enabled = [(c, q) for c in changing for q in quiet]
            tries = [*combinations(changing, 2), *enabled, *triples]
            for combo in filter(_compatible, tries):
                if agree(answer(_with_all(base, combo), case), targets[cid], tol):
                    combos.setdefault(combo, set()).add(cid)
    return sorted(_record(explained, op, combos, remaining, split=True))


def _record(explained, op, explains, remaining, split=False) -> set:
    """Cover ``remaining`` with ``explains`` (greedy); record each pick; return what is left."""
    for group, ids in _cover(explains, remaining, lambda v: _is_named(explained, v)):
        if split:  # combinations of variants: each is named, alternatives together
            _add_combos(explained, group, op, ids)
        else:  # variants that cannot be told apart here: named together
            _add(explained, tuple(combo[0] for combo in group), op, ids)
        remaining = remaining - ids
    return remaining


def _add_combos(explained, combos, op, ids) -> None:
    """Equivalent combinations explain ``ids``: a variant in all of them is named alone; the
    others are alternatives (output error y - t or dE/dy, alike under the squared error),
    named as they already are if they are, else together ("one of")."""
    common = set.intersection(*(set(c) for c in combos))
    for member in sorted(common, key=lambda v: v.id):
        _add(explained, (member,), op, ids)
    rest = sorted({v for c in combos for v in c} - common, key=lambda v: v.id)
    if rest:
        known = [g for g in explained if set(g) <= set(rest)]  # as already named, alone or not
        _add(explained, max(known, key=len, default=tuple(rest)), op, ids)


def _compatible(combo) -> bool:
    names = [name for v in combo for name in v.changes]
    return len(names) == len(set(names))


def _is_named(explained, v) -> bool:
    return any(v in group for group in explained)


def _cover(explains: dict[tuple, set], remaining: set, named):
    """Greedy: the explanation covering most remaining cases. Explanations that cover the same
    cases are grouped, unless some use only variants already named: those are kept alone."""
    remaining = set(remaining)
    while remaining:
        scored = {k: frozenset(ids & remaining) for k, ids in explains.items()}
        best = max(scored.values(), key=len, default=frozenset())
        if not best:
            return
        group = sorted((k for k, ids in scored.items() if ids == best), key=_ids)
        known = [k for k in group if all(named(v) for v in k)]
        yield tuple(known or group), set(best)
        remaining -= best


def _ids(combo) -> tuple:
    return tuple(v.id for v in combo)


def _with_all(k: Knobs, combo) -> Knobs:
    for v in combo:
        k = _with(k, v)
    return k


@lru_cache(maxsize=4096)
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
        out.append(Diagnosis(group, ops, ids, total))
    out.sort(key=lambda d: (-len(d.cases), d.variants[0].id))
    return out


def _partners(d: Diagnosis, diagnoses: list[Diagnosis]) -> list[Diagnosis]:
    """The other diagnoses that share cases with ``d``: a case is explained by one group of
    variants, so two diagnoses share cases only where their variants reproduce them jointly
    (each alone was tried first), such as torch's linear, x W^T + b: out_in and added at once.
    out_in alone also explains the shape errors of the non-square layers, so it covers more."""
    return [
        e
        for e in diagnoses
        if e is not d and e.operations == d.operations and set(e.cases) & set(d.cases)
    ]


def _message(d: Diagnosis, base: Knobs, partners=()) -> str:
    ops = ", ".join(d.operations)
    n = len(d.cases)
    where = f"all {n}" if n == d.failing else f"{n} of {d.failing}"
    if d.errors:
        k = len(d.errors)
        where += f" failing {ops} cases ({'all' if k == n else k} of them shape errors, "
        where += "as the variant raises too)"
    else:
        where += f" failing {ops} cases"
    names = " or ".join(f"'{v.title}' ({v.id})" for v in d.variants)
    verb = "matches" if len(d.variants) == 1 else "matches one of"
    if partners:
        names += ", together with " + " and ".join(_jointly(d, e) for e in partners)
    fix = _fix(d.variants)
    if d.contradicted_by:
        (name,) = d.variants[0].changes
        fix = _inconsistent(d, name, getattr(base, name))
    return f"{ops} {verb} {names} on {where}; {fix}"


def _jointly(d: Diagnosis, e: Diagnosis) -> str:
    """``threshold=added``, or ``threshold=added (on 6 of them)`` when they share only some."""
    shared = len(set(d.cases) & set(e.cases))
    return e.variants[0].id + ("" if shared == len(d.cases) else f" (on {shared} of them)")


def _fix(variants) -> str:
    """The fix, or each alternative's when no case tells them apart."""
    v = variants[0]
    if len(variants) == 1:
        return v.fix if v.kind == CONVENTION else f"fix: {v.fix}"
    return "no case tells them apart; the fix is, whichever it is: " + "; or ".join(
        f"{u.fix} ({u.id})" for u in variants
    )


def _inconsistent(d: Diagnosis, name: str, in_force: str) -> str:
    first, n = d.contradicted_by[0], len(d.contradicted_by)
    return (
        f"but {n} passing case{'s' * (n != 1)} (e.g. {first}) follow{'s' * (n == 1)} "
        f"{name}={in_force}, the convention in force: the implementation mixes both, so "
        f"declaring either leaves cases failing; fix: compute {', '.join(d.operations)} "
        f"under the same {name} as the rest (a gradient must be the derivative of the loss "
        "the implementation reports)"
    )
