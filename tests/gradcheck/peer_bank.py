"""A bank of buggy backward rules, each with a correct twin, as custom ``torch.autograd.Function``s.

Each ``Rule`` builds ``(fn, inputs)`` for its buggy or its correct backward:
``fn(*inputs)`` is what ``torch.autograd.gradcheck`` takes, and nnref checks
``gradcheck(lambda xs: fn(*xs), list(inputs))`` (or ``fn`` on one tensor) with
torch's autograd supplying the analytic side. ``order=2`` rules are right at
first order and wrong at second (``gradgradcheck``, ``gradcheck(order=2)``).
Used by ``tests/gradcheck/test_peer_bank.py`` and ``benchmarks/gradcheck_peers.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Rule:
    id: str
    what: str
    build: Callable[[bool], tuple[Callable, tuple]]  # buggy? -> (fn, inputs)
    order: int = 1


def _tensor(values, requires_grad=True):
    import torch

    return torch.tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


def _function(forward, backward):
    import torch

    class Rule(torch.autograd.Function):
        @staticmethod
        def forward(ctx, *xs):
            ctx.save_for_backward(*xs)
            return forward(*xs)

        @staticmethod
        def backward(ctx, g):
            return backward(g, *ctx.saved_tensors)

    return Rule.apply


def one_wrong_entry(buggy):
    rng = np.random.default_rng(1)
    x = _tensor(rng.standard_normal(10_000))
    big = float(np.max(3 * x.detach().numpy() ** 2))

    def backward(g, x):
        out = 3 * x**2
        if buggy:
            out = out.clone()
            out[1234] += 1e-3 * big
        return g * out

    return _function(lambda x: (x**3).sum(), backward), (x,)


def batch_only(buggy):
    import torch

    x = _tensor(np.random.default_rng(2).standard_normal((3, 4)))

    def backward(g, x):
        y = torch.softmax(x, dim=1)
        inner = (g * y).sum() if buggy else (g * y).sum(dim=1, keepdim=True)  # whole batch
        return y * (g - inner)

    return _function(lambda x: torch.softmax(x, dim=1), backward), (x,)


def broadcast_reduction(buggy):
    rng = np.random.default_rng(3)
    x, b = _tensor(rng.standard_normal((4, 3))), _tensor(rng.standard_normal(3))

    def backward(g, x, b):
        return g, g.mean(dim=0) if buggy else g.sum(dim=0)

    return _function(lambda x, b: x + b, backward), (x, b)


def transposed(buggy):
    rng = np.random.default_rng(4)
    x, W = _tensor(rng.standard_normal((2, 3))), _tensor(rng.standard_normal((3, 4)))

    def backward(g, x, W):
        gW = (g.T @ x).reshape(3, 4) if buggy else x.T @ g  # (out, in) reshaped to (in, out)
        return g @ W.T, gW

    return _function(lambda x, W: x @ W, backward), (x, W)


def missing_factor(buggy):
    x = _tensor(np.random.default_rng(5).standard_normal(6))

    def backward(g, x):
        return g * x if buggy else g * 2 * x

    return _function(lambda x: x**2, backward), (x,)


def sign_in_one_branch(buggy):
    import torch

    x = _tensor([-1.5, -0.4, 0.3, 1.2, 2.0, -2.5])

    def backward(g, x):
        neg = -torch.cos(x) if buggy else torch.cos(x)
        return g * torch.where(x > 0, 2 * x, neg)

    return _function(lambda x: torch.where(x > 0, x**2, torch.sin(x)), backward), (x,)


def stale_cache(buggy):
    import torch

    x = _tensor(np.random.default_rng(6).standard_normal(5))
    cached = torch.tanh(x.detach() + 0.3)  # from an earlier batch

    def backward(g, x):
        y = cached if buggy else torch.tanh(x)
        return g * (1 - y**2)

    return _function(lambda x: torch.tanh(x), backward), (x,)


def ignored_input(buggy):
    rng = np.random.default_rng(7)
    x, y = _tensor(rng.standard_normal(4)), _tensor(rng.standard_normal(4))

    def backward(g, x, y):
        return g * y, None if buggy else g * x

    return _function(lambda x, y: x * y, backward), (x, y)


def detached_second_order(buggy):
    x = _tensor([0.5, -1.25, 2.0])

    def backward(g, x):
        base = x.detach() if buggy else x
        return g * 3 * base**2

    return _function(lambda x: (x**3).sum(), backward), (x,)


def complex_conjugate(buggy):
    import torch

    z = torch.tensor([1 + 2j, -0.5 + 0.3j, 0.2 - 1j], dtype=torch.complex128, requires_grad=True)
    c = torch.tensor([0.7 - 0.2j, 1.5 + 0.5j, -0.3 + 1.1j], dtype=torch.complex128)

    def backward(g, z):
        return g * (c if buggy else c.conj())  # torch's gradient of Re(c z): df/da + i df/db

    return _function(lambda z: torch.real((c * z).sum()), backward), (z,)


def kink_subgradient(buggy):
    import torch

    x = _tensor([0.0, 1.5, -2.0, 0.0])

    def backward(g, x):
        at_zero = -0.01 if buggy else 0.0
        return g * torch.where(x > 0, 1.0, torch.where(x == 0, at_zero, 0.0)).to(x.dtype)

    return _function(lambda x: torch.relu(x), backward), (x,)


def noisy_float32_forward(buggy):
    import torch

    x = _tensor(np.random.default_rng(8).standard_normal(8))

    def forward(x):
        return torch.sin(x.float()).double().sum()  # computes in float32 inside

    def backward(g, x):
        return g * torch.cos(x) * (1.05 if buggy else 1.0)

    return _function(forward, backward), (x,)


def bias_twice(buggy):
    import torch

    rng = np.random.default_rng(9)
    x, b = _tensor(rng.standard_normal(5)), _tensor(rng.standard_normal(5))

    def backward(g, x, b):
        return g * 2 * x, g * (2.0 if buggy else 1.0) * torch.ones_like(b)

    return _function(lambda x, b: (x**2 + b).sum(), backward), (x, b)


def approximate_gelu(buggy):
    import math

    import torch

    x = _tensor(np.linspace(-3, 3, 13))

    def exact(x):
        return 0.5 * (1 + torch.erf(x / math.sqrt(2))) + x * torch.exp(-0.5 * x**2) / math.sqrt(
            2 * math.pi
        )

    def tanh_form(x):  # the derivative of the tanh approximation of GELU
        k = math.sqrt(2 / math.pi)
        u = k * (x + 0.044715 * x**3)
        t = torch.tanh(u)
        return 0.5 * (1 + t) + 0.5 * x * (1 - t**2) * k * (1 + 3 * 0.044715 * x**2)

    def backward(g, x):
        return g * (tanh_form(x) if buggy else exact(x))

    forward = lambda x: torch.nn.functional.gelu(x).sum()  # noqa: E731  (exact erf GELU)
    return _function(forward, backward), (x,)


def small_scale(buggy):
    x = _tensor(np.random.default_rng(10).standard_normal(5))

    def backward(g, x):
        return g * (1e-6 if buggy else 2e-6) * x

    return _function(lambda x: 1e-6 * (x**2).sum(), backward), (x,)


BANK = [
    Rule("one-wrong-entry-of-10000", "one entry of 10^4 off by 1e-3 max|g|", one_wrong_entry),
    Rule("batch-only", "wrong only when the batch is larger than 1", batch_only),
    Rule("broadcast-reduction", "mean instead of sum over a broadcast axis", broadcast_reduction),
    Rule("transposed-non-square", "a (4, 3) gradient reshaped to (3, 4)", transposed),
    Rule("missing-factor", "d(x^2) taken as x", missing_factor),
    Rule("sign-in-one-branch", "a sign error in the x < 0 branch only", sign_in_one_branch),
    Rule("stale-cache", "tanh' from a cached output of an earlier batch", stale_cache),
    Rule("ignored-input", "no gradient for the second input", ignored_input),
    Rule("detached-second-order", "backward computes from x.detach()", detached_second_order, 2),
    Rule("complex-conjugate", "the gradient of Re(c z) conjugated", complex_conjugate),
    Rule("kink-out-of-range", "ReLU'(0) = -0.01, outside [0, 1]", kink_subgradient),
    Rule("noisy-float32-forward", "5 % off, forward in float32 inside", noisy_float32_forward),
    Rule("bias-twice", "the bias gradient doubled", bias_twice),
    Rule("approximate-gelu", "exact GELU forward, tanh-approximate backward", approximate_gelu),
    Rule("small-scale", "a missing factor 2 in a loss of size 1e-6", small_scale),
]


def nnref_check(rule: Rule, buggy: bool, fast: bool) -> bool:
    """True when nnref passes the rule (its buggy or its correct backward)."""
    from nnref.conformance.finitediff import gradcheck

    fn, inputs = rule.build(buggy)
    xs = [t.detach() for t in inputs]
    if len(xs) == 1:
        return bool(gradcheck(fn, xs[0], fast=fast, order=rule.order))
    return bool(gradcheck(lambda v: fn(*v), xs, fast=fast, order=rule.order))


def torch_check(rule: Rule, buggy: bool, fast: bool) -> bool:
    """True when torch.autograd.gradcheck (gradgradcheck for order 2) passes the rule."""
    import torch

    fn, inputs = rule.build(buggy)
    check = torch.autograd.gradgradcheck if rule.order == 2 else torch.autograd.gradcheck
    try:
        return bool(check(fn, inputs, fast_mode=fast, raise_exception=False))
    except RuntimeError:  # some failures raise whatever raise_exception says
        return False
