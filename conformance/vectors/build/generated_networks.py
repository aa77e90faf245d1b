"""Generated vectors for whole networks: forward outputs and gradients (S2, S5-S10, S15-S21).

Random networks of depths 1-4 and widths 1-6 with every activation, every
(output activation, loss) pairing of ``PAIRINGS``, a deep sigmoid stack (S21),
logits at +-1000, and networks built to sit exactly on a ReLU kink (S8).
"""

from __future__ import annotations

from nnref.conformance.protocol.names import CLAUSE_OF, HIDDEN, PAIRINGS
from nnref.conformance.vectors.build import oracle
from nnref.conformance.vectors.build.casebuild import (
    TOL_DEFAULT,
    GenerationError,
    agree,
    call_case,
    floats,
    plain,
)
from nnref.conformance.vectors.build.sampling import (
    ELEMENTWISE,
    clause_order,
    depth_flags,
    one_hot,
    random_network,
    vector,
)


def forward_cases(ref, rng):
    for k in range(40):
        depth = 1 + k % 4
        sizes = [rng.randint(1, 6) for _ in range(depth + 1)]
        acts = [rng.choice((*ELEMENTWISE,)) for _ in range(depth - 1)]
        acts.append(rng.choice((*ELEMENTWISE, "softmax")))
        layers, x = random_network(rng, sizes, acts)
        clauses = sorted({"S2", *(CLAUSE_OF[a] for a in acts)}, key=clause_order)
        yield call_case(
            ref,
            f"forward-d{depth}-{k:03d}",
            clauses,
            "forward",
            {"layers": layers, "x": x},
            f"seeded random network {'-'.join(map(str, sizes))}",
            flags=["random", *depth_flags(depth)],
        )
    layers = floats([{"W": [[1.0, 0.0], [0.0, 1.0]], "b": [0.0, 0.0], "activation": "softmax"}])
    x = [1000.0, -1000.0]
    yield call_case(
        ref,
        "forward-softmax-extreme",
        ["S10", "S2"],
        "forward",
        {"layers": layers, "x": x},
        "logits +-1000 through a softmax layer",
        flags=["extreme"],
    )


def _teacher(rng, n, act, loss):
    if loss == "cross_entropy":
        return one_hot(rng, n)
    lo = -1.0 if act in ("identity", "tanh") else 0.0
    return vector(rng, n, lo, 1.0)


def _gradient_case(ref, cid, clauses, layers, x, t, loss, source, flags, **extra):
    inputs = {"layers": layers, "x": x, "t": t, "loss": loss}
    return call_case(ref, cid, clauses, "gradients", inputs, source, flags=flags, **extra)


def gradient_cases(ref, rng):
    k = 0
    for act, loss in PAIRINGS:
        for depth in (1, 2, 2, 3, 3, 4):
            sizes = [rng.randint(1, 4) for _ in range(depth)] + [rng.randint(2, 4)]
            hidden = [HIDDEN[(k + i) % len(HIDDEN)] for i in range(depth - 1)]
            layers, x = random_network(rng, sizes, [*hidden, act])
            t = _teacher(rng, sizes[-1], act, loss)
            clauses = sorted(
                {
                    "S15",
                    "S19",
                    "S20",
                    CLAUSE_OF[act],
                    CLAUSE_OF[loss],
                    *(CLAUSE_OF[h] for h in hidden),
                },
                key=clause_order,
            )
            if depth > 1:
                clauses += ["S16", "S17", "S18"]
            if act == "softmax" and loss == "cross_entropy":
                clauses.append("E4")
            yield _gradient_case(
                ref,
                f"gradients-{act}-{loss}-d{depth}-{k:03d}",
                clauses,
                layers,
                x,
                t,
                loss,
                f"seeded random network {'-'.join(map(str, sizes))}, hidden {hidden or 'none'}",
                ["random", *depth_flags(depth)],
            )
            k += 1
    layers, x = random_network(rng, [2, 2, 2, 2, 2, 2, 1], ["sigmoid"] * 6)
    yield _gradient_case(
        ref,
        "gradients-deep-sigmoid",
        ["S21", "S6", "S19", "S20"],
        layers,
        x,
        [1.0],
        "squared_error",
        "six sigmoid layers: each multiplies the gradient by at most 0.25",
        ["deep", "vanishing"],
    )
    yield from _extreme_gradient_cases(ref)
    yield from _relu_at_zero_cases(ref)


def _extreme_gradient_cases(ref):
    eye = floats([{"W": [[1, 0], [0, 1]], "b": [0, 0], "activation": "softmax"}])
    for cid, t, source in (
        ("gradients-softmax-extreme-right", [1.0, 0.0], "logits (1000, -1000), right class"),
        (
            "gradients-softmax-extreme-wrong",
            [0.0, 1.0],
            "logits (1000, -1000), wrong class: y_2 underflows, yet delta = y - t stays finite",
        ),
    ):
        yield _gradient_case(
            ref,
            cid,
            ["S15", "S10", "S14", "E4"],
            eye,
            [1000.0, -1000.0],
            t,
            "cross_entropy",
            source,
            ["extreme"],
        )


