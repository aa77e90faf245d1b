"""Errata E11..E18: each correct statement checked by SymPy or the reference, and the
tutorial's reading shown to fail where a number is involved.

The quotations themselves (each on its line of the tutorial) are checked for every
erratum in ``test_errata_evidence.py``; E13 has no number, so that is its whole check.
"""

from __future__ import annotations

import itertools
import math
import random
import statistics

import pytest
import sympy as sp

from nnref import reference
from nnref.conformance.variants.catalogue import CATALOGUE
from nnref.conformance.variants.mutant import protocol
from nnref.reference import TUTORIAL_LAYERS, TUTORIAL_T, TUTORIAL_X
from nnref.reference.layer import input_gradient
from nnref.reference.network import forward_pass
from nnref.symbolic.core import Derivation, Step

# --- E11: ∂c of c's output vs the gradient of c's signal sum ------------------------


def _loss_with_c_threshold(shift: float) -> float:
    layers = [dict(layer, b=list(layer["b"])) for layer in TUTORIAL_LAYERS]
    layers[1]["b"][0] += shift  # c is neuron 0 of the second hidden layer
    return reference.loss_value(layers, TUTORIAL_X, TUTORIAL_T, "cross_entropy")


def _loss_with_c_output(c: float) -> float:
    return reference.loss_value(TUTORIAL_LAYERS[2:], [c, 1.0, 2.0], TUTORIAL_T, "cross_entropy")


@pytest.mark.spec("E11", "S20", "S19")
def test_E11_the_sum_of_products_is_the_gradient_of_cs_output_not_of_its_sum():
    records = forward_pass(TUTORIAL_LAYERS, list(TUTORIAL_X))
    assert records[1].u[0] == -1.0 and records[1].y[0] == 0.0  # c = max(0, -1)
    delta = [y - t for y, t in zip(records[-1].y, TUTORIAL_T)]
    by_output = input_gradient(TUTORIAL_LAYERS[2]["W"], delta)[0]  # ∂f·w11 + ∂g·w21 + ∂h·w31
    h = 1e-6
    numeric_output = (_loss_with_c_output(h) - _loss_with_c_output(-h)) / (2 * h)
    numeric_sum = -(_loss_with_c_threshold(h) - _loss_with_c_threshold(-h)) / (2 * h)
    grads = reference.gradients(TUTORIAL_LAYERS, TUTORIAL_X, TUTORIAL_T, "cross_entropy")
    assert by_output == pytest.approx(2.48937413731, abs=1e-11)
    assert numeric_output == pytest.approx(by_output, abs=1e-6)
    assert numeric_sum == 0.0 and -grads[1]["b"][0] == 0.0  # ∂E/∂u of c: ∂c·c' with c' = 0
    assert abs(by_output - numeric_sum) > 2  # the line-495 reading of ∂c fails


# --- E12: w11 is a weight from c into f, not one into c -------------------------------

a, v, w, bc, bf = sp.symbols("a v w b_c b_f", real=True)
s, L = sp.Function("s"), sp.Function("L")
C = s(v * a - bc)  # c, fed by a through the weight v
E = L(w * C - bf)  # the loss through f, fed by c through the weight w
DF = -sp.diff(E, bf)  # ∂f = dE/du_f


def _weights_around_c() -> Derivation:
    return Derivation(
        name="weights_around_c",
        title="E12: the weight from c into f has gradient ∂f·c (line 508)",
        clauses=("E12",),
        steps=(
            Step(sp.diff(E, w), DF * C, "w from c into f: ∂w = ∂f·c", label="after-c"),
            Step(sp.diff(E, v), DF * w * sp.diff(C, v), "v from a into c: ∂v = ∂c·c'·a",
                 label="into-c"),
        ),
    )  # fmt: skip


@pytest.mark.spec("E12", "S18", "S20")
def test_E12_the_gradient_of_line_508_belongs_to_a_weight_after_c():
    assert _weights_around_c().verify().ok
    wrong = _weights_around_c().with_step("into-c", rhs=DF * C)  # w11 read as a weight into c
    assert [r.label for r in wrong.verify().failures()] == ["into-c"]


# --- E14: random has Gaussian numbers ------------------------------------------------


@pytest.mark.spec("E14", "S25")
@pytest.mark.parametrize("method", ["gauss", "normalvariate"])
def test_E14_the_standard_library_draws_gaussian_numbers(method):
    rng = random.Random(20191129)
    draws = [getattr(rng, method)(0.0, 1.0) for _ in range(40_000)]
    assert abs(statistics.fmean(draws)) < 0.02
    assert statistics.variance(draws) == pytest.approx(1.0, abs=0.03)
    assert statistics.fmean(abs(d) < 1 for d in draws) == pytest.approx(0.6827, abs=0.01)


# --- E15: Adam stops too where the gradient stays 0 -----------------------------------

B1, B2 = sp.Rational(9, 10), sp.Rational(999, 1000)


