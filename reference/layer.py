"""The dense layer: forward u = xW - b (S1, S2) and its backward pass (S20).

W has one row per input and one column per neuron: W[i][j] is the weight on
the arrow from input i to neuron j. The threshold b is *subtracted*.
"""

from __future__ import annotations

from operator import mul

from nnref.reference.errors import NetworkError

Vector = list[float]
Matrix = list[Vector]


def linear(x: Vector, W: Matrix, b: Vector) -> Vector:
    """S1/S2: u_j = sum_i x_i W[i][j] - b_j (each column of W is one neuron's weights)."""
    check_shapes(x, W, b)
    return [sum(map(mul, x, w_j)) - b_j for w_j, b_j in zip(zip(*W), b)]


def check_shapes(x: Vector, W: Matrix, b: Vector) -> None:
    """S2: W has one row per input and one column per threshold; a one-line error otherwise."""
    if len(W) != len(x):
        raise NetworkError(f"linear: W has {len(W)} rows but x has {len(x)} entries")
    for i, row in enumerate(W):
        if len(row) != len(b):
            raise NetworkError(f"linear: W[{i}] has {len(row)} columns but b has {len(b)} entries")


def linear_backward(x: Vector, delta: Vector) -> tuple[Matrix, Vector]:
    """S20: dW[i][j] = x_i delta_j and db_j = -delta_j (the threshold is subtracted)."""
    dW = [[x_i * delta_j for delta_j in delta] for x_i in x]
    db = [-delta_j for delta_j in delta]
    return dW, db


def input_gradient(W: Matrix, delta: Vector) -> Vector:
    """S16-S18 applied to u = xW - b: dx_i = sum_j W[i][j] delta_j (W times delta)."""
    return [sum(map(mul, w_i, delta)) for w_i in W]
