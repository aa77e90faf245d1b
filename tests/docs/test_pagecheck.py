"""The build's own checks of the pages (docs/nnref_docs/pagecheck.py), each provoked on purpose:
a table cell cut by a '|' in math, a stray space in Japanese text, English prose on a Japanese
page, math left unrendered. Fast: no site is built."""

from __future__ import annotations

import itertools

import pytest

pytest.importorskip("mkdocs", reason="mkdocs is not installed (pip install 'nnref[docs]')")

from nnref_docs import pagecheck
from nnref_docs.errors import DocsBuildError

from tests.docs import DOCS

pytestmark = pytest.mark.docs


def test_a_pipe_inside_math_in_a_table_row_fails_the_build():
    row = r"| `atol` | `0` | an entry passes when \(|a - n| \le t\) |"
    assert pagecheck.table_math(row)
    assert not pagecheck.table_math(r"| `atol` | \(\lvert a - n \rvert \le t\) |")
    assert not pagecheck.table_math(r"outside a table \(|a|\) is fine")
    pagecheck.check_markdown("gradcheck.md", row)
    with pytest.raises(DocsBuildError, match=r"gradcheck\.md: a '\|' inside math splits"):
        pagecheck.raise_if_any()


def test_a_space_between_japanese_characters_fails_a_japanese_page():
    planted = "<p>例題はビルド中に\n参照実装が計算する。</p>"
    pagecheck.check_html("index.ja.md", planted, "ja")
    with pytest.raises(DocsBuildError, match="Japanese characters: '例題はビルド中に 参照"):
        pagecheck.raise_if_any()
    # spaces beside code, math, numbers and Latin words are how the pages are written
    fine = (
        '<p>年収 470 万円、<code>nnref check</code> の出力、<span class="arithmatex">\\(u\\)</span>'
        " は ReLU の入力。</p><table><tr><td>出力</td><td>値</td></tr></table>"
    )
    assert not pagecheck.stray_spaces(pagecheck.running_text(fine))


def test_english_prose_fails_a_japanese_page_but_code_math_and_names_do_not():
    pagecheck.check_html("checking.ja.md", "<p>結果は the list of cases である。</p>", "ja")
    with pytest.raises(DocsBuildError, match="English on a Japanese page: 'the list of cases'"):
        pagecheck.raise_if_any()
    fine = (
        "<p>PyTorch、JAX、Material for MkDocs と <code>the list of cases</code>、"
        "Adam（Kingma &amp; Ba）</p>"
    )
    assert not pagecheck.english_prose(pagecheck.running_text(fine))
    pagecheck.check_html("checking.md", "<p>the list of cases</p>", "en")
    pagecheck.raise_if_any()  # English pages may be English


def test_math_left_unrendered_fails_the_build():
    pagecheck.check_html("x.md", "<p>passes when (\\(|a - n</p>", "en")
    with pytest.raises(DocsBuildError, match="math left unrendered"):
        pagecheck.raise_if_any()


def test_no_japanese_source_is_hard_wrapped_mid_sentence():
    """A line break inside a Japanese sentence renders as a space: sources keep one per line."""
    for path in sorted(DOCS.glob("*.ja.md")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for a, b in itertools.pairwise(lines):
            if a and b and not b.lstrip().startswith(("|", "-", "#", "<", "\\", "`", "!", "?")):
                assert not pagecheck.STRAY_SPACE.search(a[-1] + "\n" + b.lstrip()[:1]), (
                    f"{path.name}: {a[-20:]!r} / {b[:20]!r}"
                )
