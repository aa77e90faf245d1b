"""The copyable start of the checking page: its minimal numpy implementation, taken exactly as
the page's source shows it, passes ``nnref check`` run through the CLI in a child process."""

from __future__ import annotations

import pytest

pytest.importorskip("numpy", reason="numpy is not installed: the quick start's network uses it")

from nnref_docs import checking

from tests.docs import DOCS

pytestmark = [pytest.mark.docs, pytest.mark.spec("S1", "S2", "S15", "S20", "W4_1")]


def test_both_languages_show_the_same_code():
    assert checking.quickstart_code(DOCS / "checking.ja.md") == checking.quickstart_code()


@pytest.mark.slow
def test_the_pages_minimal_implementation_passes_nnref_check():
    code = checking.quickstart_code(DOCS / "checking.md")
    lines = [line for line in code.splitlines() if line.strip()]
    assert 25 <= len(lines) <= 70 and max(map(len, lines)) <= 79  # short, and fits the column
    done = checking.run_cli_check(code)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    summary = done.stdout.splitlines()[-1]
    assert "0 failed, 0 errors" in summary and "tutorial-network-gradients" in done.stdout


@pytest.mark.slow
def test_a_broken_copy_fails_it():
    """The check is real: flip the threshold gradient's sign and nnref check exits 1."""
    code = checking.quickstart_code()
    broken = code.replace('"b": -delta', '"b": delta')
    assert broken != code
    done = checking.run_cli_check(broken)
    assert done.returncode == 1 and "FAIL" in done.stdout
