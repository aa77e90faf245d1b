"""One search index per language, and Japanese words that search can find.

Material's search reads one index, ``<base>/search/search_index.json``, and the
i18n plugin fills it with the pages of every language: an English search lists
Japanese pages. After the last language is built, ``split`` writes one index per
language (``search/`` for English, ``ja/search/`` for Japanese, each also as
``search_index.js`` for a site opened from disk), and ``japanese_base`` points a
Japanese page's ``base`` at ``ja/`` so it loads its own index.

Japanese has no spaces between words. Material splits both the indexed text and
the query with the index's ``separator`` and then cuts the indexed text further
with TinySegmenter, which the query never sees: 「交差エントロピー」 typed as
one word matched no indexed word. The Japanese separator therefore also splits
wherever the script changes (kanji, hiragana, katakana, Latin), the same way on
both sides: 交差|エントロピー, 勾配|チェッカー, 重|みの|初期化.

A Japanese section's entry also carries the English title of the same section, so that
an English term ("backpropagation") finds the Japanese page that uses it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

_KANJI = r"\u3400-\u4dbf\u4e00-\u9fff\u3005-\u3007"
_HIRAGANA = r"\u3041-\u309f"
_KATAKANA = r"\u30a0-\u30ff\uff66-\uff9f"
_LATIN = r"A-Za-z0-9"
_PUNCTUATION = r"\s\-\u3000、。，．・「」『』（）()［］【】：；！？:;!?,."


def _boundary(a: str, b: str) -> str:
    return f"(?<=[{a}])(?=[{b}])"


#: Splits at spaces and punctuation, and between two characters of different scripts.
JA_SEPARATOR = "|".join(
    [f"[{_PUNCTUATION}]+"]
    + [
        _boundary(a, b)
        for a in (_KANJI, _HIRAGANA, _KATAKANA, _LATIN)
        for b in (_KANJI, _HIRAGANA, _KATAKANA, _LATIN)
        if a != b and not (a == _LATIN and b == _LATIN)
    ]
)
JA_CONFIG = {"lang": ["ja"], "separator": JA_SEPARATOR, "pipeline": ["stopWordFilter", "trimmer"]}
_BASE = re.compile(r'(<script id="__config" type="application/json">\{[^<]*?"base": ")([^"]*)(")')


def _write(folder: Path, data: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    (folder / "search_index.json").write_text(text, encoding="utf-8")
    # Material loads this script instead of fetching the JSON when the page is a file:// URL.
    (folder / "search_index.js").write_text(f"var __index = {text}", encoding="utf-8")


def split(site: Path, lang: str = "ja") -> dict[str, int]:
    """Write the English and the ``lang`` index apart; return how many entries each has."""
    index = site / "search" / "search_index.json"
    data = json.loads(index.read_text(encoding="utf-8"))
    prefix = f"{lang}/"
    own = [d for d in data["docs"] if d["location"].startswith(prefix)]
    rest = [d for d in data["docs"] if not d["location"].startswith(prefix)]
    english = {**data["config"], "lang": ["en"]}
    _write(index.parent, {"config": english, "docs": rest})
    # A Japanese section is also found by its English title: the headings carry the English
    # anchors (hooks.english_anchors), so the same location names the same section.
    titles = {d["location"]: d.get("title", "") for d in rest}
    located = []
    for d in own:
        location = d["location"][len(prefix) :]
        english = titles.get(location, "")
        text = d.get("text", "")
        if english and english != d.get("title"):
            text = f"{text} {english}".strip()
        located.append({**d, "location": location, "text": text})
    japanese = {**data["config"], **JA_CONFIG}
    _write(site / lang / "search", {"config": japanese, "docs": located})
    return {"en": len(rest), lang: len(own)}


def japanese_base(html: str, lang: str = "ja") -> str:
    """A page of ``lang`` whose ``base`` (Material's root for the search index) is ``lang/``."""
    return _BASE.sub(lambda m: f"{m.group(1)}{m.group(2)}/{lang}/{m.group(3)}", html, count=1)
