"""The site's specification page: one anchor per clause, and 'checked by' lists equal to
``nnref coverage`` (plus the proven derivations)."""

from __future__ import annotations

import json
import re

import pytest

from nnref.conformance import spec
from tests.conformance.helpers import nnref

LABELS = {"vectors": "vectors", "properties": "property checks", "tests": "tests"}


@pytest.fixture(scope="module")
def pages():
    from nnref_docs import spec_page

    return {lang: spec_page.render(lang) for lang in spec.LANGS}


def _lists(page: str) -> dict[str, dict[str, list[str]]]:
    """Clause -> kind -> the code spans listed under it on the page."""
    out, current = {}, None
    for line in page.splitlines():
        current = spec.heading_id(line) or current
        match = re.match(r"    - \*\*(.+?)\*\*: (.*)$", line)
        if current and match:
            out.setdefault(current, {})[match.group(1)] = re.findall(r"`([^`]+)`", match.group(2))
    return out


def test_every_clause_has_one_anchor_in_the_page_order(pages):
    for lang, page in pages.items():
        anchors = re.findall(r"^### .+ \{#([^}]+)\}$", page, re.MULTILINE)
        assert anchors == list(spec.ids(lang)), lang


def test_the_checked_by_lists_agree_with_nnref_coverage(pages, capsys, tmp_path):
    status, _, _ = nnref(capsys, "coverage", "--json", tmp_path / "c.json")
    table = json.loads((tmp_path / "c.json").read_text())["clauses"]
    assert status == 0, "some clause is checked by nothing"
    listed = _lists(pages["en"])
    for clause, found in table.items():
        for kind, label in LABELS.items():
            assert listed.get(clause, {}).get(label, []) == found[kind], (clause, kind)


def test_the_japanese_page_lists_the_same_items(pages):
    en, ja = _lists(pages["en"]), _lists(pages["ja"])
    assert {c: sorted(map(tuple, k.values())) for c, k in en.items()} == {
        c: sorted(map(tuple, k.values())) for c, k in ja.items()
    }


def test_derivations_are_listed_under_the_clauses_they_name(pages):
    from nnref.symbolic import registry

    listed = _lists(pages["en"])
    for name in registry.names():
        for clause in registry.clauses_of(name):
            assert name in listed[clause]["derivations"], (name, clause)


def test_clause_ids_in_the_text_link_to_their_anchors(pages):
    for lang, page in pages.items():
        targets = re.findall(r"\]\(#([^)]+)\)", page)
        assert {"S21", "E5", "D_mse"} <= set(targets), lang
        assert set(targets) <= set(spec.ids(lang)), lang
