"""What a check left running: the processes that carry a mark in their environment."""

from __future__ import annotations

import os
import time

from nnref.conformance.isolation import reaper

#: This process's own children carry this entry (``reaper.environment``).
OURS = f"{reaper.TOKEN_NAME}={reaper.TOKEN}"


def running(entry: str = OURS, within: float = 1.0) -> list[int]:
    """Pids still running with ``entry`` (``NAME=value``) in their environment (this
    process's children by default), after waiting up to ``within`` seconds for them to go
    (zombies do not count)."""
    deadline = time.monotonic() + within
    while True:
        found = [p.pid for p in reaper.table().values() if p.state != "Z" and _has(p.pid, entry)]
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def _has(pid: int, entry: str) -> bool:
    if pid == os.getpid():
        return False
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            return entry.encode() in f.read().split(b"\0")
    except OSError:
        return False
