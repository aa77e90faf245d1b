"""The tutorial's network and the chain-rule patterns as SVG (docs/nnref_docs/network_svg.py):
the numbers drawn are the reference's, the labels follow the language. Fast: no site build."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

pytest.importorskip("mkdocs", reason="mkdocs is not installed (pip install 'nnref[docs]')")

from nnref_docs import network_svg

pytestmark = [pytest.mark.docs, pytest.mark.spec("W3_3", "W4_1", "S16", "S17", "S18", "S19")]


def texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)  # well-formed XML, or a browser shows nothing
    return [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_the_forward_network_shows_weights_thresholds_and_the_tutorials_outputs():
    shown = texts(network_svg.network("forward", "en"))
    # W3_3's printed outputs f, g, h (4 digits), W3_2's hidden values, a threshold, a weight
    for label in ("y = 0.1142", "y = 0.8438", "y = 0.04201", "u = 2", "b = −5", "−3"):
        assert label in shown, label
    assert "output layer" in shown and "出力層" in texts(network_svg.network("forward", "ja"))


def test_the_backward_network_shows_the_gradients_of_the_reference():
    from nnref.reference import TUTORIAL_LAYERS, TUTORIAL_T, TUTORIAL_X, gradients

    grads = gradients(TUTORIAL_LAYERS, TUTORIAL_X, TUTORIAL_T, "cross_entropy")
    shown = texts(network_svg.network("backward", "ja"))
    assert network_svg.fmt(grads[2]["W"][1][0], 3) in shown  # dE/dw from d to f
    assert f"∂E/∂b = {network_svg.fmt(grads[0]['b'][0])}" in shown
    assert "δ = −0.8858" in shown  # W4_1: f - 1
    assert "中間層" in shown and "hidden layer" not in shown


@pytest.mark.parametrize("pattern", sorted(network_svg.PATTERNS))
def test_each_chain_rule_pattern_states_its_backward_rule(pattern):
    clause, _, ja, rules = network_svg.PATTERNS[pattern]
    shown = texts(network_svg.chain_pattern(pattern, "ja"))
    assert f"{clause} {ja}" in shown and all(rule in shown for rule in rules)


@pytest.mark.parametrize("layout", sorted(network_svg.LAYOUTS))
@pytest.mark.parametrize("kind", ["forward", "backward"])
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_no_label_overlaps_another_or_crosses_an_edge(kind, layout, lang):
    """Read back from the SVG's geometry: every label clear of every other label, edge and
    neuron, and each weight nearer its own edge than any other (both layouts, both languages)."""
    svg = network_svg.network(kind, lang, layout)
    assert network_svg.check_layout(svg) == []
    edges = [t for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")
             if (t.get("data-for") or "").startswith("edge")]  # fmt: skip
    assert len(edges) == 3 * 2 + 2 * 3 + 3 * 3  # one label per edge


def test_the_check_sees_a_label_on_an_edge_and_two_labels_on_top_of_each_other():
    svg = network_svg.network("backward", "en", "wide")
    root = ET.fromstring(svg)
    line = next(root.iter("{http://www.w3.org/2000/svg}line"))
    x = (float(line.get("x1")) + float(line.get("x2"))) / 2
    y = (float(line.get("y1")) + float(line.get("y2"))) / 2
    on_edge = network_svg._text(x, y + 4, "−4.051", size=13)
    broken = svg.replace("</svg>", on_edge + on_edge + "</svg>")
    problems = network_svg.check_layout(broken)
    assert any("crosses edge" in p for p in problems)
    assert any("overlaps" in p for p in problems)


def test_the_page_offers_a_phone_version_and_the_full_size_figure():
    html = network_svg.network_figure("ja", "backward")
    assert 'media="(max-width: 600px)"' in html and "network_backward_phone-ja.svg" in html
    assert 'href="../generated/figures/network_backward-ja.svg"' in html
