"""The Japanese site's own chrome and figures: the dark-mode toggle speaks Japanese, and the
Japanese benchmarks page shows the plots drawn with Japanese labels. Reads the built site."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.docs

TOGGLE = re.compile(
    r'<label class="md-header__button md-icon" title="([^"]*)"[^>]*>\s*<svg[^>]*><path d="([^"]+)"'
)
TOOLTIPS = {
    "": ["Switch to dark mode", "Switch to light mode"],
    "ja/": ["ダークモードに切り替える", "ライトモードに切り替える"],
}


@pytest.mark.parametrize("prefix", sorted(TOOLTIPS))
@pytest.mark.parametrize(
    "page", ["index.html", "benchmarks.html", "generated/derivations/losses.html"]
)
def test_the_palette_toggle_speaks_the_pages_language(site, prefix, page):
    toggles = TOGGLE.findall((site / prefix / page).read_text(encoding="utf-8"))
    assert [title for title, _ in toggles] == TOOLTIPS[prefix]
    english = TOGGLE.findall((site / page).read_text(encoding="utf-8"))
    assert [icon for _, icon in toggles] == [icon for _, icon in english]  # the icons stay


@pytest.mark.parametrize(("prefix", "suffix"), [("", ""), ("ja/", "-ja")])
def test_the_benchmarks_page_shows_its_languages_plots(site, prefix, suffix):
    text = (site / prefix / "benchmarks.html").read_text(encoding="utf-8")
    shown = sorted(set(re.findall(r"generated/figures/(bench_[a-z]+(?:-ja)?)\.png", text)))
    assert len(shown) == 6 and all(name.endswith(suffix) for name in shown), shown
    if not suffix:
        assert not [name for name in shown if name.endswith("-ja")], shown
    for name in shown:
        assert (site / "generated" / "figures" / f"{name}.png").stat().st_size > 1000
