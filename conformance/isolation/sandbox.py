"""``--sandbox``: every child under bubblewrap (``bwrap``), apart from the judge's processes
and files.

The child gets new user, PID, network, IPC and UTS namespaces, a read-only view of the
whole file system with a private ``/tmp``, its own ``/dev`` and ``/proc``, and a new
terminal session; the report paths and nnref's vector files are hidden (an empty
directory or an empty file is mounted over them). bwrap dies with the judge
(``--die-with-parent``), and when the sandbox's first process ends the kernel kills every
process left in its PID namespace. So the code under test cannot see or signal the
judge, write the judge's files, read the expected answers, use the network, or
outlive the run.

The user's code and the paths it imports from stay visible (read-only), including
those under ``/tmp``, which are mounted back into the private ``/tmp``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

from nnref.conformance.errors import NnrefError
from nnref.conformance.vectors import DIRECTORY as VECTORS

#: The judge's own output files (reports), hidden from every sandboxed child (``protect``).
PROTECTED: set[Path] = set()

NAMESPACES = ["--unshare-user", "--unshare-pid", "--unshare-net", "--unshare-ipc"]
NAMESPACES += ["--unshare-uts", "--unshare-cgroup-try"]


class Sandbox:
    """How to run a command under bwrap; NnrefError (one line) when bwrap cannot run here."""

    def __init__(self, hide=()):
        self.bwrap = usable(shutil.which("bwrap"))
        self.hide = [Path(VECTORS), *(Path(p) for p in hide)]

    @property
    def hidden(self) -> list[Path]:
        return [*self.hide, *sorted(PROTECTED)]

    def command(self, argv: list[str], cwd: str, paths: list[str]) -> list[str]:
        """``argv`` under bwrap, in ``cwd``; ``paths`` (sys.path) stay visible."""
        out = [self.bwrap, *NAMESPACES, "--die-with-parent", "--new-session"]
        out += ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"]
        shown = sorted(p for p in {cwd, *paths} if _inside(p, "/tmp") and Path(p).exists())
        for p in shown:
            out += ["--ro-bind", p, p]
        for p in self._hidden(cwd, paths, shown):
            out += ["--tmpfs", str(p)] if p.is_dir() else ["--ro-bind", "/dev/null", str(p)]
        return [*out, "--setenv", "TMPDIR", "/tmp", "--chdir", cwd, "--", *argv]

    def _hidden(self, cwd: str, paths: list[str], shown: list[str]) -> list[Path]:
        """The paths to hide that exist and can be seen; never a directory holding the code
        or its imports."""
        out = []
        for p in self.hidden:
            p = p.resolve()
            private = _inside(str(p), "/tmp") and not any(_inside(str(p), q) for q in shown)
            if not p.exists() or private or str(p) == "/":
                continue
            if p.is_dir() and any(_inside(q, str(p)) for q in (cwd, *paths)):
                continue
            out.append(p)
        return out


def protect(*paths) -> None:
    """Hide these paths (the judge's reports) from every sandboxed child of this process."""
    PROTECTED.update(Path(p).resolve() for p in paths if p)


def _inside(path: str, directory: str) -> bool:
    """``path`` is ``directory`` or below it."""
    try:
        Path(path).resolve().relative_to(Path(directory).resolve())
    except ValueError:
        return False
    return True


@cache
def usable(bwrap: str | None) -> str:
    """``bwrap``'s path once a trial sandbox ran; NnrefError (one line) saying why not."""
    if bwrap is None:
        raise NnrefError(
            "--sandbox needs bubblewrap (the bwrap command), which is not installed "
            "(Debian and Ubuntu: apt-get install bubblewrap)"
        )
    trial = [bwrap, *NAMESPACES, "--die-with-parent", "--ro-bind", "/", "/"]
    trial += ["--proc", "/proc", "--dev", "/dev", "--", sys.executable, "-c", ""]
    try:
        done = subprocess.run(trial, capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise NnrefError(f"--sandbox: bwrap could not run: {exc}") from None
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise NnrefError(
            "--sandbox: bwrap cannot make a sandbox here (are unprivileged user namespaces "
            f"disabled?): {why[-1] if why else f'exit status {done.returncode}'}"
        )
    return bwrap
