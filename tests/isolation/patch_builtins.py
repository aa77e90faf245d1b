"""Patches builtins when imported (abs, print), and has a wrong tanh (0 everywhere)."""

import builtins

from nnref.reference import *  # noqa: F403

builtins.abs = lambda x: 0.0
builtins.print = lambda *a, **k: None


def tanh(u):
    return [0.0 for _ in u]
