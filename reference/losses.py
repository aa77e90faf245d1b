"""Loss functions of one sample, each paired with its gradient (SPEC S13-S15).

Each loss gives E(y, t) and dE/dy. Where the output activation and the loss
are the tutorial's canonical pairs, the backward pass starts from the
shortcut delta = y - t on the pre-activation u (S15); for every other pair
it multiplies dE/dy by the activation's Jacobian (the general chain rule).
Cross-entropy after softmax or sigmoid is computed from u itself (through
log-softmax and log-sigmoid), so it stays finite and keeps its gradient where
y underflows to 0.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from dataclasses import dataclass

from nnref.reference.activations import log_sigmoid, log_softmax, sigmoid
from nnref.reference.errors import NetworkError

Vector = list[float]

#: The smallest positive normal float. Standing in for y_k = 0 keeps ln and
#: 1/y finite where an output underflowed to zero (ln TINY = -708.4).
TINY = sys.float_info.min


def squared_error(y: Vector, t: Vector) -> float:
    """S13/E6: E = 1/2 sum_k (y_k - t_k)^2, a halved *sum* (not a mean)."""
    _same_length(y, t, "squared_error")
    return 0.5 * sum((yk - tk) ** 2 for yk, tk in zip(y, t))


def squared_error_gradient(y: Vector, t: Vector) -> Vector:
    """S13: dE/dy_k = y_k - t_k."""
    return [yk - tk for yk, tk in zip(y, t)]


def cross_entropy(y: Vector, t: Vector) -> float:
    """S14/E1: E = -sum_k t_k ln y_k (natural log).

    A term with t_k = 0 contributes 0, whatever y_k is (0 ln 0 = 0). An output
    that underflowed to 0 where t_k > 0 counts as TINY, so E stays finite.
    """
    _same_length(y, t, "cross_entropy")
    return -sum(tk * _ln(yk, k) for k, (yk, tk) in enumerate(zip(y, t)) if tk != 0)


def cross_entropy_gradient(y: Vector, t: Vector) -> Vector:
    """S15/E4: dE/dy_k = -t_k / y_k (with respect to the outputs, not the logits)."""
    return [-tk / _positive(yk, k) if tk != 0 else 0.0 for k, (yk, tk) in enumerate(zip(y, t))]


def cross_entropy_from_logits(u: Vector, t: Vector) -> float:
    """S14 through log-softmax: -sum_k t_k (u_k - ln sum_j e^(u_j)); finite for finite u."""

    return -sum(tk * lk for lk, tk in zip(log_softmax(u), t) if tk != 0)


def sigmoid_cross_entropy(u: Vector, t: Vector) -> float:
    """S14 after a sigmoid output, from u: -sum_k t_k ln sigmoid(u_k); finite for finite u."""

    return -sum(tk * lk for lk, tk in zip(log_sigmoid(u), t) if tk != 0)


def sigmoid_cross_entropy_error(u: Vector, y: Vector, t: Vector) -> Vector:
    """dE/du of ``sigmoid_cross_entropy``: -t_k (1 - sigmoid(u_k)) = -t_k sigmoid(-u_k).

    The chain -t_k / y_k * y_k (1 - y_k) gives the same, except where y_k underflowed
    to 0: there it would be 0, and this is -t_k.
    """

    return [-tk * s for tk, s in zip(t, sigmoid([-ui for ui in u]))]


def _ln(yk: float, k: int) -> float:
    return math.log(_positive(yk, k))


def _positive(yk: float, k: int) -> float:
    """y_k where the teacher is non-zero: an output that underflowed to 0 counts as TINY."""
    if yk < 0:
        raise NetworkError(f"cross_entropy needs outputs y >= 0, got y[{k}] = {yk!r}")
    return max(yk, TINY)


def _same_length(y: Vector, t: Vector, what: str) -> None:
    if len(y) != len(t):
        raise NetworkError(f"{what}: output has {len(y)} entries but the teacher has {len(t)}")


def output_error(u: Vector, y: Vector, t: Vector) -> Vector:
    """S15: delta = y - t, dE/du of squared error through the identity."""
    return [yk - tk for yk, tk in zip(y, t)]


def softmax_cross_entropy_error(u: Vector, y: Vector, t: Vector) -> Vector:
    """S15/E4: delta = y sum(t) - t, dE/du of cross-entropy through softmax.

    It is the tutorial's y - t exactly when t is one-hot (sum t = 1) and stays
    the true gradient when it is not.
    """
    total = sum(t)
    return [yk * total - tk for yk, tk in zip(y, t)]


@dataclass(frozen=True)
class FromU:
    """A loss after one output activation, computed from that layer's u (S1).

    ``value(u, t)`` is E and ``delta(u, y, t)`` is the output error dE/du (S15), both
    finite where the activation's output y underflowed to 0.
    """

    value: Callable[[Vector, Vector], float] | None
    delta: Callable[[Vector, Vector, Vector], Vector]


@dataclass(frozen=True)
class Loss:
    """A loss paired with its gradient dE/dy, its canonical output activation (S15), and
    ``from_u``: the output activations after which it is computed from u (``FromU``)."""

    name: str
    value: Callable[[Vector, Vector], float]
    gradient: Callable[[Vector, Vector], Vector]
    canonical_activation: str
    from_u: dict[str, FromU]


LOSSES: dict[str, Loss] = {
    "squared_error": Loss(
        "squared_error",
        squared_error,
        squared_error_gradient,
        "identity",
        {"identity": FromU(None, output_error)},
    ),
    "cross_entropy": Loss(
        "cross_entropy",
        cross_entropy,
        cross_entropy_gradient,
        "softmax",
        {
            "softmax": FromU(cross_entropy_from_logits, softmax_cross_entropy_error),
            "sigmoid": FromU(sigmoid_cross_entropy, sigmoid_cross_entropy_error),
        },
    ),
}


def get_loss(name: str) -> Loss:
    """The loss called ``name``; a one-line error listing the valid names otherwise."""
    try:
        return LOSSES[name]
    except (KeyError, TypeError):
        valid = ", ".join(LOSSES)
        raise NetworkError(f"unknown loss {name!r} (expected one of: {valid})") from None
