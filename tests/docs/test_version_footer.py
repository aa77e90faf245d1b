"""Every page's footer names the version, read from the one place it is written."""

from __future__ import annotations

import pytest

import nnref


@pytest.mark.docs
@pytest.mark.slow
@pytest.mark.parametrize("page", ["index.html", "ja/index.html", "checking.html"])
def test_the_footer_names_nnrefs_version(site, page):
    html = (site / page).read_text(encoding="utf-8")
    assert f"nnref {nnref.__version__} · " in html, page
