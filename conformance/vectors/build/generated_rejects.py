"""Must-reject vectors: inputs outside the spec's domain, on which an implementation must raise.

Each case names the domain its inputs leave (``reject``); the generator checks that the
reference raises its one-line input error there. The domains:

- Adam's step number t counts from 1 (S23): t = 0 divides by 1 - beta1^0 = 0.
- Box-Muller's X lies in (0, 1] (S25): ln 0 is undefined, and below 0 or above 1 the
  square root of -2 ln X has no real value. (Y is an angle: any Y gives a value.)
- Shapes that do not match (S2, S13, S14, S15, S22, S23): a zip or numpy's broadcasting
  would otherwise answer something.
- Names that are not activations or losses (S5-S10, S13, S14), and the step activation in
  a network to backpropagate (S5: it has no derivative).
- Cross-entropy of a negative output where the teacher is not 0 (S14: ln y).
"""

from __future__ import annotations

from nnref.conformance.vectors.build.casebuild import reject_case

_ONE = {"W": [[1.0]], "b": [0.0], "activation": "identity"}
_NET = [
    {"W": [[0.5, -1.0], [0.25, 0.75]], "b": [0.0, 0.5], "activation": "tanh"},
    {"W": [[1.0], [-0.5]], "b": [0.25], "activation": "identity"},
]

#: (id, clauses, operation, inputs, domain, provenance)
REJECTS = (
    (
        "adam_step-reject-t-zero",
        ["S23"],
        "adam_step",
        {"w": [0.5], "g": [0.1], "m": [0.0], "v": [0.0], "t": 0},
        "Adam's step number t is an integer >= 1 (S23)",
        "t = 0: the bias correction 1 - beta1^t is 0",
    ),
    (
        "adam_step-reject-t-negative",
        ["S23"],
        "adam_step",
        {"w": [0.5], "g": [0.1], "m": [0.0], "v": [0.0], "t": -1},
        "Adam's step number t is an integer >= 1 (S23)",
        "t = -1: steps are counted from 1",
    ),
    (
        "adam_step-reject-lengths",
        ["S23"],
        "adam_step",
        {"w": [0.5, 1.0], "g": [0.1, 0.2, 0.3], "m": [0.0, 0.0], "v": [0.0, 0.0], "t": 1},
        "w, g, m and v have one entry per parameter (S23)",
        "three gradient entries for two parameters",
    ),
    (
        "box_muller-reject-x-zero",
        ["S25"],
        "box_muller",
        {"x": 0.0, "y": 0.5},
        "the uniform X lies in (0, 1]: ln 0 is undefined (S25)",
        "X = 0",
    ),
    (
        "box_muller-reject-x-negative",
        ["S25"],
        "box_muller",
        {"x": -0.25, "y": 0.5},
        "the uniform X lies in (0, 1]: ln X needs X > 0 (S25)",
        "X = -0.25",
    ),
    (
        "box_muller-reject-x-above-one",
        ["S25"],
        "box_muller",
        {"x": 1.5, "y": 0.25},
        "the uniform X lies in (0, 1]: above 1, -2 ln X is negative and has no square root (S25)",
        "X = 1.5",
    ),
    (
        "linear-reject-rows",
        ["S2"],
        "linear",
        {"x": [1.0, 2.0], "W": [[1.0], [2.0], [3.0]], "b": [0.0]},
        "W has one row per input (S2)",
        "two inputs, three rows of W",
    ),
    (
        "linear-reject-columns",
        ["S2"],
        "linear",
        {"x": [1.0, 2.0], "W": [[1.0, 2.0], [3.0, 4.0]], "b": [0.5]},
        "W has one column per neuron, and each neuron one threshold (S2)",
        "two columns of W, one threshold",
    ),
    (
        "forward-reject-chain",
        ["S2"],
        "forward",
        {"layers": [_NET[0], {**_NET[1], "W": [[1.0], [-0.5], [2.0]]}], "x": [1.0, -1.0]},
        "each layer's W has one row per output of the layer below (S2)",
        "layer 1 has three rows of W but layer 0 has two outputs",
    ),
    (
        "forward-reject-unknown-activation",
        ["S2"],
        "forward",
        {"layers": [{**_ONE, "activation": "softplus"}], "x": [1.0]},
        "activations are step, sigmoid, tanh, relu, identity and softmax (S5-S10)",
        "an activation nnref does not know",
    ),
    (
        "gradients-reject-unknown-loss",
        ["S13", "S14"],
        "gradients",
        {"layers": _NET, "x": [1.0, -1.0], "t": [0.5], "loss": "mean_absolute_error"},
        "losses are squared_error and cross_entropy (S13, S14)",
        "a loss nnref does not know",
    ),
    (
        "gradients-reject-teacher-length",
        ["S15"],
        "gradients",
        {"layers": _NET, "x": [1.0, -1.0], "t": [0.5, 0.5], "loss": "squared_error"},
        "the teacher has one entry per output neuron (S15)",
        "two teacher entries, one output",
    ),
    (
        "gradients-reject-step",
        ["S5"],
        "gradients",
        {
            "layers": [{**_NET[0], "activation": "step"}, _NET[1]],
            "x": [1.0, -1.0],
            "t": [0.5],
            "loss": "squared_error",
        },
        "the step activation has no derivative: it cannot be backpropagated (S5)",
        "a hidden step layer",
    ),
    (
        "squared_error-reject-lengths",
        ["S13"],
        "squared_error",
        {"y": [0.5, 1.0, 1.5], "t": [1.0]},
        "y and t have one entry per output (S13)",
        "three outputs, one teacher entry (numpy would broadcast it)",
    ),
    (
        "cross_entropy-reject-lengths",
        ["S14"],
        "cross_entropy",
        {"y": [0.25, 0.75], "t": [0.0, 1.0, 0.0]},
        "y and t have one entry per output (S14)",
        "two outputs, three teacher entries",
    ),
    (
        "cross_entropy-reject-negative-output",
        ["S14"],
        "cross_entropy",
        {"y": [-0.5, 1.5], "t": [1.0, 0.0]},
        "ln y_k needs y_k >= 0 wherever t_k is not 0 (S14)",
        "a negative output where the teacher is 1",
    ),
    (
        "sgd_step-reject-lengths",
        ["S22"],
        "sgd_step",
        {"w": [0.5, 1.0], "g": [0.1], "lr": 0.1},
        "w and g have one entry per parameter (S22)",
        "one gradient entry for two parameters",
    ),
)


def reject_cases(ref, rng=None):
    """The must-reject cases (``rng`` is unused: they are fixed)."""
    for cid, clauses, operation, inputs, domain, provenance in REJECTS:
        yield reject_case(ref, cid, clauses, operation, inputs, domain, provenance)
