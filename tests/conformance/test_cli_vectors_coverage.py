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
    for name in ("tutorial.json", "generated.json", "schema.json", "results.schema.json"):
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


TEST_FILE = """
import pytest

CASES = [("E2-variance", 1), ("plain", 2)]


@pytest.mark.parametrize("a", [1], ids=["E3"])
def test_s11_nonlinearity(a):
    text = "def test_s21(): pass"


@pytest.mark.parametrize(("n", "a"), CASES, ids=[c[0] for c in CASES])
def test_mutations(n, a):
    pass


@pytest.mark.parametrize("a", [pytest.param(1, id="W3_3-output")])
def test_params(a):
    pass


class TestS12Recording:
    pass
"""


def test_coverage_scans_test_names_and_ids_not_strings(tmp_path):
    (tmp_path / "test_x.py").write_text(TEST_FILE)
    (tmp_path / "helper.py").write_text("def test_s24(): pass\n")
    (tmp_path / "test_broken.py").write_text("def test_s25(:\n")
    found = scan_tests(tmp_path)
    assert set(found) == {"S11", "S12", "E2", "E3", "W3_3"}
    here = f"{tmp_path.name}/test_x.py"
    assert found["S11"] == {f"{here}::test_s11_nonlinearity", f"{here}::test_s11_nonlinearity[E3]"}
    assert found["E3"] == {f"{here}::test_s11_nonlinearity[E3]"}
    assert found["E2"] == {f"{tmp_path.name}/test_x.py::test_mutations[E2-variance]"}


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
    assert doc["clauses"]["S12"]["properties"] == ["property-gradients-deterministic"]
    assert lines[-1].startswith("summary: ") and "uncovered: " in lines[-1]


def test_coverage_passes_when_tests_cover_the_rest(capsys, tmp_path):
    (tmp_path / "test_rest.py").write_text(
        "".join(f"def test_{c.lower()}(): pass\n" for c in ALL_CLAUSES)
    )
    status, out, _ = nnref(capsys, "coverage", "--tests", tmp_path)
    assert status == 0 and "50/50 clauses covered" in out
    assert "tests: 1 (" + tmp_path.name + "/test_rest.py::test_s11)" in out


def test_coverage_without_a_tests_directory_lists_vectors_and_properties(capsys, monkeypatch):
    import conformance.runner.coverage as cov

    monkeypatch.setattr(cov, "default_tests_dir", lambda: None)
    status, out, _ = nnref(capsys, "coverage")
    assert status == 0
    assert "vectors and properties only: no tests/" in out.splitlines()[-1]
    assert "S24        UNCOVERED" in out


def test_coverage_of_a_missing_tests_directory_is_one_line(capsys, tmp_path):
    status, _, err = nnref(capsys, "coverage", "--tests", tmp_path / "nope")
    assert status == 2 and "does not exist" in err
