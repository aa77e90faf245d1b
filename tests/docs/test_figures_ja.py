"""The matplotlib figures on the Japanese pages are drawn with Japanese labels, in the CJK font
that the japanize-matplotlib package ships (no glyph is missing). Fast: draws one figure."""

from __future__ import annotations

import re
import warnings

import pytest

pytest.importorskip("matplotlib", reason="matplotlib is not installed (pip install 'nnref[docs]')")

from nnref_docs import figures

from tests.docs import DOCS

pytestmark = pytest.mark.docs


@pytest.mark.parametrize("page", ["figures.ja.md", "tutorial.ja.md"])
def test_japanese_pages_show_the_japanese_figures(page):
    text = (DOCS / page).read_text(encoding="utf-8")
    shown = re.findall(r"generated/figures/([\w-]+)\.png", text)
    assert shown and all(name.endswith("-ja") for name in shown), shown


def test_a_japanese_figure_has_every_glyph():
    pytest.importorskip("japanize_matplotlib", reason="pip install japanize-matplotlib")
    assert figures.japanese_font() == "IPAexGothic"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)"
        name = figures.vanishing_gradient("ja")
    assert name == "vanishing_gradient-ja.png"
    assert (figures.OUT / name).stat().st_size > 1000
