"""torch.nn.functional checked as it is, with no wrapper: declared input type, named differences."""

from __future__ import annotations

import pytest

from nnref.conformance.check.options import CheckOptions
from nnref.conformance.check.pipeline import check_implementation

pytest.importorskip("torch", reason="needs PyTorch: pip install torch==2.13.0")

TORCH = ["input_type=torch"]


def _check(conventions, only, properties=False):
    options = CheckOptions(properties=properties, conventions_declared=conventions, only=only)
    report = check_implementation("torch.nn.functional", options)
    named = {d.variants[0].id: d for d in report.diagnoses}
    return report, named


@pytest.mark.slow
@pytest.mark.spec("S10")
def test_S10_properties_hand_the_declared_tensors_too():
    """Properties call softmax with tensors under input_type=torch, as the vector cases do."""
    report, _ = _check(TORCH, ["softmax", "property-softmax-sums-to-one"], properties=True)
    statuses = {r.id: r.status for r in report.results}
    assert statuses["property-softmax-sums-to-one"] == "PASS"
    assert all(s == "PASS" for s in statuses.values())


@pytest.mark.slow
@pytest.mark.spec("S1", "S2")
def test_S1_S2_torch_linear_is_named_as_two_conventions_needed_together():
    """F.linear computes x W^T + b: neither convention alone reproduces it, so each diagnosis
    says it holds together with the other; declared, every linear case passes."""
    report, named = _check(TORCH, ["linear"])
    assert set(named) == {"threshold=added", "weight_layout=out_in"}
    assert "together with weight_layout=out_in" in named["threshold=added"].message
    assert "together with threshold=added" in named["weight_layout=out_in"].message
    both = [*TORCH, "threshold=added", "weight_layout=out_in"]
    report, named = _check(both, ["linear"])
    values = [r for r in report.results if "must_reject" not in r.flags]
    assert values and all(r.status == "PASS" for r in values) and not named
    # F.linear broadcasts a one-entry bias over two neurons instead of rejecting it
    rejects = {r.id: r.status for r in report.results if "must_reject" in r.flags}
    assert rejects == {"linear-reject-rows": "PASS", "linear-reject-columns": "FAIL"}


@pytest.mark.slow
@pytest.mark.spec("S14")
def test_S14_torch_cross_entropy_on_probabilities_is_a_double_softmax():
    """F.cross_entropy takes logits: handed the protocol's probabilities it applies softmax a
    second time, and the diagnosis names that different function alone."""
    report, named = _check(TORCH, ["cross_entropy"])
    assert [r for r in report.results if r.status == "FAIL"]
    assert set(named) == {"cross_entropy_of_logits"}
