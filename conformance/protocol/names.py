"""The protocol's vocabulary, in one place: callable names, activation/loss pairings, clause ids.

- ``PROTOCOL``: the callables an implementation under test may provide, in the order
  of the protocol's table (conformance/protocol/README.md): ``linear`` (S1, S2), the
  activations (S5-S10), the
  losses (S13, S14), ``forward``, ``gradients`` (S15-S20), ``sgd_step`` (S22),
  ``adam_step`` (S23), ``box_muller`` (S25).
- ``ARGUMENTS``: each callable's positional arguments, as the protocol's table names
  them (``adam_step`` also takes lr, beta1, beta2, eps by keyword, S23).
- ``ACTIVATIONS``: step, sigmoid, tanh, ReLU, identity, softmax (S5-S10), the protocol's order.
- ``HIDDEN``: the hidden-layer activations that can be trained through: sigmoid,
  tanh, ReLU, identity (S6-S9). Step (S5) has no derivative, so it is left out.
- ``LOSSES``: squared error (S13) and cross-entropy (S14).
- ``OUTPUTS``: the output activations the gradient self-check sweeps: identity for
  regression (S9), softmax for classification (S10), sigmoid for a yes/no output (S6).
- ``S15_PAIRINGS``: the two (output activation, loss) pairings whose output error
  is y - t (S15: identity + squared error, softmax + cross-entropy; E4).
- ``PAIRINGS``: every (output activation, loss) pairing the protocol's ``gradients``
  must handle (S15-S20): the two of S15 first, then squared error after any
  activation, and cross-entropy after sigmoid (outputs in (0, 1), so ln is defined,
  S14). Cross-entropy of an identity, tanh or ReLU output is not a pairing: those
  outputs can be <= 0.
- ``CLAUSE_OF``: the SPEC clause that defines each activation and loss (S5-S10, S13, S14).
"""

from __future__ import annotations

from nnref.reference import activations as _activations
from nnref.reference import losses as _losses

# Declared once, by the reference's tables (an activation or loss added there is here at once).
ACTIVATIONS = tuple(_activations.ACTIVATIONS)
HIDDEN = _activations.HIDDEN
LOSSES = tuple(_losses.LOSSES)
PROTOCOL = (
    "linear",
    *ACTIVATIONS,
    *LOSSES,
    "forward",
    "gradients",
    "sgd_step",
    "adam_step",
    "box_muller",
)
OUTPUTS = ("identity", "softmax", "sigmoid")
S15_PAIRINGS = tuple((loss.canonical_activation, name) for name, loss in _losses.LOSSES.items())
PAIRINGS = (
    *S15_PAIRINGS,
    ("sigmoid", "squared_error"),
    ("tanh", "squared_error"),
    ("relu", "squared_error"),
    ("softmax", "squared_error"),
    ("sigmoid", "cross_entropy"),
)
ARGUMENTS = {
    "linear": ("x", "W", "b"),
    **{name: ("u",) for name in ACTIVATIONS},
    **{name: ("y", "t") for name in LOSSES},
    "forward": ("layers", "x"),
    "gradients": ("layers", "x", "t", "loss"),
    "sgd_step": ("w", "g", "lr"),
    "adam_step": ("w", "g", "m", "v", "t"),
    "box_muller": ("x", "y"),
}
CLAUSE_OF = {
    "step": "S5",
    "sigmoid": "S6",
    "tanh": "S7",
    "relu": "S8",
    "identity": "S9",
    "softmax": "S10",
    "squared_error": "S13",
    "cross_entropy": "S14",
}
