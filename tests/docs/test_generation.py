"""The docs' build-time generation (docs/nnref_docs): it fails loudly, never silently.

Fast unit tests of the generators the MkDocs hooks call; no site is built.
Each failure mode the issue names is provoked on purpose: a derivation that
does not verify, a reference value outside a vector's tolerance, an erratum
whose evidence no longer holds, KaTeX not installed, a page without its
Japanese version, an unknown marker.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

pytest.importorskip("mkdocs", reason="mkdocs is not installed (pip install 'nnref[docs]')")


from nnref_docs import derivations, errata, generate, katex, markers, pages, worked
from nnref_docs.errors import DocsBuildError

pytestmark = pytest.mark.docs
assert pages  # every generator registered


def test_unknown_marker_fails_the_build():
    with pytest.raises(DocsBuildError, match=r"page\.md: unknown marker nnref:no_such"):
        markers.expand("text\n<!-- nnref:no_such -->\n", "en", "page.md")


def test_marker_output_keeps_the_indentation_of_its_block():
    markers.GENERATORS["_test_two_lines"] = lambda lang, arg: f"{lang} {arg}\n\nsecond"
    try:
        out = markers.expand(
            "??? example\n\n    <!-- nnref:_test_two_lines X -->\nafter\n", "ja", "p"
        )
    finally:
        del markers.GENERATORS["_test_two_lines"]
    assert out == "??? example\n\n    ja X\n\n    second\nafter\n"


@pytest.mark.slow
def test_S6_a_derivation_that_fails_to_verify_fails_the_build():
    """sigmoid' = f(1 + f) instead of f(1 - f): the build stops and names the step."""
    import sympy as sp

    from nnref.symbolic import registry

    good = registry.get("sigmoid_derivative")
    (x,) = good.step("derivative").lhs.free_symbols
    f = 1 / (1 + sp.exp(-x))
    wrong = good.with_step("derivative", rhs=f * (1 + f))
    assert derivations.verify([(good, "activations")])  # the original proves
    with pytest.raises(DocsBuildError, match=r"sigmoid_derivative step 0 \(derivative\)"):
        derivations.verify([(wrong, "activations")])


@pytest.mark.slow
def test_every_registered_derivation_is_rendered_on_its_group_page():
    for derivation, group, _ in derivations.verified():
        assert f"{{#{derivation.name}}}" in derivations.render_group(group, "en")
        assert "SymPy で検証済み" in derivations.render_group(group, "ja")


def test_W3_3_a_reference_value_outside_the_tolerance_fails_the_build(monkeypatch):
    real = worked.run

    def off_by_a_little(operation, inputs):
        got = real(operation, inputs)
        return [v + 1e-6 for v in got] if operation == "forward" else got

    worked.cases.cache_clear()
    monkeypatch.setattr(worked, "run", off_by_a_little)
    try:
        with pytest.raises(DocsBuildError, match=r"the reference gives .* for tutorial vector"):
            worked.cases()
    finally:
        worked.cases.cache_clear()


def test_W1_1_example_shows_the_value_computed_now():
    text = worked.example("en", "W1_1")
    assert (
        r"u_{1} &= 1 \cdot 1 + \left(-1\right) \cdot 2 + 2 \cdot \left(-1\right)"
        r" \\ &\qquad + \left(-2\right) \cdot \left(-2\right) - 2 \\  &= -1"
    ) in text
    assert "W1_1, S1" in text


def test_E1_evidence_that_no_longer_holds_fails_the_build(monkeypatch):
    """If cross_entropy used log10, E1's evidence would break: the build must stop."""
    import math

    from nnref import reference

    monkeypatch.setattr(
        reference, "cross_entropy", lambda y, t: -sum(tk * math.log10(yk) for yk, tk in zip(y, t))
    )
    with pytest.raises(DocsBuildError, match="natural-log cross-entropy"):
        errata.erratum("en", "E1")


@pytest.mark.slow
@pytest.mark.parametrize("erratum", ["E1", "E2", "E3", "E4", "E5", "E6"])
def test_each_erratum_has_evidence_and_a_proof(erratum):
    text = errata.erratum("ja", erratum)
    assert "|" in text and "generated/derivations/" in text


def test_missing_katex_fails_with_the_install_command(monkeypatch, tmp_path):
    monkeypatch.setattr(katex, "KATEX_DIST", tmp_path / "node_modules" / "katex" / "dist")
    with pytest.raises(DocsBuildError, match=r"npm ci --prefix docs"):
        katex.install(tmp_path / "out")


def test_a_page_without_its_japanese_version_fails_the_build():
    def page(uri: str):
        return SimpleNamespace(src_uri=uri, inclusion=SimpleNamespace(is_included=lambda: True))

    generate.check_translations([page("index.md"), page("index.ja.md")])
    with pytest.raises(DocsBuildError, match=r"new\.md has no \.ja\.md"):
        generate.check_translations([page("index.md"), page("index.ja.md"), page("new.md")])


def test_a_formula_katex_cannot_parse_fails_the_build(katex_installed):
    """Every formula is parsed by the site's KaTeX under node at build time."""
    from nnref_docs import mathcheck

    good = '<span class="arithmatex">\\(u_j = \\sum_i x_i W_{ij} - b_j\\)</span>'
    assert mathcheck.collect("ok.md", good) == 1
    assert mathcheck.check() == 1
    mathcheck.collect("bad.md", good + '<div class="arithmatex">\\[\\frac{1}{\\]</div>')
    with pytest.raises(DocsBuildError, match=r"1 formula\(s\) KaTeX cannot render: bad\.md"):
        mathcheck.check()
