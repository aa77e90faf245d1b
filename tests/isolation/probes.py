"""Implementations for the probe-batch tests; loaded by the judge's children only."""

from __future__ import annotations

import time

from nnref import reference
from tests.conformance.impls import Impl


def _forward_refuses_low_b0(layers, x):
    if layers[0]["b"][0] < 0.5:
        raise ValueError("b[0] moved down")
    return reference.forward(layers, x)


def _slow_tanh(u):
    time.sleep(0.3)
    return reference.tanh(u)


def _tanh_hangs_at_four(u):
    if u[0] == 3.0:
        while True:
            time.sleep(1)
    return reference.tanh(u)


#: forward raises at one finite-difference probe only (b[0] - h, with b[0] = 0.5).
REFUSES_ONE_PROBE = Impl(forward=_forward_refuses_low_b0)
#: tanh takes 0.3 s a call.
SLOW_TANH = Impl(tanh=_slow_tanh)
#: tanh never returns for u = [3.0] (the 4th probe of a batch [[0.0], [1.0], ...]).
HANGS_AT_FOUR = Impl(tanh=_tanh_hangs_at_four)
