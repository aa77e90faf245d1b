"""One search index per language, and the Japanese separator (docs/nnref_docs/search_index.py).
Fast: a two-page index written by hand, no site build; the browser tests search the real site."""

from __future__ import annotations

import json
import re

import pytest

pytest.importorskip("mkdocs", reason="mkdocs is not installed (pip install 'nnref[docs]')")

from nnref_docs import search_index

pytestmark = pytest.mark.docs


def test_the_japanese_separator_splits_where_the_script_changes():
    separator = re.compile(search_index.JA_SEPARATOR)
    words = [w for w in separator.split("交差エントロピーと重みの初期化、nnref check。") if w]
    assert words == ["交差", "エントロピー", "と", "重", "みの", "初期化", "nnref", "check"]


def test_each_language_gets_its_own_index(tmp_path):
    (tmp_path / "search").mkdir()
    merged = {
        "config": {"lang": ["en", "ja"], "separator": r"[\s\-]+", "fields": {}},
        "docs": [
            {"location": "tutorial/", "title": "Tutorial", "text": "threshold"},
            {"location": "ja/tutorial/", "title": "チュートリアル", "text": "閾値"},
        ],
    }
    (tmp_path / "search" / "search_index.json").write_text(json.dumps(merged), encoding="utf-8")
    assert search_index.split(tmp_path) == {"en": 1, "ja": 1}
    en = json.loads((tmp_path / "search" / "search_index.json").read_text(encoding="utf-8"))
    ja = json.loads((tmp_path / "ja" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert [d["location"] for d in en["docs"]] == ["tutorial/"] and en["config"]["lang"] == ["en"]
    # relative to ja/, the Japanese pages' base
    assert [d["location"] for d in ja["docs"]] == ["tutorial/"] and ja["config"]["lang"] == ["ja"]
    assert ja["config"]["separator"] == search_index.JA_SEPARATOR
    script = (tmp_path / "ja" / "search" / "search_index.js").read_text(encoding="utf-8")
    assert script.startswith("var __index = {")  # what a page opened from disk loads


def test_a_japanese_page_loads_the_japanese_index():
    html = '<script id="__config" type="application/json">{"annotate": null, "base": "../.."}'
    assert '"base": "../../ja/"' in search_index.japanese_base(html)


def test_a_japanese_section_is_found_by_its_english_title(tmp_path):
    (tmp_path / "search").mkdir()
    merged = {
        "config": {"lang": ["en", "ja"], "separator": r"[\s\-]+", "fields": {}},
        "docs": [
            {"location": "tutorial.html#bp", "title": "7. Backpropagation", "text": "delta"},
            {"location": "ja/tutorial.html#bp", "title": "7. 誤差逆伝播", "text": "出力の誤差"},
        ],
    }
    (tmp_path / "search" / "search_index.json").write_text(json.dumps(merged), encoding="utf-8")
    search_index.split(tmp_path)
    ja = json.loads((tmp_path / "ja" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert ja["docs"][0]["text"] == "出力の誤差 7. Backpropagation"
