"""The ``tutorial`` vectors: every worked example of the spec and the whole tutorial network.

Inputs are the tutorial's own numbers; expected values come from the
reference in float64 and are checked against the exact oracle (and, where the
tutorial printed a value, against that value to its 11 printed digits, except
where an erratum says the printed value is wrong).
"""

from __future__ import annotations

import copy

from nnref.conformance.vectors.build.casebuild import (
    TOL_DEFAULT,
    TOL_EXACT,
    GenerationError,
    call_case,
    case,
    floats,
)
from nnref.reference.tutorial import encode_applicant

#: What the tutorial printed, to the digits it printed (SPEC's table of worked examples).
PRINTED = {
    "D_softmax": [0.93623955187, 0.04661262257, 0.01714782554],
    "W3_3": [0.11419519938, 0.84379473448, 0.04201006613],
    "D_ce": 1.33149646163,
    "W4_1": [-0.88580480062, 0.84379473448, 0.04201006613],
}
#: Printed values have 11 decimals, truncated (0.93623955187|65): within 1e-11 unless an erratum.
PRINTED_TOLERANCE = 1e-11


def _layer(W, b, activation):
    return {"W": W, "b": b, "activation": activation}


def _tutorial_network(ref):
    return floats(copy.deepcopy(ref.TUTORIAL_LAYERS))


def elementary_cases(ref):
    """W1_1 .. W2_4: a weighted sum, step and ReLU (W1_2's own inputs are only in a figure)."""
    x, w, b = [1, -1, 2, -2], [[1], [2], [-1], [-2]], [2]
    inputs = floats({"x": x, "W": w, "b": b})
    yield call_case(
        ref,
        "W1_1-weighted-sum",
        ["W1_1", "S1"],
        "linear",
        inputs,
        "tutorial problem W1_1: x = (1, -1, 2, -2), w = (1, 2, -1, -2), b = 2",
        tolerance=TOL_EXACT,
        flags=["tutorial"],
        tutorial_value=-1,
    )
    for cid, clauses, op, u, printed, flags, source in (
        ("W2_1-step", ["W2_1", "S5"], "step", -1, 0, [], "step of W1_1's u = -1"),
        (
            "W2_2-step",
            ["W2_2", "W1_2", "S5"],
            "step",
            5,
            1,
            ["figure_only"],
            "step of W1_2's answer u = 5 (W1_2's inputs are only in a figure; its answer is used)",
        ),
        ("W2_3-relu", ["W2_3", "S8"], "relu", -1, 0, [], "ReLU of W1_1's u = -1"),
        (
            "W2_4-relu",
            ["W2_4", "W1_2", "S8"],
            "relu",
            5,
            5,
            ["figure_only"],
            "ReLU of W1_2's answer u = 5 (W1_2's inputs are only in a figure; its answer is used)",
        ),
    ):
        yield call_case(
            ref,
            cid,
            clauses,
            op,
            {"u": [float(u)]},
            f"tutorial problem {clauses[0]}: {source}",
            tolerance=TOL_EXACT,
            flags=["tutorial", *flags],
            tutorial_value=printed,
        )


def encoding_cases(ref):
    """W3_1 and the input-layer example: the S4 encoding (data only: not a protocol callable)."""

    for cid, clauses, income, loan, house, source in (
        (
            "W3_1-encoding",
            ["W3_1", "S4"],
            999_999,
            False,
            False,
            "tutorial problem W3_1: a student with an income under 1 million yen (999,999 stands "
            "for it), no loan, renting a flat",
        ),
        (
            "S4-applicant-encoding",
            ["S4", "S3"],
            5_000_000,
            False,
            True,
            "the input-layer example: income 5 million yen, no loan, detached house",
        ),
    ):
        inputs = {"income_yen": float(income), "has_loan": loan, "detached_house": house}
        got = encode_applicant(**inputs)
        exact = [int(income >= 4_700_000), int(loan), int(house)]
        yield case(
            cid,
            clauses,
            "encode_applicant",
            inputs,
            got,
            source,
            exact=exact,
            tolerance=TOL_EXACT,
            flags=["tutorial", "data_only"],
            tutorial_value=exact,
            note="encode_applicant(income_yen, has_loan, detached_house) is optional: "
            "implementations without it report 'not provided'",
        )


def layer_cases(ref):
    """D_hidden, W3_2, W3_3 one layer at a time (weighted sums, then activations), D_softmax."""
    net = _tutorial_network(ref)
    xs = [[1.0, 0.0, 1.0], [1.0, 0.0], [0.0, 1.0, 2.0]]
    names = ["D_hidden", "W3_2", "W3_3"]
    printed = [[1, 0], [0, 1, 2], PRINTED["W3_3"]]
    for layer, x, name, shown in zip(net, xs, names, printed):
        inputs = {"x": x, "W": layer["W"], "b": layer["b"]}
        yield call_case(
            ref,
            f"{name}-weighted-sums",
            [name, "S1", "S2"],
            "linear",
            inputs,
            f"tutorial {name}: the weighted sums u = xW - b before the activation",
            tolerance=TOL_EXACT,
            flags=["tutorial"],
        )
        clause = "S10" if layer["activation"] == "softmax" else "S8"
        yield call_case(
            ref,
            f"{name}-layer",
            [name, "S2", clause],
            "forward",
            {"layers": [layer], "x": x},
            f"tutorial {name}: the layer's outputs",
            tolerance=TOL_DEFAULT,
            flags=["tutorial"],
            tutorial_value=shown,
        )
    u = [3.0, 0.0, -1.0]
    yield call_case(
        ref,
        "D_softmax",
        ["D_softmax", "S10"],
        "softmax",
        {"u": u},
        "tutorial demonstration D_softmax: logits (3, 0, -1)",
        flags=["tutorial"],
        tutorial_value=PRINTED["D_softmax"],
    )


