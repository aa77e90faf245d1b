"""Exact gradients of one sample's loss by symbolic differentiation (S13-S20).

For every weight w[i][j] and threshold b[j] in turn, that one parameter
becomes a symbol p, the loss E(p) = loss(forward(x), t) is built with every
other parameter at its given value (the restriction that defines the partial
derivative), dE/dp = ``sympy.diff(E, p)``, and the derivative is evaluated at
p's given value. The result is the exact gradient; floats come
from 30-digit evaluation (``evalf``), so they are correctly rounded doubles
up to the last bit or two.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from nnref.symbolic.network import (
    LOSSES,
    MAX_PARAMS,
    Layer,
    SymbolicNetworkError,
    SymbolicSizeError,
    exact,
    forward_expr,
    parameter_count,
    parse_layers,
    sym_vector,
)


@dataclass(frozen=True)
class ExactGradients:
    """The exact loss and, per layer, ``{"W": n x m Matrix, "b": 1 x m Matrix}``."""

    loss: sp.Expr
    grads: tuple[dict, ...]
    outputs: tuple[sp.Expr, ...]

    def simplified(self) -> ExactGradients:
        """The same values as closed forms: rational functions of e (and their logarithms)."""
        simp = closed_form
        grads = tuple({k: g.applyfunc(simp) for k, g in layer.items()} for layer in self.grads)
        return ExactGradients(simp(self.loss), grads, tuple(simp(y) for y in self.outputs))

    def floats(self) -> list[dict]:
        """Gradients as the protocol's plain lists: ``[{"W": [[...]], "b": [...]}, ...]``."""
        return [
            {"W": [[_float(v) for v in row] for row in g["W"].tolist()],
             "b": [_float(v) for v in g["b"]]}
            for g in self.grads
        ]  # fmt: skip

    def loss_float(self) -> float:
        return _float(self.loss)


def closed_form(value: sp.Expr) -> sp.Expr:
    """``value`` as a reduced fraction in powers of e (logs of such fractions kept as logs).

    Every e^a is written epsilon^a for a positive symbol epsilon, the result is
    put over one denominator with ``cancel`` (exact polynomial arithmetic, much
    faster than ``simplify``) and epsilon is put back as e.
    """
    eps = sp.Dummy("e", positive=True)
    v = value.replace(sp.exp, lambda a: eps**a).subs(sp.E, eps)
    v = v.replace(sp.log, lambda a: sp.log(sp.cancel(a)))
    v = sp.expand_log(v, force=True) if v.has(sp.log) else sp.cancel(v)
    return v.subs(eps, sp.E)


def _float(value) -> float:
    """The double nearest ``value``, from an evaluation to 30 significant digits.

    An exact zero that SymPy does not see structurally (e^a e^-a - 1) has no
    correct digit at any precision: evalf then returns only a bound on its
    size (a Float with ~1 bit of precision, printed like ``0.e-167``). It is
    evaluated again with up to 1000 digits of working precision; a bound far
    below the smallest double (4.9e-324) makes 0.0 the correctly rounded result.
    """
    v = sp.N(value, 30)
    if v.is_Float and v._prec < 53:  # no reliable double yet
        v = sp.N(value, 30, maxn=1000)
        if v.is_Float and v._prec < 53 and abs(v) < sp.Float("1e-400"):
            return 0.0
    return float(v)


def check_size(layers, max_params: int = MAX_PARAMS) -> int:
    """Raise :class:`SymbolicSizeError` past ``max_params`` parameters; return the count."""
    count = parameter_count(layers)
    if count > max_params:
        raise SymbolicSizeError(
            f"network has {count} parameters, more than the {max_params} that exact symbolic "
            "differentiation handles in reasonable time; check it with finite differences "
            "instead (`nnref gradcheck`, or nnref.conformance.finitediff.gradcheck)"
        )
    return count


