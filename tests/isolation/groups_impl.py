"""Implementations for the tests of call groups (``Session.run(..., stop=True)``).

Loaded by the judge's children only. Every callable below touches the file named in
``NNREF_TEST_CALLED`` (when set) with its own name, so a test can tell which calls the
child made.
"""

from __future__ import annotations

import os
from pathlib import Path

from nnref import reference
from tests.conformance.impls import Impl


def _called(name: str) -> None:
    folder = os.environ.get("NNREF_TEST_CALLED")
    if folder:
        Path(folder, name).touch()


def _softmax_raises(u):
    _called("softmax")
    raise ValueError("softmax is broken")


def _tanh_crashes(u):
    _called("tanh")
    os._exit(3)


def _linear_modifies(x, W, b):
    _called("linear")
    x[0] = 99.0
    return reference.linear(x, W, b)


#: softmax raises, tanh ends its child, linear writes into its x: each stops a group.
STOPPERS = Impl(softmax=_softmax_raises, tanh=_tanh_crashes, linear=_linear_modifies)


def _gradients_doubled(layers, x, t, loss):
    """Twice the true gradients: a failure only the judge sees (the child returns normally)."""
    grads = reference.gradients(layers, x, t, loss)
    return [
        {"W": [[2 * v for v in row] for row in g["W"]], "b": [2 * v for v in g["b"]]} for g in grads
    ]


def _forward_crashes_on_tanh_outputs(layers, x):
    """Ends its child for a network whose output layer is tanh (a later network of an example)."""
    if layers[-1]["activation"] == "tanh":
        _called("forward-tanh")
        os._exit(3)
    return reference.forward(layers, x)


#: Wrong gradients everywhere, and a forward that ends its child on tanh-output networks.
WRONG_THEN_CRASHES = Impl(gradients=_gradients_doubled, forward=_forward_crashes_on_tanh_outputs)
