"""The chain-rule patterns and the dense layer's backward pass (SPEC S16-S21).

The loss downstream is an undefined function ``L`` (any differentiable
loss), so every identity holds for all losses at once. ``∂v`` is the
tutorial's notation for dE/dv.
"""

from __future__ import annotations

import sympy as sp

from nnref.symbolic.activations import sigmoid
from nnref.symbolic.core import Derivation, Step
from nnref.symbolic.registry import derivation

L = sp.Function("L")
f = sp.Function("f")
a, b, c = sp.symbols("a b c", real=True)
da, db = sp.symbols("da db")  # differentials of the inputs


def grad_sym(name: str) -> sp.Symbol:
    """The display symbol ∂name (LaTeX: \\partial name)."""
    return sp.Symbol(f"∂{name}")


def partial(outer, slot_values, k):
    """dL/d(slot k) evaluated at ``slot_values``: the ∂ of the k-th input of L."""
    slots = sp.symbols(f"s_1:{len(slot_values) + 1}")
    return sp.diff(outer(*slots), slots[k]).subs(
        dict(zip(slots, slot_values, strict=True)), simultaneous=True
    )


@derivation("chain_rule_patterns", ("S16", "S17", "S18", "S19"))
def chain_rule_patterns() -> Derivation:
    branch_b, branch_c = partial(L, (a, a), 0), partial(L, (a, a), 1)
    add_c = partial(L, (a + b,), 0)
    mul_c = partial(L, (a * b,), 0)
    fun_b = partial(L, (f(a),), 0)
    notation = {branch_b: grad_sym("b"), branch_c: grad_sym("c"), add_c: grad_sym("c"),
                mul_c: grad_sym("c"), fun_b: grad_sym("b")}  # fmt: skip
    cdiff = sp.Derivative(a + b, a) * da + sp.Derivative(a + b, b) * db
    mdiff = sp.Derivative(a * b, a) * da + sp.Derivative(a * b, b) * db
    return Derivation(
        title="The four chain-rule patterns: branch, add, multiply, function",
        assumptions=("L is any differentiable function of what follows (the rest of the net)",),
        notation=notation,
        where=("∂v = dE/dv, E the loss",),
        steps=(
            Step(sp.Derivative(L(a, a), a), branch_b + branch_c,
                 "S16 branch: b = a and c = a, so ∂a = ∂b + ∂c", label="branch"),
            Step(cdiff, da + db, "S17 add: the differential of c = a + b is da + db",
                 label="add-differential"),
            Step(sp.Derivative(L(a + b), a), add_c, "S17 add: ∂a = ∂c", label="add-a"),
            Step(sp.Derivative(L(a + b), b), add_c, "S17 add: ∂b = ∂c", label="add-b"),
            Step(mdiff, b * da + a * db, "S18 multiply: d(ab) = b da + a db",
                 label="mul-differential"),
            Step(sp.Derivative(L(a * b), a), mul_c * b, "S18 multiply: ∂a = ∂c·b", label="mul-a"),
            Step(sp.Derivative(L(a * b), b), mul_c * a, "S18 multiply: ∂b = ∂c·a", label="mul-b"),
            Step(sp.Derivative(L(f(a)), a), fun_b * sp.Derivative(f(a), a),
                 "S19 function: b = f(a), so ∂a = ∂b·f'(a)", label="function"),
        ),
    )  # fmt: skip


def _layer(n: int, m: int):
    x = sp.Matrix(1, n, sp.symbols(f"x_1:{n + 1}", real=True))
    W = sp.Matrix(n, m, lambda i, j: sp.Symbol(f"w_{i + 1}{j + 1}", real=True))
    bb = sp.Matrix(1, m, sp.symbols(f"b_1:{m + 1}", real=True))
    return x, W, bb, x * W - bb


