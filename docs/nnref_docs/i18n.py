"""The two languages of the site."""

LANGS = ("en", "ja")


def tr(lang: str, en: str, ja: str) -> str:
    """``en`` or ``ja`` by the page's language (English for anything else)."""
    return ja if lang == "ja" else en