@pytest.mark.spec("E15", "S23")
def test_E15_adam_steps_shrink_geometrically_once_the_gradient_is_0():
    ratio = B1 / sp.sqrt(B2)
    assert sp.N(ratio, 6) == pytest.approx(0.900450, abs=1e-6) and ratio < 1
    assert sp.summation(ratio ** sp.Symbol("k"), (sp.Symbol("k"), 0, sp.oo)) < 11
    w, m, vv, t = [0.0], [0.0], [0.0], 0
    for _ in range(3000):
        t += 1
        w, m, vv = reference.adam_step(w, [1.0], m, vv, t)
    steps = []
    for _ in range(2000):
        t += 1
        moved, m, vv = reference.adam_step(w, [0.0], m, vv, t)
        steps.append(w[0] - moved[0])
        w = moved
    ratios = [b / a for a, b in itertools.pairwise(steps[:5])]
    assert ratios == pytest.approx([float(ratio)] * 4, abs=1e-4)
    assert sum(steps) < 10.1 * 0.001 and steps[-1] < 1e-90  # bounded: it stops


@pytest.mark.spec("E15", "S23")
def test_E15_the_tutorials_own_adam_does_not_move_at_a_zero_gradient():
    (skipped,) = [c for c in CATALOGUE if c.id == "adam_zero_grad_skipped"]
    adam_step = protocol(skipped.knobs)["adam_step"]
    assert adam_step([0.5], [0.0], [0.1], [0.01], 7) == ([0.5], [0.1], [0.01])
    moved, _, _ = reference.adam_step([0.5], [0.0], [0.1], [0.01], 7)
    assert moved[0] < 0.5  # Algorithm 1, S23: the momentum still moves it


# --- E16: the scale matters, not the shape ---------------------------------------------


@pytest.mark.spec("E16", "S24")
def test_E16_uniform_weights_of_the_same_variance_exist():
    half_width, n = sp.symbols("a n", positive=True)
    ws = sp.Symbol("w", real=True)
    variance = sp.integrate(ws**2 / (2 * half_width), (ws, -half_width, half_width))
    assert sp.simplify(variance - half_width**2 / 3) == 0
    assert sp.simplify(variance.subs(half_width, sp.sqrt(3 / n)) - 1 / n) == 0  # S24
    assert sp.simplify(variance.subs(half_width, sp.sqrt(6 / n)) - 2 / n) == 0  # He


@pytest.mark.spec("E16", "S24")
def test_E16_gaussian_and_uniform_weights_of_one_variance_give_u_the_same_spread():
    n, draws = 16, 20_000
    rng = random.Random(552)
    x = [rng.uniform(-1.0, 1.0) for _ in range(n)]
    want = sum(xi * xi for xi in x) / n  # Var(u) = n σ² E[x²] with σ² = 1/n
    sigma, half = 1 / math.sqrt(n), math.sqrt(3 / n)
    by_gauss = [sum(xi * rng.gauss(0.0, sigma) for xi in x) for _ in range(draws)]
    by_uniform = [sum(xi * rng.uniform(-half, half) for xi in x) for _ in range(draws)]
    assert statistics.variance(by_gauss) == pytest.approx(want, rel=0.04)
    assert statistics.variance(by_uniform) == pytest.approx(want, rel=0.04)


# --- E17: v is the mean of g², not a variance ------------------------------------------


@pytest.mark.spec("E17", "S23")
def test_E17_v_hat_of_a_constant_gradient_is_its_square():
    b, g = sp.symbols("beta_2 g", positive=True)
    i, t = sp.symbols("i t", integer=True, positive=True)
    v_t = sp.summation((1 - b) * b ** (t - i) * g**2, (i, 1, t))
    assert sp.simplify(v_t / (1 - b**t) - g**2) == 0  # v̂ = g², not a variance
    w, m, vv = [0.0], [0.0], [0.0]
    for step in range(1, 11):
        w, m, vv = reference.adam_step(w, [2.0], m, vv, step)
    assert vv[0] / (1 - 0.999**10) == pytest.approx(4.0, abs=1e-12)
    assert m[0] / (1 - 0.9**10) == pytest.approx(2.0, abs=1e-12)
    assert statistics.pvariance([2.0] * 10) == 0.0


# --- E18: slips that change a number or a formula ----------------------------------------


def _balanced(formula: str) -> bool:
    pairs, stack = {")": "(", "}": "{", "]": "["}, []
    for ch in formula:
        if ch in "({[":
            stack.append(ch)
        elif ch in pairs and (not stack or stack.pop() != pairs[ch]):
            return False
    return not stack


@pytest.mark.spec("E18", "D_softmax", "D_ce")
def test_E18_the_counted_classes_and_the_brackets():
    assert len(range(0, 100 + 1)) == 101  # ages 0 to 100
    assert not _balanced("h = exp(-1)/{exp(3)+exp(0)+exp(-1))")  # line 247
    assert not _balanced("E = -(t1log(y1) + t2log(y2) + t3log(y3)}")  # line 307
    assert _balanced("h = exp(-1)/{exp(3)+exp(0)+exp(-1)}")
    assert _balanced("E = -(t1log(y1) + t2log(y2) + t3log(y3))")
