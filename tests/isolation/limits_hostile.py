"""Hostile implementations for the limits: crashes, a second import that fails, slow calls.

Loaded by the judge's children only. ``NNREF_TEST_MARKER`` (a path) is set by the tests
that need a child to tell the first import from a later one.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from nnref import reference
from tests.conformance.impls import Impl

_MARKER = os.environ.get("NNREF_TEST_MARKER")
if _MARKER:
    if Path(_MARKER).exists():  # a later import: fails, as a flaky dependency might
        raise RuntimeError("this import fails the second time")
    Path(_MARKER).touch()


def _crash(u):
    os._exit(3)


def _slow(u):
    time.sleep(0.4)
    return reference.tanh(u)


_CALLS = [0]


def _forward_hangs_at_a_probe(layers, x):
    """The 10th call of forward in a child never returns (a probe of a batched call)."""
    _CALLS[0] += 1
    if _CALLS[0] == 10:
        while True:
            time.sleep(1)
    return reference.forward(layers, x)


#: tanh ends its child on every call; the second import of the module fails under a marker.
CRASHES = Impl(tanh=_crash)
#: tanh takes 0.4 s per call: under a 0.5 s timeout, every call is in time.
SLOW = Impl(tanh=_slow)
#: forward hangs at its 10th call in a child: inside the finite-difference probes.
HANGS_AT_A_PROBE = Impl(forward=_forward_hangs_at_a_probe)
