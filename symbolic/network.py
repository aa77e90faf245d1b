"""Exact loss and gradients of a whole small network (SPEC S1, S2, S5-S10, S13-S20).

``layers`` has the protocol's form: ``[{"W": rows, "b": thresholds,
"activation": name}, ...]`` with ``W[i][j]`` the weight from input i to
neuron j and u = x W - b (S1, S2). Every weight and threshold becomes a
SymPy symbol, the loss E(parameters) is built symbolically (ReLU as a
Piecewise whose derivative at 0 is the chosen convention, S8), each
dE/dparameter is obtained by ``sympy.diff`` and then evaluated at the given
values exactly. ReLU is written z·H(z) with the Heaviside value H(0) set to
the convention (``relu_derivative`` proves this equals the Piecewise of S8);
SymPy builds and differentiates it about ten times faster than a Piecewise.
Floats are read as the decimal they print as (``0.1 -> 1/10``), so results
are exact for the numbers a person typed.

Symbolic differentiation grows quickly with size; :data:`MAX_PARAMS` is the
guard (see ``benchmarks/bench_symbolic.py`` for the measurements).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy as sp

from nnref.reference.errors import InputError
from nnref.symbolic.activations import relu_product, sigmoid, step
from nnref.symbolic.losses import cross_entropy, softmax, squared_error

#: Largest parameter count accepted by ``nnref.symbolic.gradients.gradients``. Measured with
#: ``benchmarks/bench_symbolic.py`` (CPU seconds, one sigmoid hidden layer, softmax +
#: cross-entropy): 58 params 3.2 s, 93 params 8.4 s, 136 params 13 s, 178 params 28 s
#: (ReLU hidden layers: about half, since active units pass exact rationals on).
#: The cost per parameter grows with the layers' widths, so the total is superlinear;
#: 120 keeps one call near 10 s. Past it, finite differences are the tool.
MAX_PARAMS = 120

ELEMENTWISE = {
    "step": step,
    "sigmoid": sigmoid,
    "tanh": lambda z: 2 * sigmoid(2 * z) - 1,  # = tanh z (tanh_derivative); faster in SymPy
    "identity": lambda z: z,
}
ACTIVATIONS = (*ELEMENTWISE, "relu", "softmax")
LOSSES = {"squared_error": squared_error, "cross_entropy": cross_entropy}


class SymbolicNetworkError(InputError):
    """Bad network input; the message is one line naming what was wrong (a ValueError too)."""


class SymbolicSizeError(SymbolicNetworkError):
    """The network is too large for exact symbolic differentiation."""


def exact(value, what: str = "value") -> sp.Expr:
    """An exact SymPy number for ``value``: int, float (its printed decimal), str, or SymPy."""
    if isinstance(value, sp.Basic):
        return value
    if isinstance(value, bool):
        raise SymbolicNetworkError(f"{what} must be a number, got {value!r}")
    if isinstance(value, int):
        return sp.Integer(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise SymbolicNetworkError(f"{what} must be finite, got {value!r}")
        return sp.Rational(repr(value))
    if isinstance(value, str):
        try:
            return sp.Rational(value)
        except (TypeError, ValueError):
            raise SymbolicNetworkError(f"{what} is not a decimal or fraction: {value!r}") from None
    try:  # numpy scalars and the like
        return exact(float(value), what)
    except (TypeError, ValueError):
        raise SymbolicNetworkError(f"{what} must be a number, got {type(value).__name__}") from None


def sym_vector(values, what: str) -> list[sp.Expr]:
    if isinstance(values, (str, bytes, dict)) or not hasattr(values, "__len__"):
        raise SymbolicNetworkError(f"{what} must be a list of numbers")
    return [exact(v, f"{what}[{i}]") for i, v in enumerate(values)]


@dataclass(frozen=True)
class Layer:
    """One parsed layer: exact W (n x m), b (1 x m) and the activation name."""

    W: sp.Matrix
    b: sp.Matrix
    activation: str


def parse_layers(layers, n_inputs: int) -> list[Layer]:
    """Check shapes and names; convert every number to an exact SymPy number."""
    if not isinstance(layers, (list, tuple)) or not layers:
        raise SymbolicNetworkError("layers must be a non-empty list of {W, b, activation}")
    parsed, n = [], n_inputs
    for k, layer in enumerate(layers):
        if not isinstance(layer, dict) or not {"W", "b", "activation"} <= set(layer):
            raise SymbolicNetworkError(f"layer {k} must be a dict with keys W, b, activation")
        act = layer["activation"]
        if act not in ACTIVATIONS:
            raise SymbolicNetworkError(
                f"layer {k}: unknown activation {act!r}; known: {', '.join(ACTIVATIONS)}"
            )
        rows = layer["W"]
        if not isinstance(rows, (list, tuple)) or len(rows) != n:
            raise SymbolicNetworkError(f"layer {k}: W must have {n} rows (one per input)")
        b = sym_vector(layer["b"], f"layer {k} b")
        W = [sym_vector(r, f"layer {k} W[{i}]") for i, r in enumerate(rows)]
        if not b or any(len(r) != len(b) for r in W):
            raise SymbolicNetworkError(f"layer {k}: every row of W must have len(b) = {len(b)}")
        parsed.append(Layer(sp.Matrix(W), sp.Matrix([b]), act))
        n = len(b)
    return parsed


def parameter_count(layers) -> int:
    """Number of weights and thresholds: sum of n*m + m over the layers."""
    return sum(len(layer["W"]) * len(layer["b"]) + len(layer["b"]) for layer in layers)


def activate(name: str, u: list, relu_grad_at_zero=1) -> list:
    """Apply activation ``name`` to the pre-activations ``u`` (S5-S10)."""
    if name == "softmax":
        return softmax(u)
    if name == "relu":
        return [relu_product(z, relu_grad_at_zero) for z in u]
    return [ELEMENTWISE[name](z) for z in u]


def forward_expr(parsed: list[Layer], x: list, relu_grad_at_zero=1) -> list:
    """The network's output as SymPy expressions of whatever W, b, x hold (S1, S2)."""
    out = list(x)
    for layer in parsed:
        u = list(sp.Matrix([out]) * layer.W - layer.b)
        out = activate(layer.activation, u, relu_grad_at_zero)
    return out


def forward(layers, x) -> list[sp.Expr]:
    """Exact outputs of the network for input ``x``."""
    xs = sym_vector(x, "x")
    return forward_expr(parse_layers(layers, len(xs)), xs)


def preactivations(layers, x) -> list[list[sp.Expr]]:
    """Exact weighted sums u = x W - b of every layer for input ``x`` (S1, S2)."""
    out = sym_vector(x, "x")
    sums = []
    for layer in parse_layers(layers, len(out)):
        u = list(sp.Matrix([out]) * layer.W - layer.b)
        sums.append(u)
        out = activate(layer.activation, u)
    return sums
