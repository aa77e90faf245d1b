"""The site, built and opened in Chromium in both languages at 1280 and 390 px: the engineer's
pages, the walk-through's chapters, the network figure (its phone version on a phone, no label
on another or on an edge), derivation math without θ( or a double minus, no raw Sphinx role on
the API page, KaTeX only where there is math, and meaningful Japanese anchors."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from tests.docs.test_site import READY, problems

pytestmark = [pytest.mark.docs, pytest.mark.slow]

CHAPTERS = ("chain-rule-patterns", "optimizers", "initialization", "vanishing-gradients")
WIDTHS = (1280, 390)


@pytest.fixture
def width(browser, request):
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        width=request.param,
        height=900,
        deviceScaleFactor=1,
        mobile=request.param < 600,
    )
    yield request.param
    browser.call("Emulation.clearDeviceMetricsOverride")


@pytest.mark.parametrize("lang", ["", "ja/"])
def test_the_install_and_changelog_pages_are_built(site, lang):
    for page in ("install.html", "changelog.html"):
        text = re.sub(r"<[^>]+>", "", (site / f"{lang}{page}").read_text(encoding="utf-8"))
        assert ("pip install nnref" if page == "install.html" else "CHANGELOG.md") in text


@pytest.mark.parametrize("width", WIDTHS, indirect=True)
@pytest.mark.parametrize("lang", ["", "ja/"])
def test_every_chapter_and_the_right_network_figure(server, browser, width, lang):
    log = browser.open(f"{server}/{lang}tutorial.html", ready=READY)
    assert not problems(log, server)
    ids = browser.evaluate("[...document.querySelectorAll('article h2')].map(h => h.id)")
    positions = [ids.index(c) for c in CHAPTERS]  # every chapter, in order
    assert positions == sorted(positions)
    assert int(browser.evaluate("document.body.dataset.mathErrors")) == 0
    shown = browser.wait_for(
        "[...document.querySelectorAll('img.nnref-network')].every(i => i.complete"
        " && i.naturalWidth > 0) && [...document.querySelectorAll('img.nnref-network')]"
        ".map(i => i.currentSrc)"
    )
    phone = [src for src in shown if "_phone-" in src]
    assert len(shown) == 2 and len(phone) == (2 if width < 600 else 0), shown
    if width < 600:  # the tall figure is drawn at about its own size: labels stay readable
        drawn = browser.evaluate("document.querySelector('img.nnref-network').clientWidth")
        assert drawn >= 0.85 * 384, drawn


@pytest.mark.parametrize("lang", ["", "ja/"])
def test_the_drawn_network_figures_have_no_overlapping_label(site, lang):
    from nnref_docs import network_svg

    suffix = "ja" if lang else "en"
    for path in sorted((site / "generated" / "figures").glob(f"network_*-{suffix}.svg")):
        svg = path.read_text(encoding="utf-8")
        ET.fromstring(svg)
        assert network_svg.check_layout(svg) == [], path.name


@pytest.mark.parametrize("lang", ["", "ja/"])
def test_derivation_math_reads_as_the_tutorial_writes_it(server, browser, lang):
    for group in ("worked", "backprop", "activations", "errata"):
        browser.open(f"{server}/{lang}generated/derivations/{group}.html", ready=READY)
        tex = browser.evaluate(
            "[...document.querySelectorAll('annotation[encoding=\"application/x-tex\"]')]"
            ".map(a => a.textContent).join('\\n')"
        )
        assert tex and "\\theta\\left(" not in tex and not re.search(r"[+-]\s*-\s*\d", tex)
        assert not re.search(r"\\frac\{d\}\{d\s*w", tex)


def test_the_api_page_has_no_raw_sphinx_role(server, browser):
    browser.open(f"{server}/api.html", ready=READY)
    text = browser.evaluate("document.querySelector('article').innerText")
    assert not re.search(r":(data|class|func|meth|mod|attr|exc):", text)


def test_katex_loads_only_where_there_is_math(site):
    assert "katex.min.js" not in (site / "install.html").read_text(encoding="utf-8")
    assert "katex.min.js" not in (site / "changelog.html").read_text(encoding="utf-8")
    assert "katex.min.js" in (site / "tutorial.html").read_text(encoding="utf-8")


def test_japanese_headings_have_the_english_anchors(site):
    made_up = []
    for path in sorted((site / "ja").rglob("*.html")):
        made_up += [
            f"{path.name}#{i}" for i in re.findall(r'<h[1-6] id="(_\d*)"', path.read_text())
        ]
    assert not made_up, made_up
    html = (site / "ja" / "checking.html").read_text(encoding="utf-8")
    assert 'id="start-here"' in html and 'id="the-protocol"' in html


def test_the_japanese_api_page_links_every_module_and_function_to_its_english_anchor(site):
    from nnref_docs import api_page

    html = (site / "ja" / "api.html").read_text(encoding="utf-8")
    english = (site / "api.html").read_text(encoding="utf-8")
    links = re.findall(r'href="\.\./api\.html#([^"]+)"', html)
    assert set(api_page.ROLES_JA) <= set(links)
    assert len(links) > 2 * len(api_page.ROLES_JA)  # the functions and classes too
    missing = [a for a in links if f'id="{a}"' not in english]
    assert not missing, missing


def test_an_english_term_finds_the_japanese_pages(server, browser):
    from tests.docs.test_site import search

    found = search(browser, f"{server}/ja/index.html", "backpropagation")
    assert found and all(path.startswith("/ja/") for path in found), found
