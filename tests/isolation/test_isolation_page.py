"""Every row of the isolation page's table 'What is protected, with and without --sandbox'
names the tests that show it true, and the Japanese page has the same rows.

A row added to the page without a test here, or a test renamed away, fails this file.
"""

from __future__ import annotations

import importlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: The first cell of each row -> the tests (module:function) that show both columns true.
ROWS = {
    "crashes, exits, hangs, raises": [
        "test_hostile:test_an_early_end_or_a_tampering_is_the_verdict_of_its_callable_only",
        "test_hostile:test_infinite_loop_costs_one_timeout_then_its_cases_are_not_run",
        "test_sandbox:test_under_sandbox_an_early_end_or_a_broken_protocol_reads_the_same",
    ],
    "breaks the protocol on purpose": [
        "test_protocol:test_a_frame_out_of_protocol_is_an_error_of_its_own_call_only",
        "test_protocol:test_a_flood_or_a_forged_frame_keeps_the_judge_small_and_quick",
        "test_protocol:test_a_trickle_without_a_newline_is_cut_at_the_timeout",
        "test_sandbox:test_under_sandbox_an_early_end_or_a_broken_protocol_reads_the_same",
    ],
    "starts a daemon": [
        "test_protocol:test_a_daemon_is_killed_before_the_report_is_written_and_is_reported",
        "test_protocol:test_a_grandchild_holding_the_pipe_does_not_hide_the_exit",
        "test_sandbox:test_a_process_that_hides_with_care_escapes_only_without_sandbox",
    ],
    "signals the judge": [
        "test_sandbox:test_without_sandbox_a_child_can_interrupt_the_judge",
        "test_sandbox:test_under_sandbox_a_child_cannot_signal_the_judge",
    ],
    "writes the report files during the run": [
        "test_sandbox:test_a_child_writing_the_report_never_changes_the_saved_file",
    ],
    "rewrites the report files after the judge exits": [
        "test_protocol:test_a_daemon_is_killed_before_the_report_is_written_and_is_reported",
        "test_sandbox:test_under_sandbox_a_daemon_cannot_rewrite_the_report_after_the_judge_exits",
    ],
    "reads the report of an earlier run": [
        "test_sandbox:test_a_child_writing_the_report_never_changes_the_saved_file",
    ],
    "reads nnref's vector files": [
        "test_sandbox:test_under_sandbox_the_vector_files_are_hidden_so_a_memoriser_fails",
    ],
    "uses the network": ["test_sandbox:test_under_sandbox_no_network_and_no_sight_of_the_judge"],
    "sees the judge's processes": [
        "test_sandbox:test_without_sandbox_the_child_sees_the_judge",
        "test_sandbox:test_under_sandbox_no_network_and_no_sight_of_the_judge",
    ],
    "writes your files": [
        "test_sandbox:test_a_child_writing_the_report_never_changes_the_saved_file",
    ],
    "reads your files": [
        "test_sandbox:test_without_sandbox_the_child_sees_the_judge",
        "test_sandbox:test_under_sandbox_no_network_and_no_sight_of_the_judge",
    ],
    "switches off the checks made in its own process": [
        "test_sandbox:test_the_checks_made_in_the_child_can_be_switched_off",
    ],
    "patches nnref's modules or builtins": [
        "test_hostile:test_an_early_end_or_a_tampering_is_the_verdict_of_its_callable_only",
        "test_judge_apart:test_the_judge_never_imports_the_implementation",
    ],
    "uses all the CPU, or memory": [
        "test_hostile:test_memory_hog_under_a_memory_limit_is_an_error",
    ],
}


def table(page: Path, heading: str) -> list[list[str]]:
    """The rows (cells) of the first table after ``heading``, without its head."""
    lines = page.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(heading))
    rows = []
    for line in lines[start + 1 :]:
        if line.startswith("## "):
            break
        if line.startswith("|"):
            rows.append([c.strip() for c in line.strip("|").split("|")])
    return rows[2:]


def test_every_row_of_the_protection_table_has_its_tests():
    rows = table(ROOT / "docs" / "isolation.md", "## What is protected")
    firsts = [r[0].removeprefix("the implementation... ") for r in rows]
    assert len(firsts) == len(ROWS)
    for first in firsts:
        key = next((k for k in ROWS if first.startswith(k)), None)
        assert key is not None, f"no test for the row {first!r}"
    for tests in ROWS.values():
        for test in tests:
            module, name = test.split(":")
            found = importlib.import_module(f"tests.isolation.{module}")
            assert callable(getattr(found, name, None)), test


def test_the_japanese_page_has_the_same_rows_and_columns():
    en = table(ROOT / "docs" / "isolation.md", "## What is protected")
    ja = table(ROOT / "docs" / "isolation.ja.md", "## `--sandbox` の有無")
    assert len(ja) == len(en) and all(len(r) == 3 for r in en + ja)
    for e, j in zip(en, ja):  # "not protected" is said in the same cells
        for a, b in zip(e[1:], j[1:]):
            assert ("**not protected**" in a) == ("**守られない**" in b), (e, j)
