"""Same-user attacks on the judge, for ``--sandbox``: signals, its files, its processes.

Each is the reference with ``sigmoid`` doing something else on the side; what it manages
is printed, so the report (which keeps each case's output) says what it could do.
``NNREF_TEST_TARGET`` is the judge's ``--json`` path and ``NNREF_TEST_JUDGE_PID`` the
judge's pid, set by the tests. Loaded by the judge's children only.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import socket
import sys
import time
from pathlib import Path

from nnref import reference
from tests.conformance.impls import Impl
from tests.isolation.protocol_hostile import _detach

VECTORS = Path(reference.__file__).resolve().parents[1] / "conformance" / "vectors"


_SIGNALLED: list[bool] = []


def _signal_the_judge(u):
    """Once: SIGINT to its parent and to the judge (a second one could land while the
    judge is already stopping, and end it with no report)."""
    if _SIGNALLED:
        return reference.sigmoid(u)
    _SIGNALLED.append(True)
    for pid in {os.getppid(), int(os.environ.get("NNREF_TEST_JUDGE_PID", "0"))} - {0, 1}:
        try:
            os.kill(pid, signal.SIGINT)
            print(f"sent SIGINT to {pid}")
        except OSError as exc:
            print(f"could not signal {pid}: {type(exc).__name__}")
    return reference.sigmoid(u)


def _write_the_report(u):
    target = os.environ["NNREF_TEST_TARGET"]
    try:
        print("could read the report:", repr(Path(target).read_text()[:20]))
    except OSError as exc:
        print("could not read the report:", type(exc).__name__)
    try:
        Path(target).write_text('{"summary": {"passed": 999, "failed": 0}}\n')
        print("wrote the report")
    except OSError as exc:
        print("could not write the report:", type(exc).__name__)
    return reference.sigmoid(u)


_STARTED: list[int] = []


def _daemon_rewrites_the_report(u):
    """Once, a daemon that rewrites the report every 50 ms for ten minutes."""
    if not _STARTED:
        _STARTED.append(_detach(_rewrite))
    return reference.sigmoid(u)


def _rewrite() -> None:
    for _ in range(12_000):
        with contextlib.suppress(OSError):
            Path(os.environ["NNREF_TEST_TARGET"]).write_text('{"summary": {"passed": 999}}\n')
        time.sleep(0.05)


_ANSWERS: dict = {}


def _memorised(u):
    """The stored answer of a vector case with these inputs, read from nnref's own files."""
    if not _ANSWERS:
        for name in ("tutorial.json", "generated.json"):
            try:
                cases = json.loads((VECTORS / name).read_text())["cases"]
            except (OSError, ValueError) as exc:
                print("could not read", name, type(exc).__name__)
                continue
            for c in cases:
                if c["operation"] == "sigmoid":
                    _ANSWERS[json.dumps(c["inputs"]["u"])] = c["expected"]
    return _ANSWERS.get(json.dumps(list(u)), [0.5] * len(u))


def _looks_around(u):
    try:
        socket.create_connection(("10.255.255.1", 9), timeout=0.5).close()
        print("network: connected")
    except OSError as exc:
        print("network:", type(exc).__name__, exc.errno)
    judge = os.environ.get("NNREF_TEST_JUDGE_PID", "")
    print("sees the judge:", Path(f"/proc/{judge}").exists() if judge else "no pid given")
    print("processes seen:", len([p for p in os.listdir("/proc") if p.isdigit()]))
    readme = Path(reference.__file__).resolve().parents[1] / "README.md"
    print("reads your files:", readme.read_text()[:7] == "# nnref")
    return reference.sigmoid(u)


def _escapes(u):
    """Once: stop the worker being a subreaper, then a daemon that leaves its session and
    runs ``sleep`` with an empty environment (``NNREF_TEST_SLEEP`` seconds)."""
    if not _STARTED:
        ctypes.CDLL(None, use_errno=True).prctl(36, 0, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
        seconds = os.environ.get("NNREF_TEST_SLEEP", "30")
        _STARTED.append(_detach(lambda: os.execve("/bin/sleep", ["sleep", seconds], {})))
    return reference.sigmoid(u)


def _unseen_mutation(u):
    """Modifies its input, and first switches off the child's own check of that."""
    worker = sys.modules["__main__"]  # the worker runs as the main module
    worker.first_change = lambda before, after, path="": None
    value = reference.sigmoid(u)
    u[0] = 99.0
    return value


SIGNALS_THE_JUDGE = Impl(sigmoid=_signal_the_judge)
WRITES_THE_REPORT = Impl(sigmoid=_write_the_report)
DAEMON_REWRITES_THE_REPORT = Impl(sigmoid=_daemon_rewrites_the_report)
MEMORISER = Impl(sigmoid=_memorised)
LOOKS_AROUND = Impl(sigmoid=_looks_around)
ESCAPES = Impl(sigmoid=_escapes)
UNSEEN_MUTATION = Impl(sigmoid=_unseen_mutation)
