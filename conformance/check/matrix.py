"""Running the catalogue through the vectors: which cases kill each variant, and is it named.

The variants are the project's own code, so they run in this process with no
timeout or isolation. ``matrix()`` is what ``nnref variants``, the docs page
and the kill-and-name test all show: for every variant, the number of vector
cases it fails and whether diagnosis names it from its own answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from nnref.conformance.check.options import CheckOptions
from nnref.conformance.judge.results import ERROR, CaseResult
from nnref.conformance.judge.verdict import judge, must_reject
from nnref.conformance.protocol.operations import OPERATIONS
from nnref.conformance.variants.catalogue import CATALOGUE, Variant
from nnref.conformance.variants.diagnose import diagnose
from nnref.conformance.variants.mutant import protocol
from nnref.conformance.vectors.load import load_cases


@dataclass
class Row:
    variant: Variant
    killed_by: int  # vector cases it fails (FAIL or ERROR)
    named_as: tuple[str, ...]  # the variant ids diagnosis names

    @property
    def named(self) -> bool:
        return self.variant.id in self.named_as


def run_fns(fns: dict, cases: list[dict], options: CheckOptions | None = None) -> list[CaseResult]:
    """Judge ``fns`` (trusted callables) on ``cases``; a case they cannot answer is an ERROR.

    Must-reject cases are skipped: the variants are about values, not the inputs accepted."""
    options = options or CheckOptions()
    out = []
    for case in cases:
        op = OPERATIONS[case["operation"]]
        if any(name not in fns for name in op.requires) or must_reject(case):
            continue
        try:
            got = op.call(fns, case["inputs"])
        except Exception as exc:
            out.append(
                CaseResult(case["id"], (), ERROR, operation=case["operation"], message=str(exc))
            )
            continue
        out.append(judge(case, got, options))
    return out


def row(variant: Variant, cases: list[dict]) -> Row:
    """Only the cases of operations the variant can change: on the others it is the reference.

    Must-reject cases are left out (``run_fns``)."""
    cases = [c for c in cases if c["operation"] in variant.operations]
    results = run_fns(protocol(variant.knobs), cases)
    outcome = diagnose(results, {c["id"]: c for c in cases})
    named = tuple(v.id for d in outcome.diagnoses for v in d.variants)
    return Row(variant, sum(r.status != "PASS" for r in results), named)


def matrix(cases: list[dict] | None = None) -> list[Row]:
    """One row per catalogue variant, against ``cases`` (default: the shipped vectors)."""
    if cases is None:
        cases = load_cases()[0]
    return [row(v, cases) for v in CATALOGUE]
