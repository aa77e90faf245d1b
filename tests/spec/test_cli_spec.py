"""``nnref spec``: list the clauses, print some, one-line errors with the nearest id."""

from __future__ import annotations

import re

from nnref.conformance import spec
from tests.conformance.helpers import nnref


def test_without_ids_it_lists_every_clause_once_in_order(capsys):
    status, out, _ = nnref(capsys, "spec")
    assert status == 0
    listed = [line.split()[0] for line in out.splitlines() if line.startswith("  ")]
    assert listed == list(spec.ids())
    assert "  S20        Backward pass through a layer" in out.splitlines()


def test_S20_prints_the_clause_text_from_the_installed_copy(capsys):
    status, out, _ = nnref(capsys, "spec", "s20")
    assert status == 0
    assert out.startswith("S20: Backward pass through a layer\n\n")
    assert "∂bⱼ = −δⱼ" in out and spec.get("S20").text in out


def test_several_ids_sections_and_japanese(capsys):
    status, out, _ = nnref(capsys, "spec", "--lang", "ja", "E7", "W3_3")
    assert status == 0
    assert out.index("E7: tanh 関数の値域は開区間 (−1, 1)") < out.index("W3_3: 出力層")
    status, out, _ = nnref(capsys, "spec", "errata")
    assert status == 0
    assert re.findall(r"^(E\d+): ", out, re.MULTILINE) == [f"E{n}" for n in range(1, 19)]


def test_unknown_id_is_one_line_suggesting_the_nearest(capsys):
    status, out, err = nnref(capsys, "spec", "S200")
    assert status == 2 and out == ""
    assert err == (
        "nnref: error: no clause 'S200' in the spec (did you mean S20 or S2? "
        "'nnref spec' lists them all)\n"
    )


def test_path_points_at_the_shipped_file(capsys):
    status, out, _ = nnref(capsys, "spec", "--path", "--lang", "ja")
    assert status == 0 and out.strip().endswith("spec.ja.md")
    assert spec.source("ja").startswith("# nnref 仕様書")