def loss_cases(ref):
    """D_mse (a halved sum, E6) and D_ce (natural log; the tutorial printed log10, E1)."""
    y, t = [28.0, 500.0], [30.0, 550.0]
    yield call_case(
        ref,
        "D_mse",
        ["D_mse", "S13", "E6"],
        "squared_error",
        {"y": y, "t": t},
        "tutorial demonstration D_mse: y = (28, 500), t = (30, 550)",
        tolerance=TOL_EXACT,
        flags=["tutorial"],
        tutorial_value=1252,
    )
    y, t = ref.softmax([3.0, 0.0, -1.0]), [0.0, 1.0, 0.0]
    yield call_case(
        ref,
        "D_ce",
        ["D_ce", "S14", "E1"],
        "cross_entropy",
        {"y": y, "t": t},
        "tutorial demonstration D_ce: y = softmax(3, 0, -1) (D_softmax), t = (0, 1, 0)",
        flags=["tutorial", "erratum"],
        tutorial_value=PRINTED["D_ce"],
        erratum="E1",
        note="the tutorial printed -log10(y_2) = 1.33149646163; cross-entropy uses the "
        "natural log: -ln(y_2) = 3.0658839038...",
    )


def network_cases(ref):
    """W4_1 and the whole 3-2-3-3 network: output, loss, every weight and threshold gradient."""
    net = _tutorial_network(ref)
    x, t = floats(ref.TUTORIAL_X), floats(ref.TUTORIAL_T)
    out = [net[2]]
    inputs = {"layers": out, "x": [0.0, 1.0, 2.0], "t": t, "loss": "cross_entropy"}
    yield call_case(
        ref,
        "W4_1-output-error",
        ["W4_1", "S15", "S20", "E4"],
        "gradients",
        inputs,
        "tutorial problem W4_1: the output layer alone, input (c, d, e) = (0, 1, 2), "
        "t = (1, 0, 0), softmax + cross-entropy",
        flags=["tutorial"],
        tutorial_value=PRINTED["W4_1"],
        note="the tutorial prints the output error delta = y - t; the threshold gradient "
        "db = -delta (S20: the threshold is subtracted) and dW[i][j] = x_i delta_j",
    )
    clauses = ["D_hidden", "W3_2", "W3_3", "S2", "S3"]
    yield call_case(
        ref,
        "tutorial-network-forward",
        clauses,
        "forward",
        {"layers": net, "x": x},
        "the tutorial's 3-2-3-3 network (ReLU, ReLU, softmax) on (1, 0, 1)",
        flags=["tutorial"],
        tutorial_value=PRINTED["W3_3"],
    )
    y = ref.forward(net, x)
    yield call_case(
        ref,
        "tutorial-network-loss",
        ["S14", "W4_1", "E1"],
        "cross_entropy",
        {"y": y, "t": t},
        "cross-entropy of the tutorial network's output (W3_3) with W4_1's teacher (1, 0, 0)",
        flags=["tutorial"],
    )
    clauses = ["W4_1", "S15", "S16", "S17", "S18", "S19", "S20", "E4"]
    yield call_case(
        ref,
        "tutorial-network-gradients",
        clauses,
        "gradients",
        {"layers": net, "x": x, "t": t, "loss": "cross_entropy"},
        "every weight and threshold gradient of the tutorial network for input (1, 0, 1), "
        "teacher (1, 0, 0)",
        flags=["tutorial"],
    )


def tutorial_cases(ref) -> list[dict]:
    """All tutorial cases, in SPEC order."""
    cases = []
    for part in (elementary_cases, encoding_cases, layer_cases, loss_cases, network_cases):
        cases.extend(part(ref))
    for c in cases:
        check_printed(c)
    return cases


def printed_view(c: dict) -> list[float]:
    """The part of a case's expected value that the tutorial printed, flattened.

    W4_1 printed the output error delta = y - t; its case expects gradients,
    whose last threshold gradient is -delta (S20).
    """
    expected = c["expected"]
    if c["operation"] == "gradients":
        expected = [-v for v in expected[-1]["b"]]
    return flatten(expected)


def flatten(value) -> list[float]:
    if isinstance(value, list | tuple):
        return [v for item in value for v in flatten(item)]
    return [float(value)]


def check_printed(c: dict) -> None:
    """Raise unless the expected value matches what the tutorial printed (an erratum: differs)."""
    if "tutorial_value" not in c:
        return
    printed, got = flatten(c["tutorial_value"]), printed_view(c)
    same = len(printed) == len(got) and all(
        abs(p - g) <= PRINTED_TOLERANCE for p, g in zip(printed, got)
    )
    if same == ("erratum" in c):
        verb = "differs from" if not same else "matches, despite its erratum,"
        raise GenerationError(f"case {c['id']}: expected {got} {verb} the printed {printed}")
