"""One verdict: every entry point gives the same status for every case.

An implementation that declares conventions (``tests/verdict/declares.py``) is checked
through ``nnref check``'s JSON report, the Python API, the in-process path, the pytest
plugin (its JUnit XML) and a results file made from its answers; each case's status
must be the same everywhere it is reported.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

import tests.verdict.declares as declares
from nnref.conformance.check.options import CheckOptions
from nnref.conformance.check.pipeline import check_implementation, check_results
from nnref.conformance.judge.results import ERROR, FAIL, NOT_PROVIDED, PASS
from tests.conformance.helpers import nnref, results_of, write_json
from tests.conformance.test_pytest_plugin import pytest_run

IMPL = "tests.verdict.declares"
OPTIONS = {"seed": 7, "max_examples": 3}


def _statuses(report) -> dict[str, str]:
    return {r.id: r.status for r in report.results}


def _plugin_statuses(tmp_path) -> dict[str, str]:
    junit = tmp_path / "junit.xml"
    pytest_run(
        tmp_path, "--nnref-impl", IMPL, "--nnref-seed", "7", "--nnref-max-examples", "3",
        "--junitxml", str(junit), timeout=600,
    )  # fmt: skip
    out = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        tags = {child.tag for child in case}
        status = "fail" if tags & {"failure", "error"} else "skip" if "skipped" in tags else "pass"
        out[case.get("name")] = status
    return out


def _as_plugin(status: str) -> str:
    return {PASS: "pass", FAIL: "fail", ERROR: "fail", NOT_PROVIDED: "skip"}[status]


@pytest.mark.slow
@pytest.mark.spec("S20")
def test_S20_every_entry_point_gives_the_same_status_for_every_case(capsys, tmp_path):
    status, _, err = nnref(
        capsys, "check", IMPL, "--seed", "7", "--max-examples", "3", "--json", tmp_path / "r.json"
    )
    cli = {c["id"]: c["status"] for c in json.loads((tmp_path / "r.json").read_text())["cases"]}
    api = _statuses(check_implementation(IMPL, CheckOptions(**OPTIONS)))
    local = _statuses(check_implementation(IMPL, CheckOptions(in_process=True, **OPTIONS)))
    assert cli == api == local, err
    assert PASS in cli.values() and status == (1 if {FAIL, ERROR} & set(cli.values()) else 0)
    # declared conventions are honoured everywhere: most cases pass
    assert sum(s == PASS for s in cli.values()) > 0.9 * len(cli)

    doc = results_of(declares, **declares.nnref_conventions)
    filed = _statuses(check_results(write_json(tmp_path / "results.json", doc), CheckOptions()))
    vectors = {i for i in filed if i in cli and not i.startswith("property-")}
    assert vectors and {i: filed[i] for i in vectors} == {i: cli[i] for i in vectors}

    plugin = _plugin_statuses(tmp_path)
    assert plugin == {i: _as_plugin(s) for i, s in cli.items()}
