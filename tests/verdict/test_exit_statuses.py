"""Exit statuses, declared once (``judge.results.EXIT_STATUSES``) and the same for every command."""

from __future__ import annotations

import pytest

from nnref.conformance.check import sources
from nnref.conformance.judge.results import EXIT_STATUSES
from tests.conformance.helpers import nnref


@pytest.mark.spec("S20")
def test_S20_gradcheck_with_nothing_checked_exits_1_as_check_does(capsys):
    status, out, _ = nnref(capsys, "gradcheck", "tests.verdict.no_losses")
    assert status == 1
    assert "nothing was checked" in out and "0 passed, 0 failed, 0 errors" in out


@pytest.mark.spec("S20")
def test_S20_an_error_inside_nnref_keeps_the_partial_report_and_exits_3(capsys, monkeypatch):
    judged = sources.InProcess.judge_properties

    def broken(self, options, out):
        raise ZeroDivisionError("a bug in nnref")

    monkeypatch.setattr(sources.InProcess, "judge_properties", broken)
    status, out, _ = nnref(capsys, "check", "--in-process", "--quick", "--only", "W*")
    assert status == 3
    assert "internal error in nnref: ZeroDivisionError: a bug in nnref" in out
    assert out.count("PASS ") >= 5  # the vectors judged before the bug are all there
    assert "summary: " in out.splitlines()[-1]
    monkeypatch.setattr(sources.InProcess, "judge_properties", judged)


@pytest.mark.spec("S20")
@pytest.mark.parametrize("command", ["check", "gradcheck"])
def test_S20_every_exit_status_is_listed_in_help(capsys, command):
    with pytest.raises(SystemExit):
        nnref(capsys, command, "--help")
    text = capsys.readouterr().out
    for status in EXIT_STATUSES:
        assert f"\n  {status:<4} " in text