@derivation("dense_backward", ("S20", "S19", "S2"))
def dense_backward(n: int = 2, m: int = 3) -> Derivation:
    x, W, bb, u = _layer(n, m)
    E = L(*u)
    delta = sp.Matrix(1, m, [partial(L, list(u), j) for j in range(m)])
    v = sp.symbols(f"v_1:{n + 1}", real=True)  # the previous layer's pre-activations
    back = dict(zip(x, [f(vi) for vi in v], strict=True))
    E_hidden, delta_hidden = E.subs(back), delta.subs(back)
    fprime = sp.Matrix(n, 1, [sp.Derivative(f(vi), vi) for vi in v])
    notation = {E: sp.Symbol("E"), E_hidden: sp.Symbol("E")}
    for j in range(m):
        notation[delta[j]] = notation[delta_hidden[j]] = sp.Symbol(f"delta_{j + 1}")
    return Derivation(
        title="Dense backward: dW = x^T delta, db = -delta, dx = W delta; hidden delta = dx * f'",
        assumptions=(f"a layer of {m} neurons over {n} inputs, u = x W - b (threshold subtracted)",
                     "the loss L is any differentiable function of u"),
        notation=notation,
        where=("delta_j = dE/du_j", "for the hidden step, x_i = f(v_i)"),
        steps=(
            Step(sp.Matrix(n, m, lambda i, j: sp.Derivative(E, W[i, j])), x.T * delta,
                 "dE/dw_ij = x_i delta_j", label="dW"),
            Step(sp.Matrix(1, m, lambda _, j: sp.Derivative(E, bb[j])), -delta,
                 "dE/db_j = -delta_j (the threshold is subtracted)", label="db"),
            Step(sp.Matrix(n, 1, lambda i, _: sp.Derivative(E, x[i])), W * delta.T,
                 "dE/dx_i = sum_j w_ij delta_j", label="dx"),
            Step(sp.Matrix(n, 1, lambda i, _: sp.Derivative(E_hidden, v[i])),
                 sp.matrix_multiply_elementwise(W * delta_hidden.T, fprime),
                 "hidden layer: its delta is dx times f'(v) (S19)", label="hidden"),
        ),
    )  # fmt: skip


@derivation("vanishing_gradient", ("S21", "S6"))
def vanishing_gradient() -> Derivation:
    z1 = sigmoid(a)
    z2 = sigmoid(z1)
    ds = [sigmoid(z) * (1 - sigmoid(z)) for z in (a, z1, z2)]
    P = sp.Symbol("P", positive=True)  # product of k factors s'
    p = sp.Symbol("p", nonnegative=True)  # (1/4)^k - P >= 0, the induction hypothesis
    q = sp.Symbol("q", nonnegative=True)  # 1/4 - s' >= 0 (S6)
    k = sp.Symbol("k", integer=True, nonnegative=True)
    quarter = sp.Rational(1, 4)
    s_next = quarter - q
    return Derivation(
        title="k sigmoid layers scale a gradient by at most (1/4)^k",
        assumptions=("unit weights between the layers (weights multiply in separately)",
                     "S6: 0 < s' <= 1/4, written s' = 1/4 - q with q >= 0",
                     "induction hypothesis: after k layers the factor is P = (1/4)^k - p, p >= 0"),
        notation={z1: sp.Symbol("z_1"), z2: sp.Symbol("z_2"), sigmoid(z2): sp.Symbol("z_3")},
        where=("z_1 = s(a), z_2 = s(z_1), z_3 = s(z_2): three sigmoid layers",),
        steps=(
            Step(sp.Derivative(sigmoid(z2), a), ds[0] * ds[1] * ds[2],
                 "three layers: the chain rule gives a product of three s' factors",
                 label="chain"),
            Step(quarter ** (k + 1) - P * s_next, quarter * p + P * q,
                 "one more layer: the gap to (1/4)^(k+1)", given=((P, quarter**k - p),),
                 label="induction"),
            Step(quarter * p + P * q, 0, "a sum of non-negative terms: the bound holds for k + 1",
                 relation=">=", label="bound"),
        ),
    )  # fmt: skip
