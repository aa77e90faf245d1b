"""Derivation pages read as a textbook: the tutorial's notation, one status line per
derivation, no tautology, and every displayed equality proven by SymPy (a false one, or a
formula shown twice, fails the build). Fast: renders the pages' Markdown, builds no site."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("mkdocs", reason="mkdocs is not installed (pip install 'nnref[docs]')")

from nnref_docs import derivations, lessons, texprint
from nnref_docs.errors import DocsBuildError

from nnref.symbolic import textbook

pytestmark = pytest.mark.docs

MATH = re.compile(r"\\\[(.*?)\\\]|\\\((.*?)\\\)", re.DOTALL)
#: A sign right before a minus: "- -4", "+ -x" (a double minus, or a sum that reads like one).
DOUBLE_MINUS = re.compile(r"[+-]\s*-\s*[\w\\(]|−\s*−")
#: A total derivative by a network's weight, threshold, sum or output: ∂ is meant there.
TOTAL_BY_PARAMETER = re.compile(r"\\frac\{d[^}]*\}\{d\s*(?:w|b|W|u|c|y|\\delta)|d/dw")


@pytest.fixture(scope="module")
def pages() -> dict[tuple[str, str], str]:
    return {(g, lang): derivations.render_group(g, lang) for g in derivations.groups()
            for lang in ("en", "ja")}  # fmt: skip


def math_of(text: str) -> list[str]:
    return [a or b for a, b in MATH.findall(text)]


def test_no_double_minus_no_theta_no_total_derivative_by_a_weight(pages):
    found = []
    for (group, lang), text in pages.items():
        for tex in math_of(text):
            for name, pattern in (("double minus", DOUBLE_MINUS), ("d/dw", TOTAL_BY_PARAMETER)):
                if pattern.search(tex):
                    found.append(f"{group}.{lang}: {name}: {tex[:90]}")
            if "\\theta\\left(" in tex or "θ(" in tex:
                found.append(f"{group}.{lang}: θ(: {tex[:90]}")
    assert not found, "\n".join(found)


def test_one_status_line_per_derivation_and_no_per_step_proof(pages):
    for (group, lang), text in pages.items():
        headings = len(re.findall(r"^## ", text, flags=re.MULTILINE))
        status = text.count("Verified by SymPy at build time") + text.count(
            "ビルド時に SymPy で検証済み"
        )
        assert status == headings, (group, lang)
        assert "Proved (" not in text and "証明済み（" not in text


def test_japanese_pages_do_not_misuse_yakubun(pages):
    assert not any("約分" in text for (_, lang), text in pages.items() if lang == "ja")


def test_no_displayed_tautology(pages):
    for (group, lang), text in pages.items():
        for tex in math_of(text):
            sides = [s.replace(" ", "") for s in re.split(r"(?<![<>\\])=", tex) if s.strip()]
            if len(sides) == 2 and "\\begin" not in tex:
                assert sides[0] != sides[1], f"{group}.{lang}: {tex}"


def test_the_tutorial_notation_in_the_printer():
    import sympy as sp

    u, w = sp.symbols("u w_11")
    E = sp.Function("E")(w, u)
    assert texprint.latex(sp.Heaviside(u, 1)) == r"\operatorname{step}\left(u\right)"
    assert texprint.latex(sp.Derivative(E, w)).startswith(r"\frac{\partial E}{\partial w_{11}}")
    assert texprint.latex(sp.Add(u, sp.Mul(-1, -4, evaluate=False), evaluate=False)) == (
        r"u - \left(-4\right)"
    )


def test_sums_print_in_textbook_order():
    """SymPy's order puts a negative term first (-1/2 + f); the site writes f - 1/2, xw - b."""
    import sympy as sp

    f, x, w, b = sp.symbols("f(x) x w b")
    half = sp.Rational(1, 2)
    assert texprint.latex((f - half) ** 2) == r"\left(f(x) - \frac{1}{2}\right)^{2}"
    assert texprint.latex(sp.Rational(1, 4) - (f - half) ** 2).endswith(
        r"\left(f(x) - \frac{1}{2}\right)^{2}"
    )
    assert texprint.latex(x * w - b) == "w x - b"
    assert texprint.latex(-b - x) == "- b - x"  # no positive term: nothing to put first
    k = sp.Symbol("k")
    assert texprint.latex(sp.Rational(1, 4) ** (k + 1)) == r"\left(\frac{1}{4}\right)^{k + 1}"
    assert texprint.latex(x ** (1 - k)) == "x^{1 - k}"
    # a numerator of minus signs only gives its minus to the fraction
    fraction = (-1 - sp.E**3) / (1 + sp.E + sp.E**3)
    assert texprint.latex(fraction) == r"- \frac{1 + e^{3}}{1 + e + e^{3}}"
    assert texprint.latex(x - fraction) == r"x + \frac{1 + e^{3}}{1 + e + e^{3}}"
    assert texprint.latex(x + fraction) == r"x - \frac{1 + e^{3}}{1 + e + e^{3}}"
    # an order chosen when the sum was built is kept: (-1)·2 + 1 is not SymPy's
    chosen = sp.Add(sp.Mul(-1, 2, evaluate=False), 1, evaluate=False)
    assert texprint.latex(chosen) == r"\left(-1\right) \cdot 2 + 1"


