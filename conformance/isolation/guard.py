"""The in-process runner's guards: a per-call timeout, and a check that inputs stay intact.

Only the in-process path (kept to measure what isolation costs) uses
``call_with_timeout``: it runs the call in a daemon thread and gives up after
``timeout`` seconds (the thread is abandoned; it cannot be killed). Checks
normally call the implementation in a child process (``nnref.conformance.isolation``),
which kills a call that hangs. ``first_change`` names the first entry of the
arguments a call modified; it lives with the child's code, which uses it on
every call.
"""

from __future__ import annotations

import threading

from nnref.conformance.protocol.plain import first_change

__all__ = ["TimedOut", "call_with_timeout", "first_change"]


class TimedOut(Exception):
    """The call did not return within the timeout."""


def call_with_timeout(fn, timeout: float | None):
    """``fn()``'s result; re-raises its exception; TimedOut after ``timeout`` seconds."""
    if timeout is None:
        return fn()
    box: dict = {}

    def target():
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the caller's thread below
            box["error"] = exc

    worker = threading.Thread(target=target, name="nnref-call", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise TimedOut(f"timed out after {timeout:g}s")
    if "error" in box:
        raise box["error"]
    return box["value"]
