"""``nnref vectors export`` and ``nnref coverage``."""

from __future__ import annotations

import json

from conformance.runner.coverage import clauses_in, scan_tests
from conformance.vectors import path_of
from conformance.vectors.clauses import ALL_CLAUSES
from tests.conformance.helpers import nnref


def test_export_writes_vectors_schema_and_readme_usable_by_check(capsys, tmp_path):
    status, out, _ = nnref(capsys, "vectors", "export", tmp_path / "v")
    assert status == 0
    for name in ("tutorial.json", "generated.json", "schema.json"):
        assert (tmp_path / "v" / name).read_bytes() == path_of(name[:-5]).read_bytes()
    readme = (tmp_path / "v" / "README.md").read_text()
    assert readme == path_of("schema").with_name("FORMAT.md").read_text()
    assert "## The results file" in readme
    status, out, _ = nnref(capsys, "check", "--no-properties", "--vectors", tmp_path / "v")
    assert status == 0 and "0 failed, 0 errors" in out


def test_export_refuses_to_overwrite_without_force(capsys, tmp_path):
    nnref(capsys, "vectors", "export", tmp_path)
    status, _, err = nnref(capsys, "vectors", "export", tmp_path)
    assert status == 2 and "pass --force to overwrite" in err
    assert nnref(capsys, "vectors", "export", tmp_path, "--force")[0] == 0


def test_vectors_list_filters(capsys):
    status, out, _ = nnref(capsys, "vectors", "list", "--only", "E1")
    assert status == 0
    assert out.splitlines()[0].split() == ["D_ce", "cross_entropy", "D_ce,S14,E1"]


def test_coverage_names_clause_ids_in_test_names_and_ids():
    assert clauses_in("test_W3_3_and_s20_then_e1_D_ce") == {"W3_3", "S20", "E1", "D_ce"}
    assert clauses_in("test_s12_recording") == {"S12"}
    assert clauses_in("test_steps20_case1_e99_w9_9") == set()


def test_coverage_scans_test_files(tmp_path):
    (tmp_path / "test_x.py").write_text(
        'import pytest\n\n@pytest.mark.parametrize("a", [1], ids=["E3"])\n'
        "def test_s11_nonlinearity(a):\n    pass\n\nclass TestS12Recording:\n    pass\n"
    )
    (tmp_path / "helper.py").write_text("def test_s21(): pass\n")
    found = scan_tests(tmp_path)
    assert set(found) == {"S11", "S12", "E3"}
    assert found["S11"] == {f"{tmp_path.name}/test_x.py::test_s11_nonlinearity"}


def test_coverage_lists_every_clause_and_fails_when_one_is_uncovered(capsys, tmp_path):
    out_file = tmp_path / "coverage.json"
    status, out, _ = nnref(capsys, "coverage", "--tests", tmp_path, "--json", out_file)
    assert status == 1
    lines = out.splitlines()
    assert [line.split()[0] for line in lines[:-1]] == list(ALL_CLAUSES)
    doc = json.loads(out_file.read_text())
    assert set(doc["clauses"]) == set(ALL_CLAUSES)
    assert "S11" in doc["uncovered"] and "S1" not in doc["uncovered"]
    assert "W1_1-weighted-sum" in doc["clauses"]["W1_1"]["vectors"]
    assert lines[-1].startswith("summary: ") and "uncovered: " in lines[-1]


def test_coverage_passes_when_tests_cover_the_rest(capsys, tmp_path):
    (tmp_path / "test_rest.py").write_text(
        "".join(f"def test_{c.lower()}(): pass\n" for c in ALL_CLAUSES)
    )
    status, out, _ = nnref(capsys, "coverage", "--tests", tmp_path)
    assert status == 0 and "46/46 clauses covered" in out


def test_coverage_of_a_missing_tests_directory_is_one_line(capsys, tmp_path):
    status, _, err = nnref(capsys, "coverage", "--tests", tmp_path / "nope")
    assert status == 2 and "does not exist" in err
