"""The same bank of buggy backward rules as ``peer_bank.py``, as JAX ``custom_vjp``s.

Each ``Rule`` builds ``(fn, inputs)`` for its buggy or its correct ``bwd``: ``fn(*inputs)``
is what ``jax.test_util.check_grads(fn, inputs, order, modes=("rev",))`` takes (a
``custom_vjp`` has no forward mode; each is jitted, as in real code), and nnref checks
``gradcheck(fn, inputs[0])`` or ``gradcheck(lambda v: fn(*v), list(inputs))`` with
``jax.vjp`` supplying the analytic side. Inputs are numpy float64 (complex128) arrays;
everything runs in JAX's 64-bit mode. The ids are those of ``peer_bank.py``, so the two
banks line up in one table. JAX's convention for complex inputs is the conjugate of
torch's: the correct ``bwd`` of ``Re(sum(c z))`` returns ``g * c`` in JAX and
``g * conj(c)`` in torch.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Rule:
    id: str
    what: str
    build: Callable[[bool], tuple[Callable, tuple]]  # buggy? -> (fn, inputs)
    order: int = 1


def x64():
    """JAX's 64-bit mode, as a context manager."""
    import jax

    if hasattr(jax, "enable_x64"):
        return jax.enable_x64(True)
    from jax.experimental import enable_x64  # older JAX

    return enable_x64()


def _function(forward, backward, jit=True):
    """A ``custom_vjp`` whose ``bwd`` is ``backward(g, *xs)`` (returning one value per input)."""
    import jax

    fn = jax.custom_vjp(forward)

    def fwd(*xs):
        return forward(*xs), xs

    def bwd(xs, g):
        out = backward(g, *xs)
        return out if isinstance(out, tuple) else (out,)

    fn.defvjp(fwd, bwd)
    return jax.jit(fn) if jit else fn  # compiled once: nnref's full mode calls it 2 n + 1 times


def one_wrong_entry(buggy):
    import jax.numpy as jnp

    x = np.random.default_rng(1).standard_normal(10_000)
    big = float(np.max(3 * x**2))

    def backward(g, x):
        out = 3 * jnp.asarray(x) ** 2
        return g * (out.at[1234].add(1e-3 * big) if buggy else out)

    return _function(lambda x: jnp.sum(x**3), backward), (x,)


def batch_only(buggy):
    import jax

    x = np.random.default_rng(2).standard_normal((3, 4))

    def backward(g, x):
        y = jax.nn.softmax(x, axis=1)
        inner = (g * y).sum() if buggy else (g * y).sum(axis=1, keepdims=True)  # whole batch
        return y * (g - inner)

    return _function(lambda x: jax.nn.softmax(x, axis=1), backward), (x,)


def broadcast_reduction(buggy):
    rng = np.random.default_rng(3)
    x, b = rng.standard_normal((4, 3)), rng.standard_normal(3)

    def backward(g, x, b):
        return g, g.mean(axis=0) if buggy else g.sum(axis=0)

    return _function(lambda x, b: x + b, backward), (x, b)


def transposed(buggy):
    rng = np.random.default_rng(4)
    x, W = rng.standard_normal((2, 3)), rng.standard_normal((3, 4))

    def backward(g, x, W):
        gW = (g.T @ x).reshape(3, 4) if buggy else x.T @ g  # (out, in) reshaped to (in, out)
        return g @ W.T, gW

    return _function(lambda x, W: x @ W, backward), (x, W)


def missing_factor(buggy):
    x = np.random.default_rng(5).standard_normal(6)

    def backward(g, x):
        return g * x if buggy else g * 2 * x

    return _function(lambda x: x**2, backward), (x,)


def sign_in_one_branch(buggy):
    import jax.numpy as jnp

    x = np.array([-1.5, -0.4, 0.3, 1.2, 2.0, -2.5])

    def backward(g, x):
        neg = -jnp.cos(x) if buggy else jnp.cos(x)
        return g * jnp.where(x > 0, 2 * x, neg)

    return _function(lambda x: jnp.where(x > 0, x**2, jnp.sin(x)), backward), (x,)


def stale_cache(buggy):
    import jax.numpy as jnp

    x = np.random.default_rng(6).standard_normal(5)
    cached = np.tanh(x + 0.3)  # from an earlier batch

    def backward(g, x):
        y = cached if buggy else jnp.tanh(x)
        return g * (1 - y**2)

    return _function(lambda x: jnp.tanh(x), backward), (x,)


def ignored_input(buggy):
    import jax.numpy as jnp

    rng = np.random.default_rng(7)
    x, y = rng.standard_normal(4), rng.standard_normal(4)

    def backward(g, x, y):
        return g * y, jnp.zeros_like(y) if buggy else g * x

    return _function(lambda x, y: x * y, backward), (x, y)


def detached_second_order(buggy):
    import jax
    import jax.numpy as jnp

    x = np.array([0.5, -1.25, 2.0])

    def backward(g, x):
        base = jax.lax.stop_gradient(x) if buggy else x
        return g * 3 * base**2

    return _function(lambda x: jnp.sum(x**3), backward), (x,)


