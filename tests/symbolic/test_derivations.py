"""Every registered derivation is proven, renders, and names its SPEC clauses."""

from __future__ import annotations

import re

import pytest

from nnref.symbolic import registry, render

DERIVATIONS = registry.all_derivations()
CLAUSE = re.compile(r"^(S\d+|E\d+|W\d_\d|D_\w+)$")

#: Clauses the issue requires a derivation for.
REQUIRED = ("S6", "E5", "S7", "S8", "S10", "S13", "S14", "S15", "E4", "S16", "S17", "S18",
            "S19", "S20", "S21", "S23", "S24", "E2", "S25", "E1", "E6", "E3", "W1_1", "W3_3",
            "W4_1", "D_softmax", "D_hidden", "W3_2", "D_mse", "D_ce")  # fmt: skip


@pytest.mark.parametrize("derivation", DERIVATIONS, ids=[d.id for d in DERIVATIONS])
def test_derivation_is_proven(derivation):
    result = derivation.verify()
    failures = [f"step {s.index} ({s.label}): {s.message}" for s in result.failures()]
    assert result.ok, "\n".join(failures)
    assert len(result.steps) == len(derivation.steps) > 0
    assert all(s.method not in ("none", "error") for s in result.steps)


@pytest.mark.parametrize("derivation", DERIVATIONS, ids=[d.id for d in DERIVATIONS])
def test_derivation_renders(derivation):
    for step in derivation.steps:
        assert render.step_latex(step, derivation).strip()
        assert render.step_text(step, derivation).strip()
    assert all(CLAUSE.match(c) for c in derivation.clauses), derivation.clauses
    assert derivation.assumptions or derivation.name.startswith("worked")


def test_registry_covers_required_clauses():
    covered = {c for d in DERIVATIONS for c in d.clauses}
    assert set(REQUIRED) - covered == set()


def test_registry_is_ordered_and_looks_up_by_name():
    names = registry.names()
    assert names[:2] == ["step_not_differentiable", "sigmoid_derivative"]
    assert len(set(names)) == len(names)
    assert registry.get("dense_backward").clauses[0] == "S20"
    with pytest.raises(KeyError, match="sigmoid_derivative"):
        registry.get("sigmoid_derivatve")


def test_markdown_page_for_docs():
    d = registry.get("sigmoid_derivative")
    page = render.markdown(d)
    assert page.startswith("## ")
    assert page.count("$$") == 2 * len(d.steps)
    assert "S6" in page and "E5" in page and "all steps proved" in page
    assert r"\frac" in page
    assert "x is real" in page
