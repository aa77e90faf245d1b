"""The tutorial's 3-2-3-3 network (SPEC D_hidden, W3_2, W3_3, W4_1) and its exact gradients.

Layer 1 (neurons a, b), layer 2 (c, d, e) and layer 3 (f, g, h), with
W[i][j] the weight from input i into neuron j and u = x W - b:

- a: w = (1, -2, 2), b = 2;   b: w = (-3, 2, 1), b = -1          (ReLU)
- c: w = (1, -1), b = 2;      d: w = (-1, 2), b = -2;  e: w = (-2, 1), b = -4   (ReLU)
- f: w = (-1, 1, -2), b = -2; g: w = (2, 4, -1), b = 1; h: w = (-2, -1, -3), b = -5 (softmax)

Input (1, 0, 1), teacher (1, 0, 0), cross-entropy (natural log, E1).
"""

from __future__ import annotations

from functools import cache

from nnref.symbolic.gradients import gradients


def _columns(neurons):
    """Neuron weight vectors -> W as rows per input (W[i][j] = neuron j's weight i)."""
    return [list(row) for row in zip(*neurons, strict=True)]


TUTORIAL_LAYERS = [
    {"W": _columns([(1, -2, 2), (-3, 2, 1)]), "b": [2, -1], "activation": "relu"},
    {"W": _columns([(1, -1), (-1, 2), (-2, 1)]), "b": [2, -2, -4], "activation": "relu"},
    {
        "W": _columns([(-1, 1, -2), (2, 4, -1), (-2, -1, -3)]),
        "b": [-2, 1, -5],
        "activation": "softmax",
    },
]
TUTORIAL_X = [1, 0, 1]
TUTORIAL_T = [1, 0, 0]
TUTORIAL_LOSS = "cross_entropy"


@cache
def tutorial_gradients(simplify: bool = True):
    """Exact loss and gradients of the tutorial network (closed forms in e when simplified)."""

    if simplify:
        return tutorial_gradients(False).simplified()
    return gradients(TUTORIAL_LAYERS, TUTORIAL_X, TUTORIAL_T, TUTORIAL_LOSS)
