"""Activation functions, each paired with its derivative (SPEC S5-S12).

A layer's activation turns its u (the weighted sum minus the threshold, S1) into
outputs y = f(u). The backward pass needs f'(u); following the tutorial (S12),
sigmoid and tanh express it through the recorded output y, so every derivative
here takes both ``u`` and ``y`` and uses whichever the formula is written in.

Each entry of :data:`ACTIVATIONS` carries its own backward (the chain rule
through the activation, S19): it turns dE/dy into dE/du. For the
elementwise activations that is dy * f'(u); softmax couples its outputs, so
its backward multiplies by the whole Jacobian diag(y) - y y^T. Nothing
elsewhere switches on an activation's name.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from dataclasses import dataclass

from nnref.reference.errors import NetworkError

Vector = list[float]


# --- S5 step: f(u) = 1 if u >= 0 else 0; no usable derivative -------------


def step(u: Vector) -> Vector:
    """S5: 1 where u >= 0, else 0."""
    return [1.0 if ui >= 0 else 0.0 for ui in u]


def step_derivative(u: Vector, y: Vector) -> Vector:
    """S5: the step is not continuous, so it cannot be trained through."""
    raise NetworkError("the step activation has no derivative (S5): it cannot be backpropagated")


# --- S6 sigmoid: f(u) = 1 / (1 + e^-u); f' = f (1 - f) ---------------------


def _sigmoid(ui: float) -> float:
    # Exponentiate only non-positive numbers, so no input overflows.
    if ui >= 0:
        return 1.0 / (1.0 + math.exp(-ui))
    e = math.exp(ui)
    return e / (1.0 + e)


def sigmoid(u: Vector) -> Vector:
    """S6: 1 / (1 + e^(-u)), computed without overflow for any finite u."""
    return [_sigmoid(ui) for ui in u]


def sigmoid_derivative(u: Vector, y: Vector) -> Vector:
    """S6: f' = y (1 - y), from the recorded output; at most 1/4 (S21)."""
    return [yi * (1.0 - yi) for yi in y]


def softplus(z: float) -> float:
    """ln(1 + e^z), computed without overflow for any finite z; its derivative is sigmoid(z)."""
    return max(z, 0.0) + math.log1p(math.exp(-abs(z)))


def log_sigmoid(u: Vector) -> Vector:
    """ln sigmoid(u) = -softplus(-u), finite for any finite u (sigmoid itself underflows to 0
    below u = -745); its derivative is 1 - sigmoid(u) = sigmoid(-u)."""
    return [-softplus(-ui) for ui in u]


# --- S7 tanh: f' = 1 - f^2 --------------------------------------------------


def tanh(u: Vector) -> Vector:
    """S7: the hyperbolic tangent, range (-1, 1)."""
    return [math.tanh(ui) for ui in u]


def tanh_derivative(u: Vector, y: Vector) -> Vector:
    """S7: f' = 1 - y^2, from the recorded output."""
    return [1.0 - yi * yi for yi in y]


# --- S8 ReLU: f(u) = max(0, u); f' = 1 for u >= 0 (tutorial), 0 for u < 0 ----


def relu(u: Vector) -> Vector:
    """S8: max(0, u)."""
    return [ui if ui > 0 else 0.0 for ui in u]


def relu_derivative(u: Vector, y: Vector, at_zero: float = 1.0) -> Vector:
    """S8: 1 for u > 0, 0 for u < 0, and ``at_zero`` at u = 0 (the tutorial: 1)."""
    return [1.0 if ui > 0 else (at_zero if ui == 0 else 0.0) for ui in u]


# --- S9 identity: f(u) = u; f' = 1 ------------------------------------------


def identity(u: Vector) -> Vector:
    """S9: the output is u itself, the weighted sum minus the threshold (regression)."""
    return [float(ui) for ui in u]


def identity_derivative(u: Vector, y: Vector) -> Vector:
    """S9: f' = 1."""
    return [1.0] * len(u)


# --- S10 softmax: y_i = e^u_i / sum_j e^u_j; Jacobian diag(y) - y y^T -------


def softmax(u: Vector) -> Vector:
    """S10: e^(u_i) / sum_j e^(u_j); shifted by max(u) so no exponent overflows."""
    top = max(u)
    e = [math.exp(ui - top) for ui in u]
    total = sum(e)
    return [ei / total for ei in e]


