"""Implementations for the runner's tests: the reference with one thing broken on purpose.

Each is an object with the protocol's callables (the reference's, some
replaced), loaded with ``tests.conformance.impls:NAME``.
"""

from __future__ import annotations

import math
import time

import numpy as np

from nnref import reference
from nnref.conformance.protocol.names import PROTOCOL


class Impl:
    """The reference's protocol callables, with ``replace`` swapped in."""

    def __init__(self, **replace):
        for name in PROTOCOL:
            setattr(self, name, getattr(reference, name))
        for name, fn in replace.items():
            setattr(self, name, fn)


def _flip(layers):
    return [{**layer, "b": [-v for v in layer["b"]]} for layer in layers]


def _gradients_flipped(layers, x, t, loss):
    grads = reference.gradients(_flip(layers), x, t, loss)
    return [{"W": g["W"], "b": [-v for v in g["b"]]} for g in grads]


#: u = xW + b everywhere (the threshold added, not subtracted: S1), self-consistent backward.
WRONG_BIAS_SIGN = Impl(
    linear=lambda x, W, b: reference.linear(x, W, [-v for v in b]),
    forward=lambda layers, x: reference.forward(_flip(layers), x),
    gradients=_gradients_flipped,
)

#: Cross-entropy with log10, as the tutorial printed in D_ce (E1); gradients still y - t.
LOG10_CROSS_ENTROPY = Impl(
    cross_entropy=lambda y, t: -sum(tk * math.log10(yk) for yk, tk in zip(y, t) if tk != 0)
)

#: ReLU'(0) = 0 (most libraries), everything else the tutorial's.
RELU_GRAD_AT_ZERO_0 = Impl(
    gradients=lambda layers, x, t, loss: reference.gradients(
        layers, x, t, loss, relu_grad_at_zero=0.0
    )
)


def _boom(u):
    raise ValueError("boom")


def _hang(u):
    time.sleep(3)
    return reference.step(u)


def _relu_in_place(u):
    for i, v in enumerate(u):
        u[i] = max(0.0, v)
    return list(u)


RAISES = Impl(sigmoid=_boom)
WRONG_SHAPE = Impl(softmax=lambda u: reference.softmax(u)[:-1] if len(u) > 1 else [1.0, 0.0])
WRONG_TYPE = Impl(forward=lambda layers, x: None, gradients=lambda *a: {"W": 1})
NAN = Impl(tanh=lambda u: [float("nan")] + [float("inf")] * (len(u) - 1))
HANGS = Impl(step=_hang)
MUTATES = Impl(relu=_relu_in_place)


#: Softmax and forward computed in float32 (as JAX and PyTorch do by default).
FLOAT32 = Impl(
    softmax=lambda u: np.asarray(reference.softmax(u), dtype=np.float32),
    forward=lambda layers, x: np.asarray(reference.forward(layers, x), dtype=np.float32),
)

#: Written for numpy arrays: ``x @ W`` fails on the protocol's plain lists.
ARRAYS_ONLY = Impl(linear=lambda x, W, b: [u - bj for u, bj in zip(x @ W, b)])

#: The reference plus the optional S4 encoding (W3_1).
WITH_ENCODING = Impl(encode_applicant=reference.tutorial.encode_applicant)


def converted(convert) -> Impl:
    """The reference with every result passed through ``convert`` (tuples and gradients too)."""

    def wrap(fn):
        def call(*args, **kwargs):
            out = fn(*args, **kwargs)
            if isinstance(out, list) and out and isinstance(out[0], dict):
                return [{k: convert(v) for k, v in g.items()} for g in out]
            if isinstance(out, tuple):
                return tuple(convert(v) for v in out)
            return convert(out)

        return call

    return Impl(**{name: wrap(getattr(reference, name)) for name in PROTOCOL})


#: Every result a numpy array (vectors) or numpy float64 (numbers).
NUMPY_RESULTS = converted(lambda v: np.asarray(v) if isinstance(v, list) else np.float64(v))

#: A loss returned as a one-element list (accepted) and as a two-element list (wrong shape).
SCALAR_AS_ARRAYS = Impl(
    squared_error=lambda y, t: [reference.squared_error(y, t)],
    cross_entropy=lambda y, t: [reference.cross_entropy(y, t)] * 2,
)


def __getattr__(name):
    if name == "TORCH_RESULTS":  # every result a float64 tensor that requires grad
        import torch

        return converted(lambda v: torch.tensor(v, dtype=torch.float64, requires_grad=True) * 1.0)
    raise AttributeError(name)


class StaleRecords:
    """Backward reuses the input of the last forward call instead of its own (breaks S12).

    It has the reference's activations and losses too: properties draw networks
    only from what an implementation provides.
    """

    sigmoid, tanh, relu = (staticmethod(getattr(reference, n)) for n in ("sigmoid", "tanh", "relu"))
    identity, softmax = staticmethod(reference.identity), staticmethod(reference.softmax)
    squared_error = staticmethod(reference.squared_error)
    cross_entropy = staticmethod(reference.cross_entropy)

    def __init__(self):
        self.last_x = None

    def forward(self, layers, x):
        self.last_x = list(x)
        return reference.forward(layers, x)

    def gradients(self, layers, x, t, loss):
        if self.last_x is None or len(self.last_x) != len(x):
            self.last_x = list(x)
        return reference.gradients(layers, self.last_x, t, loss)


STALE_RECORDS = StaleRecords()


class Nothing:
    """Provides no protocol callable at all."""


def _sgd_zip(w, g, lr):
    return [a - lr * b for a, b in zip(w, g)]  # no length check: a zip truncates


def _box_muller_nan(x, y):
    with np.errstate(all="ignore"):
        return float(np.sqrt(-2.0 * np.log(x)) * np.cos(2.0 * np.pi * y))  # nan, not an error


def _exits(*args):
    raise SystemExit(3)


def _not_implemented(*args):
    raise NotImplementedError("box_muller")


#: Checks nothing it is given: must-reject cases come back with values (numpy-style nan).
LENIENT = Impl(sgd_step=_sgd_zip, box_muller=_box_muller_nan)
#: box_muller raises NotImplementedError (not provided), sgd_step calls sys.exit (no rejection).
UNSURE = Impl(box_muller=_not_implemented, sgd_step=_exits)
