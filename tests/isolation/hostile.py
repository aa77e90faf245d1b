"""Hostile implementations: the reference with one callable misbehaving on purpose.

Loaded by the judge's children as ``tests.isolation.hostile:NAME``; the judge
itself must never import this module.
"""

from __future__ import annotations

import ctypes
import os
import sys
import warnings
from pathlib import Path

from nnref import reference
from tests.conformance.impls import Impl  # the reference with some callables replaced


def _exit0(u):
    raise SystemExit(0)


def _exit1(u):
    sys.exit(1)


def _os_exit(u):
    os._exit(3)


def _segfault(u):
    ctypes.string_at(0)


def _keyboard(u):
    raise KeyboardInterrupt


def _loop(u):
    marker = os.environ.get("NNREF_TEST_HANG_MARKER")
    if marker:  # tells a test the hang has begun, so it need not guess with sleeps
        Path(marker).touch()
    while True:
        pass


def _recurse(u):
    return _recurse(u) + 1


def _hog(u):
    chunks = [bytearray(10**8) for _ in range(10**4)]  # 1 TB, 100 MB at a time
    return chunks[0]


def _prints(u):
    print("computing sigmoid of", u)
    print("to stderr too", file=sys.stderr)
    return reference.sigmoid(u)


def _warns(u):
    for i in range(10_000):
        warnings.warn(f"flood {i}", RuntimeWarning, stacklevel=1)
    return reference.tanh(u)


def _mutates(u):
    u[0] = 99.0
    return reference.relu(u)


class _BadArray:
    def __array__(self, dtype=None, copy=None):
        raise RuntimeError("no array for you")


def _generator(u):
    return (v for v in reference.relu(u))


def _huge(u):
    import numpy as np

    return np.zeros(10**7)


def _not_implemented(u):
    raise NotImplementedError("tanh is not written yet")


EXIT0 = Impl(sigmoid=_exit0)
EXIT1 = Impl(sigmoid=_exit1)
OS_EXIT = Impl(tanh=_os_exit)
SEGFAULT = Impl(softmax=_segfault)
KEYBOARD = Impl(relu=_keyboard)
LOOP = Impl(tanh=_loop)
RECURSION = Impl(sigmoid=_recurse)
MEMORY_HOG = Impl(sigmoid=_hog)
PRINTS = Impl(sigmoid=_prints)
WARNINGS = Impl(tanh=_warns)
MUTATES = Impl(relu=_mutates)
ARRAY_RAISES = Impl(softmax=lambda u: _BadArray())
GENERATOR = Impl(relu=_generator)
HUGE = Impl(identity=_huge)
NOT_IMPLEMENTED = Impl(tanh=_not_implemented)


class Partial:
    """Like a small from-scratch library: sigmoid, squared error, forward and gradients only."""

    sigmoid = staticmethod(reference.sigmoid)
    squared_error = staticmethod(reference.squared_error)
    forward = staticmethod(reference.forward)
    gradients = staticmethod(reference.gradients)


PARTIAL = Partial()


def _forward_exits(layers, x):
    raise SystemExit(0)


FORWARD_EXITS = Impl(forward=_forward_exits)
