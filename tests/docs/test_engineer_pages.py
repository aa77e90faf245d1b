"""The engineer's way in: the install and changelog pages exist in both languages, the facts
they show are read at build time (version, extras, repository address), the quick start has
the losses ``nnref gradcheck`` needs, and no page writes a clause count or range by hand."""

from __future__ import annotations

import re

import pytest
import yaml
from nnref_docs import checking, markers, project

from tests.docs import DOCS

pytestmark = pytest.mark.docs

PAGES = sorted(p.name for p in DOCS.glob("*.md"))
#: A range that starts at a kind's first clause (E1..E6, S1-S26, E1〜E10): a count in disguise.
HAND_RANGE = re.compile(r"\b([SE])1\s*(?:\.\.|〜|–|-|to)\s*\1(\d+)\b")
HAND_COUNT = re.compile(r"\b\d+ (?:clauses|errata)\b|[0-9十]+ ?か所|全 ?\d+ ?条項")


def nav_pages() -> list[str]:
    config = yaml.load((DOCS.parent / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)

    def walk(node):
        if isinstance(node, str):
            yield node
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)
        elif isinstance(node, dict):
            for value in node.values():
                yield from walk(value)

    return list(walk(config["nav"]))


@pytest.mark.parametrize("name", ["install", "changelog"])
def test_the_install_and_changelog_pages_exist_in_both_languages_and_the_nav(name):
    for page in (f"{name}.md", f"{name}.ja.md"):
        assert (DOCS / page).exists(), page
    assert f"{name}.md" in nav_pages()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_install_page_shows_pip_the_extras_a_clone_and_the_version(lang):
    page = DOCS / ("install.md" if lang == "en" else "install.ja.md")
    text = markers.expand(page.read_text(encoding="utf-8"), lang, page.name)
    from nnref import __version__

    assert "pip install nnref\n" in text and __version__ in text
    extras = project.pyproject()["project"]["optional-dependencies"]
    for extra in extras:
        assert f"`pip install 'nnref[{extra}]'`" in text
    assert "pip install -e ." in text and "nnref.__version__" in text


def test_no_repository_address_is_invented(monkeypatch):
    """Without repo_url the pages name no address; with it, the clone command uses it."""
    monkeypatch.setitem(project.CONFIG, "repo_url", "")
    assert project._repo_link("en", None) == ""
    assert "git clone" not in project._install_clone("en", None)
    monkeypatch.setitem(project.CONFIG, "repo_url", "https://git.example/nnref")
    assert "git clone https://git.example/nnref nnref" in project._install_clone("ja", None)
    assert "<https://git.example/nnref>" in project._repo_link("en", None)


def test_the_changelog_page_is_changelog_md():
    text = markers.expand((DOCS / "changelog.md").read_text(encoding="utf-8"), "en", "x")
    source = (DOCS.parent / "CHANGELOG.md").read_text(encoding="utf-8")
    entries = [line for line in source.splitlines() if line.startswith("- ")]
    assert entries and all(line in text for line in entries)
    ja = markers.expand((DOCS / "changelog.ja.md").read_text(encoding="utf-8"), "ja", "x")
    for name, _date, _ in project.changelog_versions():
        assert project.anchor(name, _date) in ja


@pytest.mark.spec("S13", "S14")
def test_the_quick_start_has_the_losses_gradcheck_needs():
    code = checking.quickstart_code()
    assert "def squared_error(y, t)" in code and "def cross_entropy(y, t)" in code
    for page in ("gradcheck.md", "gradcheck.ja.md"):
        text = (DOCS / page).read_text(encoding="utf-8")
        assert "`squared_error(y, t)`" in text and "`cross_entropy(y, t)`" in text


@pytest.mark.parametrize("page", PAGES)
def test_no_page_writes_a_clause_count_by_hand(page):
    text = (DOCS / page).read_text(encoding="utf-8")
    if page.startswith("changelog"):
        return  # a release's entry records the counts of its day
    found = HAND_RANGE.findall(text) + HAND_COUNT.findall(text)
    assert not found, f"{page}: write <!-- nnref:range ... --> or nnref:count, not {found}"


def test_the_generated_counts_are_the_specs():
    from nnref.conformance.spec import ids

    every = ids()
    errata = [i for i in every if re.fullmatch(r"E\d+", i)]
    assert project.clause_range("errata") == f"E1–{errata[-1]}"
    assert project._count("en", "clauses") == str(len(every))
    assert project._count("en", "errata") == str(len(errata))
    assert len(every) >= 61 and len(errata) >= 18