def test_no_derivation_page_starts_a_sum_with_a_minus_before_a_plus(pages):
    """(-1/2 + f(x))^2 and -b + xw read as SymPy wrote them; a textbook writes f(x) - 1/2."""
    bad = re.compile(r"\\left\(- \\frac\{1\}\{2\} \+|\(- \\frac\{1\}\{2\} \+|= -1 \+ \\frac")
    found = [
        f"{group}.{lang}: {m.group(0)}"
        for (group, lang), text in pages.items()
        for m in bad.finditer(text)
    ]
    assert not found, found


def test_a_lesson_line_that_does_not_hold_fails_the_build():
    chain = textbook.Chain(("1*1 + (-1)*2 - 2", "=", "-2"), ("", ""))
    assert textbook.verify(chain)  # it is -3
    with pytest.raises(DocsBuildError, match="does not verify"):
        lessons.check("broken", [chain])


def test_a_tautology_or_a_wrong_rounding_is_not_a_proof():
    assert (
        "same formula twice" in textbook.verify(textbook.Chain(("1252", "=", "1252"), ("", "")))[0]
    )
    assert textbook.verify(textbook.Chain(("1/3", "≈", "0.334"), ("", "")))
    assert not textbook.verify(textbook.Chain(("1/3", "≈", "0.333"), ("", "")))


def test_the_formula_is_shown_in_the_order_written_with_its_numbers():
    chain = textbook.Chain(
        ("u", "=", "x1*w1 + x2*w2 - b", "=", "1*1 + (-1)*2 - 2", "=", "-3"),
        ("", ""),
        {"x1": 1, "x2": -1, "w1": 1, "w2": 2, "b": 2, "u": -3},
    )
    assert not textbook.verify(chain)
    assert chain.tex() == (
        r"u = x_{1} w_{1} + x_{2} w_{2} - b = 1 \cdot 1 + \left(-1\right) \cdot 2 - 2 = -3"
    )


def test_every_lesson_verifies_and_names_a_registered_derivation():
    from nnref.symbolic import registry

    for name in lessons.LESSONS:
        assert name in registry.names()
        assert lessons.count(lessons.lesson(name)) >= 2


@pytest.mark.spec("S6", "S15")
def test_the_spec_page_shows_its_formulas_rendered_and_proven(monkeypatch):
    from nnref_docs import spec_math, spec_page

    text = spec_page.render("en")
    assert (
        r"\frac{\partial E}{\partial u_{1}} = y_{1} - t_{1}" in text
    )  # S15, for any t summing to 1
    assert text.index(r"\sigma\left(x\right) = \frac{1}{1 + e^{-x}}") > text.index("### S6")
    wrong = textbook.Chain(("D(tanh(x), x)", "=", "1 + tanh(x)**2"), ("", ""))
    monkeypatch.setitem(spec_math.chains(), "S7", [wrong])
    with pytest.raises(DocsBuildError, match="S7 does not verify"):
        spec_math.display("S7")
