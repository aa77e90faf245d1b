"""The documentation site, built and opened in headless Chromium.

Builds the site with ``mkdocs build --strict`` into a temporary folder, serves
it on 127.0.0.1 from a thread and opens its pages in Debian's ``chromium``
over the DevTools protocol. Checks, page by page: math rendered by the KaTeX
the site serves itself with no renderer error, images and fonts loaded, no
console error, and no request to any host but the local server. Checks the
Japanese site renders and its search finds Japanese words (閾値, 活性化関数).

Needs: mkdocs and the docs plugins (``pip install 'nnref[docs]'``), KaTeX
(``npm ci --prefix docs``), chromium (``apt-get install -y chromium``) and
websocket-client. Skips with the reason when mkdocs, chromium or
websocket-client is absent; a missing KaTeX fails the build, hence the test.
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.docs.browser import Browser, PageLog, find_chromium

pytestmark = [pytest.mark.docs, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
# Pages that must show rendered math (a formula in their source).
MATH_PAGES = (
    "",
    "tutorial/",
    "errata/",
    "generated/derivations/activations/",
    "ja/",
    "ja/generated/derivations/backprop/",
)


def _require(module: str, reason: str) -> None:
    try:
        __import__(module)
    except ImportError:
        pytest.skip(reason)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The site built with ``mkdocs build --strict``; the build's output names any failure."""
    _require("mkdocs", "mkdocs is not installed (pip install 'nnref[docs]')")
    _require("material", "mkdocs-material is not installed (pip install 'nnref[docs]')")
    _require(
        "mkdocs_static_i18n", "mkdocs-static-i18n is not installed (pip install 'nnref[docs]')"
    )
    out = tmp_path_factory.mktemp("site")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    elapsed = time.perf_counter() - start
    assert done.returncode == 0, f"mkdocs build --strict failed:\n{done.stdout}\n{done.stderr}"
    print(f"mkdocs build --strict: {elapsed:.1f} s")
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(site):
    """The built site served on 127.0.0.1 (a free port) from a thread; yields its origin."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser(server):
    executable = find_chromium()
    if executable is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    _require("websocket", "websocket-client is not installed (pip install websocket-client)")
    with Browser(executable) as chromium:
        yield chromium


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
