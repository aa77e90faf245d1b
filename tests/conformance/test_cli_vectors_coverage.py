"""``nnref vectors export`` and ``nnref coverage``."""

from __future__ import annotations

import json

import pytest

from nnref.conformance.coverage.listing import clauses_in, scan_tests
from nnref.conformance.spec.clause_ids import ALL_CLAUSES
from nnref.conformance.vectors import path_of
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

pytestmark = pytest.mark.spec("S3")
CASES = [("E2-variance", 1), ("plain", 2)]


@pytest.mark.spec("S11")
@pytest.mark.parametrize("a", [1, pytest.param(2, id="E3", marks=pytest.mark.spec("E3"))])
def test_nonlinearity(a):
    text = "@pytest.mark.spec('S21')"


@pytest.mark.parametrize(("n", "a"), CASES, ids=[c[0] for c in CASES])
def test_s24_named_but_not_marked(n, a):
    pass


@pytest.mark.spec("S12")
class TestRecording:
    @pytest.mark.spec("W3_3")
    def test_output(self):
        pass
"""


@pytest.mark.slow
def test_coverage_reads_spec_markers_in_every_form_pytest_accepts(tmp_path):
    (tmp_path / "test_x.py").write_text(TEST_FILE)
    (tmp_path / "helper.py").write_text(
        "import pytest\n\n@pytest.mark.spec('S25')\ndef test_a(): pass\n"
    )
    (tmp_path / "test_broken.py").write_text("def test_s25(:\n")
    found = scan_tests(tmp_path)
    assert set(found) == {"S3", "S11", "S12", "E3", "W3_3"}
    here = f"{tmp_path.name}/test_x.py"
    assert found["S11"] == {f"{here}::test_nonlinearity"}
    assert found["E3"] == {f"{here}::test_nonlinearity[E3]"}
    assert found["S12"] == found["W3_3"] == {f"{here}::TestRecording::test_output"}
    assert f"{here}::test_s24_named_but_not_marked" in found["S3"]


@pytest.mark.slow
def test_coverage_lists_every_clause_and_fails_when_one_is_uncovered(capsys, tmp_path):
    (tmp_path / "test_one.py").write_text(
        "import pytest\n\n\n@pytest.mark.spec('S1')\ndef test_one():\n    pass\n"
    )
    out_file = tmp_path / "coverage.json"
    status, out, _ = nnref(capsys, "coverage", "--tests", tmp_path, "--json", out_file)
    assert status == 1
    lines = out.splitlines()
    assert [line.split()[0] for line in lines[:-1]] == list(ALL_CLAUSES)
    doc = json.loads(out_file.read_text())
    assert set(doc["clauses"]) == set(ALL_CLAUSES)
    assert "S11" in doc["uncovered"] and "S1" not in doc["uncovered"]
    assert doc["clauses"]["S1"]["tests"] == [f"{tmp_path.name}/test_one.py::test_one"]
    assert "W1_1-weighted-sum" in doc["clauses"]["W1_1"]["vectors"]
    assert doc["clauses"]["S12"]["properties"] == ["property-gradients-deterministic"]
    assert lines[-1].startswith("summary: ") and "uncovered: " in lines[-1]


@pytest.mark.slow
def test_coverage_passes_when_tests_cover_the_rest(capsys, tmp_path):
    marks = ", ".join(repr(c) for c in ALL_CLAUSES)
    (tmp_path / "test_rest.py").write_text(
        f"import pytest\n\n\n@pytest.mark.spec({marks})\ndef test_all():\n    pass\n"
    )
    status, out, _ = nnref(capsys, "coverage", "--tests", tmp_path)
    assert status == 0 and f"{len(ALL_CLAUSES)}/{len(ALL_CLAUSES)} clauses covered" in out
    assert "tests: 1 (" + tmp_path.name + "/test_rest.py::test_all)" in out


def test_an_installed_copy_without_tests_still_lists_the_tests(capsys, monkeypatch):
    import nnref.conformance.coverage.listing as cov

    monkeypatch.setattr(cov, "default_tests_dir", lambda: None)  # as in an installed copy
    status, out, _ = nnref(capsys, "coverage", "--json", "/dev/null")
    assert status == 0
    assert "nnref's tests, from their spec markers" in out.splitlines()[-1]
    s20 = next(line for line in out.splitlines() if line.startswith("S20 "))
    assert "tests: " in s20


def test_coverage_of_a_missing_tests_directory_is_one_line(capsys, tmp_path):
    status, _, err = nnref(capsys, "coverage", "--tests", tmp_path / "nope")
    assert status == 2 and "does not exist" in err
