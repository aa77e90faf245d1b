"""Every variant in the catalogue is failed by the vectors and named by diagnosis (S1-S25).

The catalogue runs in process (the variants are the project's own code). A
variant that survives the vectors, or that diagnosis cannot tell from the
others, is a gap in the vectors: add a discriminating case.
"""

from __future__ import annotations

import pytest

from nnref.conformance.check.matrix import matrix, run_fns
from nnref.conformance.variants.catalogue import CATALOGUE, CONVENTION, DIFFERENT, MISTAKE
from nnref.conformance.variants.knobs import REFERENCE
from nnref.conformance.variants.mutant import protocol
from nnref.conformance.vectors.load import load_cases

CASES = load_cases()[0]
ROWS = {row.variant.id: row for row in matrix(CASES)}


def test_the_catalogue_has_at_least_25_variants_of_all_three_kinds():
    assert len(CATALOGUE) >= 25
    assert {v.kind for v in CATALOGUE} == {CONVENTION, MISTAKE, DIFFERENT}
    for v in CATALOGUE:
        assert v.title and v.fix and v.clause.startswith(("S", "E")) and v.operations, v.id


@pytest.mark.spec("S1", "S20", "S23")
def test_the_model_with_no_knob_turned_is_the_reference_on_every_vector():
    results = run_fns(protocol(REFERENCE), CASES)
    assert [r.id for r in results if r.status != "PASS"] == []


@pytest.mark.spec("S1", "S5", "S8", "S10", "S13", "S14", "S15", "S20", "S22", "S23", "S25")
@pytest.mark.parametrize("variant", sorted(ROWS))
def test_every_variant_is_killed_and_named_alone(variant):
    row = ROWS[variant]
    assert row.killed_by > 0, f"{variant} passes every vector"
    assert row.named_as == (variant,), f"{variant} diagnosed as {row.named_as}"
