"""Grading a class: ``nnref check alice bob ... --entry net.py --jobs 2`` on ten submissions.

The folder is ``tests/grading/classroom.py``'s: three correct submissions, a threshold added,
hidden deltas that skip f'(u), one that fails to import, one that exits in adam_step, one
that hangs, and two more given as a file and as DIR:FILE. Every submission's ``net.py``
imports its own sibling ``helpers.py`` and fails if it got another's.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import pytest

from tests.grading.classroom import CONFORMANT, make_class

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    make_class(root)
    (root / "ivan.py").write_text("from nnref.reference import *  # noqa: F403\n")
    (root / "judy").mkdir()
    (root / "judy" / "main.py").write_text("from nnref.reference import *  # noqa: F403\n")
    names = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"]
    argv = [*(f"{n}/" for n in names), "ivan.py", "judy:main.py"]
    argv += ["--entry", "net.py", "--jobs", "2", "--timeout", "2", "--quick"]
    argv += ["--csv", "grades.csv", "--junit", "grades.xml", "--json", "reports"]
    env = {**os.environ, "PYTHONPATH": ROOT}
    command = [sys.executable, "-m", "nnref.conformance.cli", "check", *argv]
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=900)
    return root, done


def _matrix(out: str) -> list[str]:
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("implementation "))
    return lines[start + 1 : -1]


@pytest.mark.slow
@pytest.mark.spec("S20")
def test_S20_one_line_per_submission_then_a_sorted_matrix_that_names_the_mistake(graded):
    _, done = graded
    assert done.returncode == 2, done.stderr  # frank did not import
    out = done.stdout
    assert len(out.splitlines()) < 3 * 10 + 4  # one line each, the matrix and its totals
    rows = _matrix(out)
    names = [row.split()[0] for row in rows]
    assert set(names[:5]) == {*CONFORMANT, "ivan.py", "judy:main.py"}
    assert names[5:] == ["heidi", "grace", "erin", "dave", "frank"]  # most passed first
    by_name = dict(zip(names, rows))
    assert "the threshold is added" in by_name["dave"]
    assert "hidden deltas skip the activation's derivative" in by_name["erin"]
    assert "import failed: ModuleNotFoundError: torchh" in by_name["frank"]
    assert "exited with status 3 while computing adam_step" in by_name["grace"]
    assert "tanh timed out" in by_name["heidi"]
    totals = out.splitlines()[-1]
    assert totals == (
        "totals: 5 fully conformant, 4 with failures, 1 did not import or run (10 implementations)"
    )


@pytest.mark.slow
@pytest.mark.spec("S20")
def test_S20_the_gradebook_csv_and_the_junit_file(graded):
    root, _ = graded
    with open(root / "grades.csv", encoding="utf-8", newline="") as fh:
        rows = {r["implementation"]: r for r in csv.DictReader(fh)}
    assert len(rows) == 10
    assert rows["alice"]["exit_status"] == "0" and rows["alice"]["failed"] == "0"
    assert rows["alice"]["path"].endswith(os.path.join("alice", "net.py"))
    assert rows["dave"]["diagnosis"].startswith("the threshold is added")
    assert rows["frank"]["passed"] == "" and rows["frank"]["exit_status"] == "2"
    suites = ET.parse(root / "grades.xml").getroot().findall("testsuite")
    assert [s.get("name") for s in suites][:3] == ["alice", "bob", "carol"]
    dave = next(s for s in suites if s.get("name") == "dave")
    assert int(dave.get("failures")) == int(rows["dave"]["failed"]) > 0
    assert len(dave.findall("testcase")) == int(dave.get("tests"))
    frank = next(s for s in suites if s.get("name") == "frank")
    assert frank.find("testcase/error") is not None
    assert (root / "reports" / "index.json").exists()


@pytest.mark.slow
@pytest.mark.spec("S20")
def test_S20_no_submission_imports_another_ones_modules(graded):
    _, done = graded
    assert "imported another submission's helpers" not in done.stdout + done.stderr
    rows = {row.split()[0]: row for row in _matrix(done.stdout)}
    for name in CONFORMANT:
        assert rows[name].split()[1] == rows["ivan.py"].split()[1]  # all passed, same count


@pytest.mark.spec("S20")
@pytest.mark.parametrize(
    ("given", "said"),
    [
        ("nowhere/net.py", "no such file or folder: nowhere/net.py"),
        ("empty", "the folder empty holds no __init__.py"),
        ("notes.txt", "notes.txt is not a Python file"),
        ("empty:net.py", "the folder empty holds no net.py"),
    ],
)
def test_S20_a_path_that_cannot_be_checked_is_a_one_line_error_before_anything_runs(
    tmp_path, given, said
):
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes.txt").write_text("x")
    command = [sys.executable, "-m", "nnref.conformance.cli", "check", "alice", given]
    env = {**os.environ, "PYTHONPATH": ROOT}
    (tmp_path / "alice").mkdir()
    (tmp_path / "alice" / "__init__.py").write_text("raise SystemExit('must not be imported')\n")
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stdout == "" and len(done.stderr.splitlines()) == 1
    assert said in done.stderr


@pytest.mark.spec("S20")
def test_S20_a_file_and_a_folder_entry_are_implementations_named_as_given(tmp_path):
    (tmp_path / "judy").mkdir()
    (tmp_path / "judy" / "helpers.py").write_text("SCALE = 1.0\n")
    (tmp_path / "judy" / "main.py").write_text(
        "import helpers\nfrom nnref.reference import *  # noqa: F403\n"
    )
    env = {**os.environ, "PYTHONPATH": ROOT}
    for given in ("judy:main.py", "judy/main.py"):
        command = [sys.executable, "-m", "nnref.conformance.cli", "check", given, "--quick"]
        done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines()[0].startswith(f"nnref check: {given} (")


@pytest.mark.slow
@pytest.mark.spec("S20")
def test_S20_the_budget_is_per_submission_so_a_slow_one_cannot_hold_up_the_class(tmp_path):
    make_class(tmp_path, ("alice", "ivy", "bob"))
    argv = ["alice/", "ivy/", "bob/", "--entry", "net.py", "--jobs", "2", "--quick"]
    argv += ["--timeout", "2", "--budget", "10", "--csv", "grades.csv"]
    env = {**os.environ, "PYTHONPATH": ROOT}
    command = [sys.executable, "-m", "nnref.conformance.cli", "check", *argv]
    started = time.monotonic()
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    took = time.monotonic() - started
    assert done.returncode == 1, done.stderr
    rows = {row.split()[0]: row for row in _matrix(done.stdout)}
    assert "not run: budget spent (10s)" in rows["ivy"], done.stdout
    assert rows["alice"].split()[2:4] == ["0", "0"] and rows["bob"].split()[2:4] == ["0", "0"]
    # 341 calls of 0.8 s would take 270 s; the budget ends ivy at 10 s, beside the others
    assert took < 60, took
    with open(tmp_path / "grades.csv", encoding="utf-8", newline="") as fh:
        grades = {r["implementation"]: r for r in csv.DictReader(fh)}
    assert grades["ivy"]["diagnosis"].startswith("not run: budget spent (10s)")
