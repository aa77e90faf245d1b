"""``nnref derive NAME`` draws each step with SymPy's pretty printer, ``ln`` for the natural log."""

from __future__ import annotations

import io

import pytest

from nnref.symbolic import registry, render


@pytest.mark.spec("S14", "E1")
def test_the_natural_log_is_written_ln_in_unicode_and_ascii():
    d = registry.get("softmax_cross_entropy_delta")
    for unicode in (True, False):
        out = render.text(d, unicode=unicode)
        assert "ln(y" in out and "log(" not in out
    assert "⎡" in render.text(d, unicode=True)
    ascii_out = render.text(d, unicode=False)
    assert "⎡" not in ascii_out and "Derivative(" not in ascii_out
    assert r"\ln{\left(y_{1} \right)}" in render.step_latex(d.steps[0], d)


def test_the_terminal_encoding_picks_unicode_or_ascii():
    assert render.can_show_unicode(io.TextIOWrapper(io.BytesIO(), encoding="utf-8"))
    assert not render.can_show_unicode(io.TextIOWrapper(io.BytesIO(), encoding="ascii"))


@pytest.mark.spec("S10")
def test_a_matrix_equation_is_split_into_its_entries_for_narrow_pages():
    d = registry.get("softmax_sum_and_jacobian")
    parts = render.step_parts(d.step("jacobian"), d)
    assert len(parts.entries) == 9 and parts.entries[0][:2] == (1, 1)
    given = registry.get("softmax_cross_entropy_delta").step("delta")
    assert render.step_parts(given, registry.get("softmax_cross_entropy_delta")).given
