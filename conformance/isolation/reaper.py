"""Every process an implementation started: found, frozen, killed and reaped (Linux).

A child runs in a session and process group of its own, but its processes can leave
both: ``setsid`` leaves the group, a double fork leaves the parent. So, on Linux:

- the judge is a *child subreaper* while a session is open (``prctl
  PR_SET_CHILD_SUBREAPER``): a process whose parent dies is re-parented to the judge,
  not to init, so a daemon cannot hide there (and the worker is one too, so while it
  lives its whole tree hangs below it);
- every process the judge starts for a child carries ``NNREF_ISOLATION=<token>`` in
  its environment (a token drawn per judge process), and is registered here;
- ``kill_tree`` freezes (SIGSTOP) every process below the child, plus the judge's own
  children it did not start itself that carry the token or the session of one of its
  children, and what is left of the child's process group (even when the child itself
  has exited), until no new process appears; then it kills them all (SIGKILL) and
  reaps them.

A process is named by its pid *and* its start time, so a pid reused by an unrelated
process is never signalled. Elsewhere (no ``/proc``): the process group only.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

#: The environment variable every child (and what it starts) inherits.
TOKEN_NAME = "NNREF_ISOLATION"
TOKEN = secrets.token_hex(8)

PR_SET_CHILD_SUBREAPER = 36

_lock = threading.RLock()
_started: set[int] = set()  # pids of the processes this judge started and has not waited for
_sessions: set[int] = set()  # session ids of those (each starts a session of its own)
_open = [0]  # sessions open: the judge is a subreaper while this is above 0


@dataclass(frozen=True)
class Proc:
    pid: int
    ppid: int
    pgrp: int
    sid: int
    state: str
    start: int  # clock ticks after boot: with the pid, names one process
    name: str


def environment(extra: dict | None = None) -> dict:
    """The judge's environment, with the token (and ``extra``) added."""
    return {**os.environ, **(extra or {}), TOKEN_NAME: TOKEN}


def spawn(argv: list[str], **popen) -> subprocess.Popen:
    """``Popen(argv)`` in a session of its own, registered (so never taken for a stray)."""
    with _lock:
        proc = subprocess.Popen(argv, start_new_session=True, **popen)
        _started.add(proc.pid)
        _sessions.add(proc.pid)
    return proc


def enter() -> None:
    """A session opens: the judge becomes a subreaper (Linux)."""
    with _lock:
        _open[0] += 1
        if _open[0] == 1:
            _subreaper(1)


def leave() -> None:
    with _lock:
        _open[0] = max(0, _open[0] - 1)
        if _open[0] == 0:
            _subreaper(0)


def _subreaper(flag: int) -> None:
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, flag, 0, 0, 0)


def table() -> dict[int, Proc]:
    """Every process this user can see, by pid ({} without ``/proc``)."""
    out = {}
    try:
        names = os.listdir("/proc")
    except OSError:
        return out
    for name in names:
        if name.isdigit():
            proc = _read(int(name))
            if proc is not None:
                out[proc.pid] = proc
    return out


def _read(pid: int) -> Proc | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            text = f.read().decode("utf-8", "replace")
    except OSError:
        return None
    head, _, rest = text.rpartition(")")
    fields = rest.split()
    if len(fields) < 20:
        return None
    name = head.partition("(")[2]
    return Proc(
        pid, int(fields[1]), int(fields[2]), int(fields[3]), fields[0], int(fields[19]), name
    )


def below(procs: dict[int, Proc], roots) -> set[int]:
    """The pids below ``roots`` (not the roots themselves)."""
    children: dict[int, list[int]] = {}
    for p in procs.values():
        children.setdefault(p.ppid, []).append(p.pid)
    out, todo = set(), list(roots)
    while todo:
        for c in children.get(todo.pop(), ()):
            if c not in out:
                out.add(c)
                todo.append(c)
    return out


def strays(procs: dict[int, Proc]) -> set[int]:
    """The judge's children it did not start: re-parented here, from one of its children."""
    me = os.getpid()
    found = set()
    for p in procs.values():
        if p.ppid != me or p.pid in _started:
            continue
        if p.sid in _sessions or _has_token(p.pid):
            found.add(p.pid)
    return found


def _has_token(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            return f"{TOKEN_NAME}={TOKEN}".encode() in f.read().split(b"\0")
    except OSError:
        return False


def kill_tree(proc: subprocess.Popen, also: dict[int, Proc] | None = None) -> dict[int, Proc]:
    """Kill ``proc``, everything below it, and the strays; wait for them. What was killed.

    ``also``: processes seen earlier (a snapshot); each is killed if it is still the
    same process (same start time). The result includes ``proc`` itself if it was alive.
    The child is stopped first and not waited for until the end, so its pid cannot be
    reused by another process while its tree is searched.
    """
    victims: dict[int, Proc] = {}
    dead: set[Proc] = set()  # zombies found on the way: reaped too
    with _lock:
        alive = proc.poll() is None
        if alive:
            with contextlib.suppress(OSError):
                os.kill(proc.pid, signal.SIGSTOP)
        roots = [proc.pid] if alive else []
        for _ in range(100):  # each round stops what the last one missed; forks end soon
            procs = table()
            wanted = below(procs, [*roots, *victims]) | strays(procs) | set(roots)
            if alive or proc.pid not in procs:  # else the pid is another process's now
                wanted |= {p.pid for p in procs.values() if p.pgrp == proc.pid}
            wanted |= {p for p, seen in (also or {}).items() if _same(seen, procs) is not None}
            wanted = {p for p in wanted if p in procs} - victims.keys() - {os.getpid()}
            dead.update(procs[p] for p in wanted if procs[p].state == "Z")
            new = [procs[p] for p in wanted if procs[p].state != "Z"]
            if not new:
                break
            for p in new:
                _signal(p, signal.SIGSTOP)
                victims[p.pid] = p
        for p in victims.values():
            _signal(p, signal.SIGKILL)
        if alive:
            with contextlib.suppress(OSError):
                if not procs:  # no /proc: the group is all that can be found
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.kill()
    proc.wait()
    _reap([p for p in [*victims.values(), *dead] if p.pid != proc.pid])
    forget(proc)
    return victims


def _same(seen: Proc, procs: dict[int, Proc]) -> Proc | None:
    now = procs.get(seen.pid)
    return now if now is not None and now.start == seen.start else None


def forget(proc: subprocess.Popen) -> None:
    """``proc`` was waited for (it exited on its own)."""
    with _lock:
        _started.discard(proc.pid)


def _signal(p: Proc, sig: int) -> None:
    now = _read(p.pid)
    if now is not None and now.start == p.start:
        with contextlib.suppress(OSError):
            os.kill(p.pid, sig)


def _reap(procs: list[Proc], within: float = 2.0) -> None:
    """Wait for killed processes that are (or become) the judge's children; others are gone."""
    left = {p.pid: p for p in procs}
    deadline = time.monotonic() + within
    while left and time.monotonic() < deadline:
        for pid in list(left):
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done = pid if _read(pid) is None else 0  # not ours: gone once /proc forgets it
            if done:
                del left[pid]
        if left:
            time.sleep(0.005)


def describe(procs) -> str:
    """``sleep (pid 4242), python3 (pid 4243)``."""
    return ", ".join(f"{p.name} (pid {p.pid})" for p in sorted(procs, key=lambda p: p.pid))