def log_softmax(u: Vector) -> Vector:
    """ln softmax(u) = u_i - ln sum_j e^(u_j), finite for any finite u.

    When the logits span more than the float range (u = [1.8e308, -1e292]) the
    true value lies below -1.8e308; it is reported as the most negative float.
    """
    top = max(u)
    log_total = top + math.log(sum(math.exp(ui - top) for ui in u))
    return [max(ui - log_total, -sys.float_info.max) for ui in u]


def softmax_jacobian(u: Vector, y: Vector) -> list[Vector]:
    """S10: dy_i/du_j = y_i ([i = j] - y_j), i.e. diag(y) - y y^T."""
    return [
        [yi * ((1.0 if i == j else 0.0) - yj) for j, yj in enumerate(y)] for i, yi in enumerate(y)
    ]


def softmax_backward(u: Vector, y: Vector, dy: Vector, at_zero: float = 1.0) -> Vector:
    """S10 + S19: du = (diag(y) - y y^T) dy = y * (dy - sum_j y_j dy_j); softmax has no kink."""
    s = sum(yj * dyj for yj, dyj in zip(y, dy))
    return [yi * (dyi - s) for yi, dyi in zip(y, dy)]


# --- the chain rule through each activation (S19): dE/du from dE/dy -------


def step_backward(u: Vector, y: Vector, dy: Vector, at_zero: float = 1.0) -> Vector:
    """S5: there is no derivative to multiply by."""
    return step_derivative(u, y)


def relu_backward(u: Vector, y: Vector, dy: Vector, at_zero: float = 1.0) -> Vector:
    """S8 + S19: dy * f'(u), with f'(0) = ``at_zero`` (the tutorial: 1)."""
    return [d * fp for d, fp in zip(dy, relu_derivative(u, y, at_zero))]


def elementwise_backward(derivative: Callable[[Vector, Vector], Vector]):
    """S19 for an activation without a kink: dE/du = dE/dy * f'(u) entry by entry."""

    def backward(u: Vector, y: Vector, dy: Vector, at_zero: float = 1.0) -> Vector:
        return [d * fp for d, fp in zip(dy, derivative(u, y))]

    return backward


# --- the standard deviation of the initial weights (S24/E2) ----------------


def relu_weight_scale(fan_in: int) -> float:
    """S24/E2: sqrt(2/n) before ReLU, which zeroes half of its inputs (n = fan-in)."""
    return math.sqrt(2.0 / fan_in)


def weight_scale(fan_in: int) -> float:
    """S24/E2: 1/sqrt(n) before every other activation (n = fan-in)."""
    return 1.0 / math.sqrt(fan_in)


# --- the table the network uses ---------------------------------------------


@dataclass(frozen=True)
class Activation:
    """An activation paired with its derivative and its backward pass.

    ``derivative(u, y)`` is f' elementwise (None for softmax, whose outputs
    are coupled: use ``softmax_jacobian``). ``chain(u, y, dy, at_zero)`` is
    the chain rule through it (S19); ``at_zero`` is the derivative taken at a
    kink (only ReLU has one, at u = 0). ``differentiable`` is False for the
    step, which cannot be backpropagated (S5). ``init_scale(fan_in)`` is the
    standard deviation of the initial weights feeding it (S24).
    """

    name: str
    f: Callable[[Vector], Vector]
    derivative: Callable[..., Vector] | None
    chain: Callable[..., Vector]
    differentiable: bool = True
    init_scale: Callable[[int], float] = weight_scale

    def backward(self, u: Vector, y: Vector, dy: Vector, relu_grad_at_zero: float = 1.0) -> Vector:
        """S19: dE/du from dE/dy."""
        return self.chain(u, y, dy, relu_grad_at_zero)


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("step", step, step_derivative, step_backward, differentiable=False),
        Activation(
            "sigmoid", sigmoid, sigmoid_derivative, elementwise_backward(sigmoid_derivative)
        ),
        Activation("tanh", tanh, tanh_derivative, elementwise_backward(tanh_derivative)),
        Activation("relu", relu, relu_derivative, relu_backward, init_scale=relu_weight_scale),
        Activation(
            "identity", identity, identity_derivative, elementwise_backward(identity_derivative)
        ),
        Activation("softmax", softmax, None, softmax_backward),
    )
}


#: The activations a hidden layer can be trained through: differentiable, elementwise (S6-S9).
HIDDEN: tuple[str, ...] = tuple(
    name for name, a in ACTIVATIONS.items() if a.differentiable and a.derivative is not None
)


def get_activation(name: str) -> Activation:
    """The activation called ``name``; a one-line error listing the valid names otherwise."""
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        valid = ", ".join(ACTIVATIONS)
        raise NetworkError(f"unknown activation {name!r} (expected one of: {valid})") from None