def gradients(layers, x, t, loss: str, relu_grad_at_zero=1, max_params: int = MAX_PARAMS):
    """Exact dE/dW and dE/db of every layer for one sample (S15-S20).

    ``relu_grad_at_zero`` is ReLU's derivative at exactly 0 (S8: the tutorial's 1).
    Raises :class:`SymbolicNetworkError` for bad input or a 'step' layer (S5: no
    derivative), :class:`SymbolicSizeError` past ``max_params``.
    """
    if loss not in LOSSES:
        raise SymbolicNetworkError(f"unknown loss {loss!r}; known: {', '.join(LOSSES)}")
    xs, ts = sym_vector(x, "x"), sym_vector(t, "t")
    relu_grad_at_zero = exact(relu_grad_at_zero, "relu_grad_at_zero")
    parsed = parse_layers(layers, len(xs))
    for k, layer in enumerate(parsed):
        if layer.activation == "step":
            raise SymbolicNetworkError(
                f"layer {k} uses 'step', which has no derivative (S5): no gradient flows through it"
            )
    if len(ts) != parsed[-1].b.shape[1]:
        raise SymbolicNetworkError(
            f"t has {len(ts)} entries but the network has {parsed[-1].b.shape[1]} outputs"
        )
    check_size(layers, max_params)
    outputs = forward_expr(parsed, xs, relu_grad_at_zero)
    E = LOSSES[loss](outputs, ts)
    grads = []
    for k in range(len(parsed)):
        inputs = forward_expr(parsed[:k], xs, relu_grad_at_zero) if k else xs
        # the layer's inputs do not depend on its parameters: hold them as opaque
        # symbols while differentiating (far fewer SymPy assumption queries)
        held = [v if v.is_Rational else sp.Dummy(f"x{i}") for i, v in enumerate(inputs)]
        values = {h: v for h, v in zip(held, inputs, strict=True) if h is not v}
        grads.append({
            "W": parsed[k].W.applyfunc(lambda _: 0).copy(),
            "b": parsed[k].b.applyfunc(lambda _: 0).copy(),
        })  # fmt: skip
        for name in ("W", "b"):
            for idx in range(len(getattr(parsed[k], name))):
                grads[k][name][idx] = _partial(parsed[k:], held, values, ts, loss, name, idx,
                                               relu_grad_at_zero)  # fmt: skip
    return ExactGradients(E, tuple(grads), tuple(outputs))


def _partial(suffix, inputs, values, ts, loss, name, idx, relu_grad_at_zero):
    """dE/dp for the entry ``idx`` of ``name`` in the first layer of ``suffix``.

    The derivative of the one-variable restriction E(p), the other parameters
    held at their values: the definition of a partial derivative. ``inputs``
    may hold symbols standing for the layer's inputs; ``values`` gives them.
    """
    p = sp.Dummy("p")  # no assumptions: SymPy then asks far fewer sign questions
    first = suffix[0]
    matrix = getattr(first, name).as_mutable()
    value = matrix[idx]
    matrix[idx] = p
    changed = Layer(**{"W": first.W, "b": first.b, "activation": first.activation, name: matrix})
    E = loss_expr([changed, *suffix[1:]], inputs, ts, loss, relu_grad_at_zero)
    return sp.diff(E, p).subs({**values, p: value})


def loss_expr(parsed, inputs, ts, loss, relu_grad_at_zero=1):
    """E = loss(forward(inputs), t); softmax + cross-entropy as -sum t_k (u_k - log sum e^u_j).

    The fused form is the same function (log e^u_k / S = u_k - log S) and keeps
    SymPy from expanding logarithms of quotients.
    """
    last = parsed[-1]
    if last.activation == "softmax" and loss == "cross_entropy":
        hidden = forward_expr(parsed[:-1], inputs, relu_grad_at_zero)
        u = list(sp.Matrix([hidden]) * last.W - last.b)
        log_total = sp.log(sp.Add(*[sp.exp(v) for v in u]))
        return -sp.Add(*[tk * (v - log_total) for tk, v in zip(ts, u, strict=True)])
    return LOSSES[loss](forward_expr(parsed, inputs, relu_grad_at_zero), ts)
