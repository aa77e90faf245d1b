"""Calling someone else's code safely: a per-call timeout, and a check that inputs stay intact.

``call_with_timeout`` runs the call in a daemon thread and gives up after
``timeout`` seconds (the thread is abandoned; it cannot be killed, but it does
not keep the process alive). ``first_change`` compares the arguments after
the call with a pristine copy and names the first entry that was modified.
"""

from __future__ import annotations

import threading


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


def first_change(before, after, path: str = "") -> str | None:
    """Where ``after`` differs from ``before`` (JSON-like values), e.g. ``W[0][1]: 0.5 -> 0.0``."""
    if isinstance(before, dict):
        if not isinstance(after, dict) or before.keys() != after.keys():
            return f"{path or 'the argument'} was replaced or gained/lost keys"
        for key in before:
            found = first_change(before[key], after[key], f"{path}[{key!r}]" if path else key)
            if found:
                return found
        return None
    if isinstance(before, list):
        if not isinstance(after, list) or len(before) != len(after):
            return f"{path}: length {len(before)} -> {_len(after)}"
        for i, (b, a) in enumerate(zip(before, after)):
            found = first_change(b, a, f"{path}[{i}]")
            if found:
                return found
        return None
    if type(before) is not type(after) or before != after:
        return f"{path}: {before!r} -> {after!r}"
    return None


def _len(value):
    return len(value) if hasattr(value, "__len__") else type(value).__name__
