"""``nnref variants``, ``nnref conventions``, and diagnoses in results-file reports and JSON."""

from __future__ import annotations

import json

import pytest

from nnref.conformance.variants.catalogue import CATALOGUE
from nnref.conformance.variants.conventions import REGISTRY
from tests.conformance.helpers import IMPLS, lines_with, nnref, results_of, write_json
from tests.conformance.impls import WRONG_BIAS_SIGN


@pytest.mark.slow
def test_nnref_variants_prints_the_matrix_and_exits_0_when_all_are_killed_and_named(
    capsys, tmp_path
):
    status, out, _ = nnref(capsys, "variants", "--json", tmp_path / "m.json")
    assert status == 0, out
    assert out.splitlines()[-1] == (
        f"summary: {len(CATALOGUE)} variants, {len(CATALOGUE)} killed by the vectors, "
        f"{len(CATALOGUE)} named"
    )
    rows = json.loads((tmp_path / "m.json").read_text())["variants"]
    assert {r["variant"] for r in rows} == {v.id for v in CATALOGUE}
    assert all(r["killed_by"] > 0 and r["named"] for r in rows)


def test_nnref_conventions_lists_every_convention_and_value(capsys):
    status, out, _ = nnref(capsys, "conventions")
    assert status == 0
    for name, c in REGISTRY.items():
        assert f"{name}  (changes: " in out
        for value in c.values:
            assert f"  {name}={value} " in out


@pytest.mark.spec("S1")
def test_S1_results_file_diagnosis_in_text_and_json_then_passes_when_declared(capsys, tmp_path):
    path = write_json(tmp_path / "r.json", results_of(WRONG_BIAS_SIGN))
    status, out, _ = nnref(capsys, "check", "--results", path, "--json", tmp_path / "j.json")
    assert status == 1
    (line,) = lines_with(out, "diagnosis:")
    assert "(threshold=added)" in line and "--convention threshold=added" in line
    (d,) = json.loads((tmp_path / "j.json").read_text())["diagnoses"]
    assert d["variant"] == "threshold=added" and d["kind"] == "convention"
    assert set(d["operations"]) == {"linear", "forward", "gradients"} and d["cases"]
    declared = write_json(tmp_path / "d.json", results_of(WRONG_BIAS_SIGN, threshold="added"))
    status, out, _ = nnref(capsys, "check", "--results", declared)
    assert status == 0, out
    assert "(conventions: threshold=added)" in out.splitlines()[0]


def test_a_correct_implementation_has_an_empty_diagnoses_list(capsys, tmp_path):
    status, _, _ = nnref(
        capsys, "check", f"{IMPLS}:WITH_ENCODING", "--no-properties", "--json", tmp_path / "j.json"
    )
    assert status == 0
    assert json.loads((tmp_path / "j.json").read_text())["diagnoses"] == []
