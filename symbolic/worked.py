"""The tutorial's worked answers, exactly (W1_1, W2_*, D_hidden, W3_2, W3_3, D_softmax, W4_1).

Sums are built unevaluated so the rendered step shows the computation;
the proof evaluates them exactly. Printed decimals are checked against the
exact values: as correct roundings (within half a unit of the last digit),
except D_softmax, whose printed digits are truncations (checked with floor).
"""

from __future__ import annotations

import sympy as sp

from nnref.symbolic.core import Derivation, Step, rounds_to, truncates_to
from nnref.symbolic.registry import derivation
from nnref.symbolic.tutorial import TUTORIAL_LAYERS, TUTORIAL_T, TUTORIAL_X


def weighted(x, w, b):
    """u = x1 w1 + ... + xn wn - b, unevaluated (S1)."""
    terms = [sp.Mul(sp.Integer(xi), sp.Integer(wi), evaluate=False) for xi, wi in zip(x, w)]
    return sp.Add(*terms, sp.Mul(-1, sp.Integer(b), evaluate=False), evaluate=False)


def layer_sums(layer, x):
    """Unevaluated u_j of every neuron j of a protocol layer (W[i][j]: input i -> neuron j)."""
    columns = list(zip(*layer["W"], strict=True))
    return [weighted(x, col, b) for col, b in zip(columns, layer["b"], strict=True)]


def relu_of(u):
    return sp.Max(0, u, evaluate=False)


def softmax_exact(us):
    total = sp.Add(*[sp.exp(u) for u in us])
    return [sp.exp(u) / total for u in us]


@derivation("worked_weighted_sum", ("W1_1", "W2_1", "W2_2", "W2_3", "W2_4", "S1", "S5", "S8"))
def worked_weighted_sum() -> Derivation:
    u = weighted((1, -1, 2, -2), (1, 2, -1, -2), 2)
    return Derivation(
        title="W1_1: u = -1; W2_*: step and ReLU of -1 and of 5",
        assumptions=("W1_2's inputs are only in a figure; its answer u = 5 is taken as given",),
        steps=(
            Step(u, -1, "W1_1: x = (1, -1, 2, -2), w = (1, 2, -1, -2), b = 2", label="W1_1"),
            Step(sp.Heaviside(-1, 1, evaluate=False), 0, "W2_1: step(-1)", label="W2_1"),
            Step(sp.Heaviside(5, 1, evaluate=False), 1, "W2_2: step(5)", label="W2_2"),
            Step(relu_of(-1), 0, "W2_3: ReLU(-1)", label="W2_3"),
            Step(relu_of(5), 5, "W2_4: ReLU(5)", label="W2_4"),
        ),
    )  # fmt: skip


@derivation("worked_tutorial_forward", ("D_hidden", "W3_2", "W3_3", "S2", "S10"))
def worked_tutorial_forward() -> Derivation:
    l1, l2, l3 = TUTORIAL_LAYERS
    ab, cde, logits = (1, 0), (0, 1, 2), (-1, 1, -2)
    y = softmax_exact(logits)
    printed = ("0.11419519938", "0.84379473448", "0.04201006613")
    return Derivation(
        title="The tutorial network forward: (a, b) = (1, 0), (c, d, e) = (0, 1, 2), softmax in e",
        assumptions=("x = (1, 0, 1): the input-layer applicant (S4)", "ReLU, ReLU, softmax"),
        steps=(
            Step(sp.Matrix([relu_of(u) for u in layer_sums(l1, TUTORIAL_X)]), sp.Matrix(ab),
                 "D_hidden: a = max(0, 1) = 1, b = max(0, -1) = 0", label="D_hidden"),
            Step(sp.Matrix([relu_of(u) for u in layer_sums(l2, ab)]), sp.Matrix(cde),
                 "W3_2: c = max(0, -1) = 0, d = 1, e = 2", label="W3_2"),
            Step(sp.Matrix(layer_sums(l3, cde)), sp.Matrix(logits),
                 "W3_3: the output neurons' weighted sums", label="logits"),
            Step(sp.Matrix(y), sp.Matrix([sp.E, sp.E**3, 1]) / (1 + sp.E + sp.E**3),
                 "W3_3: softmax, exactly, in powers of e", label="W3_3"),
            *(rounds_to(yk, p, f"W3_3: printed {p}", f"W3_3-{k}")
              for k, (yk, p) in enumerate(zip(y, printed, strict=True))),
        ),
    )  # fmt: skip


@derivation("worked_softmax_and_output_error", ("D_softmax", "W4_1", "S10", "S15"))
def worked_softmax_and_output_error() -> Derivation:
    ys = softmax_exact((3, 0, -1))
    shown = ("0.93623955187", "0.04661262257", "0.01714782554")
    y = softmax_exact((-1, 1, -2))
    err = [yk - tk for yk, tk in zip(y, TUTORIAL_T, strict=True)]
    printed = ("-0.88580480062", "0.84379473448", "0.04201006613")
    return Derivation(
        title="D_softmax and W4_1: exact values behind the printed decimals",
        assumptions=("W4_1: y = W3_3's outputs, t = (1, 0, 0); delta = y - t (S15)",),
        steps=(
            Step(sp.Matrix(ys), sp.Matrix([sp.E**4 / (sp.E**4 + sp.E + 1),
                                           sp.E / (sp.E**4 + sp.E + 1),
                                           1 / (sp.E**4 + sp.E + 1)]),
                 "D_softmax: softmax(3, 0, -1) exactly", label="D_softmax"),
            *(truncates_to(v, p, f"D_softmax: printed {p} (cut, not rounded)", f"D_softmax-{k}")
              for k, (v, p) in enumerate(zip(ys, shown, strict=True))),
            Step(err[0], -(1 + sp.E**3) / (1 + sp.E + sp.E**3),
                 "W4_1: the first entry, f - 1", label="W4_1"),
            *(rounds_to(v, p, f"W4_1: printed {p}", f"W4_1-{k}")
              for k, (v, p) in enumerate(zip(err, printed, strict=True))),
        ),
    )  # fmt: skip