#: Networks with a hidden ReLU pre-activation exactly 0 (binary fractions, so u = 0 in floats).
KINKS = (
    (
        [
            {"W": [[0.5], [-0.25]], "b": [0.25], "activation": "relu"},
            {"W": [[2.0]], "b": [0.5], "activation": "identity"},
        ],
        [1.0, 1.0],
        [1.0],
        "squared_error",
    ),
    (
        [
            {"W": [[0.5, 1.0], [-0.5, 0.25]], "b": [0.0, -0.5], "activation": "relu"},
            {"W": [[1.0, -2.0], [0.5, 1.0]], "b": [0.0, 0.25], "activation": "softmax"},
        ],
        [2.0, 2.0],
        [0.0, 1.0],
        "cross_entropy",
    ),
    (
        [
            {"W": [[1.0, -1.0, 0.5]], "b": [0.75, -0.75, 0.375], "activation": "relu"},
            {"W": [[1.0], [0.5], [-1.0]], "b": [-0.125], "activation": "relu"},
            {"W": [[1.5]], "b": [-0.25], "activation": "identity"},
        ],
        [0.75],
        [0.5],
        "squared_error",
    ),
    (  # one unit at 0 beside an inactive and an active one: ReLU'(0) alone decides
        [
            {"W": [[1.0, -1.0, 1.0]], "b": [1.0, -0.5, 0.5], "activation": "relu"},
            {"W": [[1.0], [2.0], [-1.0]], "b": [0.25], "activation": "identity"},
        ],
        [1.0],
        [0.5],
        "squared_error",
    ),
)


#: A network whose output ReLU sits exactly on its kink (its hidden ReLU does not).
OUTPUT_KINK = (
    [
        {"W": [[1.0, 0.5]], "b": [0.0, -0.25], "activation": "relu"},
        {"W": [[0.75], [-1.0]], "b": [0.0], "activation": "relu"},
    ],
    [1.0],
    [0.5],
    "squared_error",
)


def _relu_at_zero_cases(ref, kinks=KINKS, name="gradients-relu-at-zero", where="a hidden"):
    for k, (layers, x, t, loss) in enumerate(kinks):
        layers, x, t = floats(layers), floats(x), floats(t)
        zero = ref.gradients(layers, x, t, loss, relu_grad_at_zero=0.0)
        exact0 = oracle.gradients(layers, x, t, loss, relu_grad_at_zero=0)
        agree(plain(zero), exact0, TOL_DEFAULT)
        one = ref.gradients(layers, x, t, loss)
        if max(abs(p - q) for p, q in zip(_flat(one), _flat(zero))) < 1e-3:
            raise GenerationError(f"kink network {k}: ReLU'(0) does not change the gradients")
        yield _gradient_case(
            ref,
            f"{name}-{k:03d}",
            ["S8", "S19", "S20"],
            layers,
            x,
            t,
            loss,
            f"{where} ReLU pre-activation is exactly 0: ReLU'(0) = 1 (S8) decides the gradient",
            ["relu_at_zero"],
            expected_if={"relu_grad_at_zero=0": plain(zero)},
        )


def _flat(grads):
    return [v for g in grads for row in [*g["W"], g["b"]] for v in row]


#: Sigmoid outputs with u = -799, where sigmoid(u) underflows to 0: dE/du = -t (1 - y) is -t.
SATURATED = (
    ([{"W": [[1.0], [0.0]], "b": [800.0], "activation": "sigmoid"}], [1.0, 0.0], [1.0]),
    (
        [{"W": [[1.0, 0.5], [0.0, 1.0]], "b": [800.0, -2.0], "activation": "sigmoid"}],
        [1.0, 0.0],
        [1.0, 0.0],
    ),
)

#: Teachers that are not one-hot (S14's note), after softmax and after sigmoid outputs.
SOFT_TEACHERS = (
    ("softmax", [0.25, 0.5, 0.0]),
    ("softmax", [1.0, 1.0, 0.0]),
    ("sigmoid", [0.5, 0.0, 0.25]),
)


def edge_gradient_cases(ref):
    """An output ReLU at its kink, saturated sigmoid outputs, and soft teachers."""
    yield from _relu_at_zero_cases(
        ref, (OUTPUT_KINK,), "gradients-relu-output-at-zero", "the output"
    )
    for k, (layers, x, t) in enumerate(SATURATED):
        yield _gradient_case(
            ref,
            f"gradients-sigmoid-cross_entropy-saturated-{k:03d}",
            ["S6", "S14", "S15", "S19", "S20"],
            floats(layers),
            x,
            t,
            "cross_entropy",
            "u = -799 on the true class: y underflows to 0, yet dE/du = -t (1 - y) = -1",
            ["saturated", "extreme"],
        )
    hidden = {"W": [[0.5, -1.0], [0.25, 0.75]], "b": [0.0, 0.5], "activation": "tanh"}
    for k, (act, t) in enumerate(SOFT_TEACHERS):
        out = {"W": [[1.0, -0.5, 0.25], [0.5, 0.75, -1.0]], "b": [0.0, 0.25, -0.5]}
        layers = floats([hidden, {**out, "activation": act}])
        yield _gradient_case(
            ref,
            f"gradients-{act}-cross_entropy-soft-teacher-{k:03d}",
            ["S14", "S15", "S19", "S20", CLAUSE_OF[act]],
            layers,
            [1.0, -0.5],
            t,
            "cross_entropy",
            f"a teacher summing to {sum(t)}: delta = y sum(t) - t, not y - t"
            if act == "softmax"
            else f"a teacher summing to {sum(t)} after sigmoid outputs",
            ["soft_teacher"],
        )