def complex_conjugate(buggy):
    import jax.numpy as jnp

    z = np.array([1 + 2j, -0.5 + 0.3j, 0.2 - 1j])
    c = np.array([0.7 - 0.2j, 1.5 + 0.5j, -0.3 + 1.1j])

    def backward(g, z):
        return (g * (np.conj(c) if buggy else c)).astype(z.dtype)  # JAX's covector: g * c

    # not jitted: a jitted function that captures a complex constant cannot be called both
    # outside and inside 64-bit mode (JAX reuses the float32 trace)
    return _function(lambda z: jnp.real(jnp.sum(c * z)), backward, jit=False), (z,)


def kink_subgradient(buggy):
    import jax.numpy as jnp

    x = np.array([0.0, 1.5, -2.0, 0.0])

    def backward(g, x):
        at_zero = -0.01 if buggy else 0.0
        return g * jnp.where(x > 0, 1.0, jnp.where(x == 0, at_zero, 0.0))

    return _function(lambda x: jnp.maximum(x, 0.0), backward), (x,)


def noisy_float32_forward(buggy):
    import jax.numpy as jnp

    x = np.random.default_rng(8).standard_normal(8)

    def forward(x):
        return jnp.sum(jnp.sin(x.astype(jnp.float32)).astype(jnp.float64))  # float32 inside

    def backward(g, x):
        return g * jnp.cos(x) * (1.05 if buggy else 1.0)

    return _function(forward, backward), (x,)


def bias_twice(buggy):
    import jax.numpy as jnp

    rng = np.random.default_rng(9)
    x, b = rng.standard_normal(5), rng.standard_normal(5)

    def backward(g, x, b):
        return g * 2 * x, g * (2.0 if buggy else 1.0) * jnp.ones_like(b)

    return _function(lambda x, b: jnp.sum(x**2 + b), backward), (x, b)


def approximate_gelu(buggy):
    import jax
    import jax.numpy as jnp

    x = np.linspace(-3, 3, 13)

    def exact(x):
        cdf = 0.5 * (1 + jax.scipy.special.erf(x / math.sqrt(2)))
        return cdf + x * jnp.exp(-0.5 * x**2) / math.sqrt(2 * math.pi)

    def tanh_form(x):  # the derivative of the tanh approximation of GELU
        k = math.sqrt(2 / math.pi)
        t = jnp.tanh(k * (x + 0.044715 * x**3))
        return 0.5 * (1 + t) + 0.5 * x * (1 - t**2) * k * (1 + 3 * 0.044715 * x**2)

    def backward(g, x):
        return g * (tanh_form(x) if buggy else exact(x))

    forward = lambda x: jnp.sum(jax.nn.gelu(x, approximate=False))  # noqa: E731
    return _function(forward, backward), (x,)


def small_scale(buggy):
    import jax.numpy as jnp

    x = np.random.default_rng(10).standard_normal(5)

    def backward(g, x):
        return g * (1e-6 if buggy else 2e-6) * x

    return _function(lambda x: 1e-6 * jnp.sum(x**2), backward), (x,)


BANK = [
    Rule("one-wrong-entry-of-10000", "one entry of 10^4 off by 1e-3 max|g|", one_wrong_entry),
    Rule("batch-only", "wrong only when the batch is larger than 1", batch_only),
    Rule("broadcast-reduction", "mean instead of sum over a broadcast axis", broadcast_reduction),
    Rule("transposed-non-square", "a (4, 3) gradient reshaped to (3, 4)", transposed),
    Rule("missing-factor", "d(x^2) taken as x", missing_factor),
    Rule("sign-in-one-branch", "a sign error in the x < 0 branch only", sign_in_one_branch),
    Rule("stale-cache", "tanh' from a cached output of an earlier batch", stale_cache),
    Rule("ignored-input", "no gradient for the second input", ignored_input),
    Rule("detached-second-order", "bwd computes from stop_gradient(x)", detached_second_order, 2),
    Rule("complex-conjugate", "the gradient of Re(c z) conjugated", complex_conjugate),
    Rule("kink-out-of-range", "ReLU'(0) = -0.01, outside [0, 1]", kink_subgradient),
    Rule("noisy-float32-forward", "5 % off, forward in float32 inside", noisy_float32_forward),
    Rule("bias-twice", "the bias gradient doubled", bias_twice),
    Rule("approximate-gelu", "exact GELU forward, tanh-approximate backward", approximate_gelu),
    Rule("small-scale", "a missing factor 2 in a loss of size 1e-6", small_scale),
]


def nnref_check(rule: Rule, buggy: bool, fast: bool) -> bool:
    """True when nnref passes the rule (its buggy or its correct ``bwd``)."""
    from nnref.conformance.finitediff import gradcheck

    fn, inputs = rule.build(buggy)
    if len(inputs) == 1:
        return bool(gradcheck(fn, inputs[0], fast=fast, order=rule.order))
    return bool(gradcheck(lambda v: fn(*v), list(inputs), fast=fast, order=rule.order))


def jax_check(rule: Rule, buggy: bool) -> bool:
    """True when ``jax.test_util.check_grads`` (reverse mode, the rule's order, its default
    tolerances) passes the rule."""
    from jax.test_util import check_grads

    fn, inputs = rule.build(buggy)
    with x64():
        try:
            check_grads(fn, inputs, order=rule.order, modes=("rev",))
        except AssertionError:
            return False
    return True
