"""The clause index inside the package agrees with the tests' ``@pytest.mark.spec`` markers.

``nnref coverage`` reads the index (an installed copy has no tests/), so a
marker added, changed or removed without rewriting the index fails here.
Rewrite it with::

    pytest --collect-only -q --nnref-write-clause-index conformance/coverage/clause_index.json
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from nnref.conformance.coverage import index as clause_index
from nnref.conformance.plugins.clause_markers import COLLECTED, NODE_IDS

INDEX = "conformance/coverage/clause_index.json"
REWRITE = f"pytest --collect-only -q --nnref-write-clause-index {INDEX}"


def stale_entries(index: dict, collected: dict, node_ids: set, whole_files: bool) -> list[str]:
    """Test ids whose clauses differ between ``index`` and this session's markers.

    Only what this session collected is compared: every collected test with a marker,
    and (when whole files were collected) every index entry of a collected file.
    """
    bad = [t for t, clauses in collected.items() if index.get(t) != clauses]
    if whole_files:
        files = {n.split("::")[0] for n in node_ids}
        bad += [t for t in index if t.split("::")[0] in files and t not in collected]
    return sorted(set(bad))


def test_the_packaged_clause_index_matches_the_markers(request):
    config = request.config
    whole_files = not any("::" in arg for arg in config.args)
    bad = stale_entries(
        clause_index.load(), config.stash[COLLECTED], config.stash[NODE_IDS], whole_files
    )
    assert not bad, f"conformance/coverage/clause_index.json is stale for {bad[:5]}; run: {REWRITE}"


def test_a_changed_added_or_removed_marker_is_stale():
    index = {"t.py::a": ["S1"], "t.py::b": ["S2"], "u.py::c": ["S3"]}
    ids = {"t.py::a", "t.py::b", "t.py::d"}
    assert stale_entries(index, {"t.py::a": ["S1"], "t.py::b": ["S2"]}, ids, True) == []
    assert stale_entries(index, {"t.py::a": ["S9"], "t.py::b": ["S2"]}, ids, True) == ["t.py::a"]
    assert stale_entries(index, {"t.py::a": ["S1"]}, ids, True) == ["t.py::b"]
    assert stale_entries(index, {"t.py::a": ["S1"]}, ids, False) == []
    new = {"t.py::a": ["S1"], "t.py::b": ["S2"], "t.py::d": ["S4"]}
    assert stale_entries(index, new, ids, True) == ["t.py::d"]


def test_every_clause_has_a_marked_test_or_a_vector(capsys):
    from nnref.conformance.cli import main

    assert main(["coverage"]) == 0
    assert "uncovered" not in capsys.readouterr().out


@pytest.mark.slow
def test_an_unknown_clause_id_in_a_marker_is_a_usage_error(tmp_path):
    (tmp_path / "test_x.py").write_text(
        "import pytest\n\n\n@pytest.mark.spec('S99')\ndef test_x():\n    pass\n"
    )
    command = [sys.executable, "-m", "pytest", "-p", "nnref.conformance.plugins.clause_markers",
               "-p", "no:cacheprovider", "--collect-only", "-q", "test_x.py"]  # fmt: skip
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == pytest.ExitCode.USAGE_ERROR, done.stdout + done.stderr
    assert "test_x.py::test_x: @pytest.mark.spec needs clause ids" in done.stderr
    assert "'S99'" in done.stderr
