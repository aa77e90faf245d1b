"""What a check left running: the processes that carry a judge's token in their environment."""

from __future__ import annotations

import os
import time

from nnref.conformance.isolation import reaper


def running(token: str = reaper.TOKEN, within: float = 1.0) -> list[int]:
    """Pids still running with ``NNREF_ISOLATION=token`` (this process's own, by default),
    after waiting up to ``within`` seconds for them to go (zombies do not count)."""
    deadline = time.monotonic() + within
    while True:
        found = [p.pid for p in reaper.table().values() if p.state != "Z" and _has(p.pid, token)]
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def _has(pid: int, token: str) -> bool:
    if pid == os.getpid():
        return False
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            return f"{reaper.TOKEN_NAME}={token}".encode() in f.read().split(b"\0")
    except OSError:
        return False
