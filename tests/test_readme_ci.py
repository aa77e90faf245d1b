"""CI does only what the README says: ``.ci/run``'s set-up is the README's, line for line.

A newcomer follows README.md; CI must not pass thanks to a step the README
never mentions. So the set-up block of the README (the ``sh`` block after the
``<!-- set-up: ... -->`` comment) and the lines of ``.ci/run`` between its
``# --- README set-up`` markers are the same lines; the README's two commands
follow verbatim; and no other line of ``.ci/run`` installs anything.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
INSTALLS = re.compile(r"\b(apt-get|apt|pip install|npm (ci|install)|curl|wget)\b")


def sh_blocks(text: str) -> list[tuple[int, list[str]]]:
    """(start offset, command lines) of each ```sh block; comments and blank lines dropped."""
    return [
        (m.start(), [ln for ln in m.group(1).splitlines() if ln.strip() and not ln.startswith("#")])
        for m in re.finditer(r"```sh\n(.*?)```", text, re.DOTALL)
    ]


def readme_setup() -> list[str]:
    marker = README.index("<!-- set-up:")
    return next(lines for start, lines in sh_blocks(README) if start > marker)


def ci_setup() -> list[str]:
    begin = CI.index("# --- README set-up: begin")
    end = CI.index("# --- README set-up: end")
    return CI[begin + 1 : end]


def test_ci_sets_up_exactly_what_the_readme_says():
    assert ci_setup() == readme_setup()


def test_ci_then_runs_the_readmes_two_commands_verbatim():
    commands = sh_blocks(README)[0][1]
    assert len(commands) == 2 and commands[1].endswith("pytest")
    after = CI[CI.index("# --- README set-up: end") :]
    positions = [after.index(c) for c in commands]
    assert positions == sorted(positions)


def test_nothing_else_in_ci_installs_anything():
    allowed = set(readme_setup()) | set(sh_blocks(README)[0][1])
    others = [ln for ln in CI if INSTALLS.search(ln) and ln not in allowed]
    # The docs build installs KaTeX as the README says (npm ci --prefix docs) and nothing else.
    assert all("npm ci --prefix docs && mkdocs build --strict" in ln for ln in others), others
    assert "npm ci --prefix docs && mkdocs build --strict" in README


def test_the_wheel_check_ci_runs_is_the_one_the_readme_describes():
    assert ".ci/wheel-check" in CI, "CI does not check the wheel"
    assert "`.ci/wheel-check`" in README
