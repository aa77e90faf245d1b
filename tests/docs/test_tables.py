"""The tutorial's tables: the reference against the value the tutorial printed (with the erratum
that explains a difference), the vector's details (tolerances, flags, notes) in a collapsed
"for implementers" block, and the worked arithmetic before its table. Fast: no site is built."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("mkdocs", reason="mkdocs is not installed (pip install 'nnref[docs]')")

from nnref_docs import worked

pytestmark = [pytest.mark.docs, pytest.mark.spec("E1", "D_ce")]


def rows_of(markdown: str) -> dict[str, list[str]]:
    """First cell -> cells, for the table rows outside any collapsed block."""
    rows = {}
    for line in markdown.split("\n"):
        if line.startswith("|") and not line.startswith("| id"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            rows[cells[0]] = cells
    return rows


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_summary_compares_with_the_tutorial_and_links_the_erratum(lang):
    text = worked.examples_summary(lang, None)
    visible, _, collapsed = text.partition("??? info")
    rows = rows_of(visible)
    assert "[E1](errata.md#e1)" in rows["`D_ce`"][-1]
    assert "1.7344" in rows["`D_ce`"][-1]  # 3.0658839 - 1.3314965, not the vector's 0.0
    agree = "agrees to the digits printed" if lang == "en" else "記載された桁まで一致"
    assert rows["`W3_3-layer`"][-1] == agree and rows["`D_softmax`"][-1] == agree
    assert "abs error" not in visible and "1e-" not in visible  # tolerances are collapsed
    assert collapsed and "1e-" in collapsed


def test_a_case_shows_its_arithmetic_first_and_collapses_the_vector():
    (case,) = [c for c in worked.cases() if c["id"] == "W1_1-weighted-sum"]
    text = worked.render_case(case, "en")
    assert text.index("\\begin{aligned}") < text.index("| what |")
    visible, _, collapsed = text.partition('??? info "For implementers')
    assert "tolerance" not in visible and "tolerance" in collapsed
    assert re.search(r"u_\{1\} &= 1 \\cdot 1 \+ \\left\(-1\\right\) \\cdot 2", visible)
