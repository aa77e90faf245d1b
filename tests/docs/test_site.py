"""The documentation site, built and opened in headless Chromium.

Builds the site with ``mkdocs build --strict`` into a temporary folder, serves
it on 127.0.0.1 from a thread and opens its pages in Debian's ``chromium``
over the DevTools protocol. Checks, page by page: math rendered by the KaTeX
the site serves itself with no renderer error, images and fonts loaded, no
console error, and no request to any host but the local server. Checks the
Japanese site renders and its search finds Japanese words (閾値, 活性化関数).

Needs: mkdocs and the docs plugins (``pip install 'nnref[docs]'``), npm (the
session installs KaTeX once, see conftest.py), chromium (``apt-get install -y
chromium``) and websocket-client. Skips, naming what is missing, without them.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.docs.browser import PageLog

pytestmark = [pytest.mark.docs, pytest.mark.slow]

# Pages that must show rendered math (a formula in their source).
MATH_PAGES = (
    "",
    "tutorial/",
    "errata/",
    "generated/derivations/activations/",
    "ja/",
    "ja/generated/derivations/backprop/",
)


READY = "document.readyState === 'complete' && document.body.dataset.mathRendered !== undefined"


def problems(log: PageLog, origin: str) -> list[str]:
    """Everything wrong with one page load: foreign requests, failed loads, errors."""
    found = []
    for url in log.requests:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            continue
        if f"{parts.scheme}://{parts.netloc}" != origin:
            found.append(f"request to another host: {url}")
    found += [f"failed to load: {item}" for item in log.failed]
    found += log.errors
    return found


def all_pages(site: Path) -> list[str]:
    """Every HTML page of the built site, as a path relative to its root."""
    pages = []
    for path in sorted(site.rglob("index.html")):
        rel = path.parent.relative_to(site).as_posix()
        pages.append("" if rel == "." else rel + "/")
    return pages


def test_every_page_is_offline_and_error_free(site, server, browser):
    """No page requests another host, fails a load, or logs an error or a math error."""
    pages = all_pages(site)
    assert "ja/" in pages and len(pages) >= 20, pages
    report = []
    for page in pages:
        log = browser.open(f"{server}/{page}", ready=READY)
        errors = int(browser.evaluate("document.body.dataset.mathErrors"))
        found = problems(log, server)
        if errors:
            found.append(f"{errors} formula(s) KaTeX could not render")
        report += [f"/{page}: {item}" for item in found]
    assert not report, "\n".join(report)


@pytest.mark.parametrize("page", MATH_PAGES)
def test_math_is_rendered_by_the_local_katex(server, browser, page):
    log = browser.open(f"{server}/{page}", ready=READY)
    assert not problems(log, server)
    rendered = int(browser.evaluate("document.body.dataset.mathRendered"))
    katex_nodes = browser.evaluate("document.querySelectorAll('.katex').length")
    assert rendered > 0 and katex_nodes >= rendered, (rendered, katex_nodes)
    assert int(browser.evaluate("document.body.dataset.mathErrors")) == 0
    assert any("/generated/katex/katex.min.js" in url for url in log.requests)
    # The KaTeX fonts come from the site (woff2 next to katex.min.css), and they loaded.
    loaded = browser.wait_for(
        "[...document.fonts].filter(f => f.family.includes('KaTeX') && f.status === 'loaded')"
        ".length"
    )
    assert loaded >= 1
    assert any(url.endswith(".woff2") and url.startswith(server) for url in log.requests)


def test_japanese_page_renders(server, browser):
    log = browser.open(f"{server}/ja/", ready=READY)
    assert not problems(log, server)
    assert browser.evaluate("document.documentElement.lang") == "ja"
    text = browser.evaluate("document.querySelector('article').innerText")
    for word in ("閾値", "活性化関数", "誤差逆伝播"):
        assert word in text, word
    # the language switch offers both languages
    switch = browser.evaluate(
        "[...document.querySelectorAll('a[hreflang]')].map(a => a.hreflang).join(',')"
    )
    assert "en" in switch and "ja" in switch


@pytest.mark.parametrize("word", ["閾値", "活性化関数"])
def test_search_finds_japanese_words(server, browser, word):
    """Material's search (lang en+ja) finds a Japanese word typed into the search box."""
    browser.open(f"{server}/ja/", ready=READY)
    browser.evaluate(
        "(() => { const q = document.querySelector('input.md-search__input');"
        f" q.focus(); q.value = {word!r};"
        " q.dispatchEvent(new Event('input', {bubbles: true}));"
        " q.dispatchEvent(new KeyboardEvent('keyup', {key: 'Enter', bubbles: true}));"
        " return true; })()"
    )
    count = browser.wait_for("document.querySelectorAll('.md-search-result__item').length")
    assert count >= 1
    hits = browser.evaluate(
        "[...document.querySelectorAll('.md-search-result__item')].map(i => i.innerText).join()"
    )
    assert word in hits


@pytest.mark.parametrize("page", ["figures/", "ja/figures/", "benchmarks/", "ja/benchmarks/"])
def test_figures_load(server, browser, page):
    log = browser.open(f"{server}/{page}", ready=READY)
    assert not problems(log, server)
    images = browser.evaluate(
        "[...document.querySelectorAll('article img')]"
        ".map(i => [i.src, i.complete, i.naturalWidth])"
    )
    assert len(images) >= 4, images
    broken = [src for src, complete, width in images if not (complete and width > 0)]
    assert not broken, broken


OVERFLOW = (Path(__file__).with_name("overflow.js")).read_text(encoding="utf-8")


def test_no_formula_or_table_overflows_its_column_at_1280_px(site, server, browser):
    """At a 1280 px window every formula and table fits its column, on every page."""
    assert browser.evaluate("window.innerWidth") == 1280
    report = []
    for page in all_pages(site):
        browser.open(f"{server}/{page}", ready=READY)
        report += [f"/{page}: {item}" for item in browser.evaluate(OVERFLOW)]
    assert not report, "\n".join(map(str, report))


@pytest.mark.parametrize("page", ["gradcheck/", "ja/gradcheck/"])
def test_the_gradcheck_options_table_shows_the_whole_tolerance_formula(server, browser, page):
    browser.open(f"{server}/{page}", ready=READY)
    cell = browser.evaluate(
        "[...document.querySelectorAll('article td')]"
        ".filter(td => td.previousElementSibling?.previousElementSibling?.innerText"
        ".includes('atol'))[0].innerText"
    )
    # the formula's last term (after the second |) is in the cell: nothing was cut
    assert "≤" in cell and ("floor" in cell or "下限" in cell), cell
