"""The tutorial's own network (SPEC: D_hidden, W3_2, W3_3 chained; W4_1's teacher).

Input (1, 0, 1) is the applicant of the input-layer example (S4: income of
5 million yen, no loan, detached house). Each column of W is one neuron's
weights (W[i][j]: input i -> neuron j); b holds the thresholds.
"""

TUTORIAL_X = [1.0, 0.0, 1.0]
TUTORIAL_T = [1.0, 0.0, 0.0]

TUTORIAL_LAYERS = [
    {  # D_hidden: a: w = (1, -2, 2), b = 2;  b: w = (-3, 2, 1), b = -1
        "W": [[1.0, -3.0], [-2.0, 2.0], [2.0, 1.0]],
        "b": [2.0, -1.0],
        "activation": "relu",
    },
    {  # W3_2: c: w = (1, -1), b = 2;  d: w = (-1, 2), b = -2;  e: w = (-2, 1), b = -4
        "W": [[1.0, -1.0, -2.0], [-1.0, 2.0, 1.0]],
        "b": [2.0, -2.0, -4.0],
        "activation": "relu",
    },
    {  # W3_3: f: w = (-1, 1, -2), b = -2;  g: w = (2, 4, -1), b = 1;  h: w = (-2, -1, -3), b = -5
        "W": [[-1.0, 2.0, -2.0], [1.0, 4.0, -1.0], [-2.0, -1.0, -3.0]],
        "b": [-2.0, 1.0, -5.0],
        "activation": "softmax",
    },
]


def tutorial_layers() -> list[dict]:
    """A fresh copy of the tutorial network, safe to train or modify."""
    return [
        {"W": [row[:] for row in layer["W"]], "b": layer["b"][:], "activation": layer["activation"]}
        for layer in TUTORIAL_LAYERS
    ]


def encode_applicant(income_yen: float, has_loan: bool, detached_house: bool) -> list[float]:
    """S4: three binary inputs: income >= 4.7 million yen, has a loan, lives in a detached house."""
    return [
        1.0 if income_yen >= 4_700_000 else 0.0,
        1.0 if has_loan else 0.0,
        1.0 if detached_house else 0.0,
    ]
