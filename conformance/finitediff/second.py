"""Second order: ``gradcheck(f, x, order=2)`` checks the gradient of the gradient.

As ``torch.autograd.gradgradcheck`` and ``jax.test_util.check_grads(order=2)`` do:
the function checked is ``g(x) = grad f(x)``, computed by the framework's
backward (a custom ``backward`` or ``bwd`` included) with its graph kept, and
its Jacobian (the Hessian of ``f``, as the double backward computes it) is
compared with finite differences of ``g``. Entry ``d/dx[j] of df/dx[i]`` is
named ``df/dx[i] wrt x[j]``. A backward that computes from detached values
gives a gradient that autograd cannot differentiate: its second derivative is
taken as 0 (and said so), and fails wherever ``g`` in fact varies. With complex
inputs ``g`` is the real vector of the gradient's parts (torch's ``df/da + i df/db``,
JAX's conjugate undone), entries ``df/dz[1].imag wrt z[0].real``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nnref.conformance.errors import GradcheckInputError
from nnref.conformance.finitediff.inputs import Flat


def first_derivative(f: Callable, flat: Flat, framework: str) -> Callable:
    """``g(x)``: the framework's gradient of the scalar ``f``, one flat array over ``x``'s
    entries, differentiable again where the backward allows it."""
    if framework == "torch":
        return _torch_gradient(f, flat)
    return _jax_gradient(f, flat)


def _torch_gradient(f: Callable, flat: Flat) -> Callable:
    import torch

    def g(x: Any):
        values = [_get(x, leaf.path) for leaf in flat.leaves]
        leaves = [v if v.requires_grad else v.detach().requires_grad_(True) for v in values]
        out = f(flat.assemble(leaves))
        if not (hasattr(out, "numel") and out.numel() == 1):
            raise GradcheckInputError("order=2 needs a scalar f (one output)")
        grads = torch.autograd.grad(out, leaves, create_graph=True, allow_unused=True)
        pairs = zip(grads, leaves, strict=True)
        parts = [torch.zeros_like(t) if d is None else d for d, t in pairs]
        # a complex entry's gradient df/da + i df/db as its two real parts, in the flat order
        parts = [torch.view_as_real(p) if p.is_complex() else p for p in parts]
        flat_grad = torch.cat([p.reshape(-1) for p in parts])
        if not flat_grad.requires_grad:  # the backward detached: no second derivative
            parts = [torch.view_as_real(t) if t.is_complex() else t for t in leaves]
            flat_grad = flat_grad + 0.0 * sum(t.sum() for t in parts)
            g.detached = True
        return flat_grad

    g.detached = False
    return g


def _jax_gradient(f: Callable, flat: Flat) -> Callable:
    import jax
    import jax.numpy as jnp

    def g(x: Any):
        values = [jnp.asarray(_get(x, leaf.path)) for leaf in flat.leaves]
        grads = jax.grad(lambda *a: f(flat.assemble(list(a))), argnums=tuple(range(len(values))))(
            *values
        )
        parts = [
            jnp.stack([jnp.real(d), -jnp.imag(d)], axis=-1)  # JAX's conjugate, undone
            if jnp.iscomplexobj(d)
            else d
            for d in grads
        ]
        return jnp.concatenate([jnp.reshape(d, (-1,)) for d in parts])

    g.detached = False
    return g


def output_labels(flat: Flat) -> Callable[[int], str]:
    """Output ``k`` of ``g`` is ``df/d(entry k)``."""
    return lambda k: f"df/d{flat.name(k)}"


def _get(x: Any, path: tuple) -> Any:
    node = x
    for part in path:
        node = node[part]
    return node


def check_order(order: Any) -> int:
    if order not in (1, 2) or isinstance(order, bool):
        raise GradcheckInputError(f"order must be 1 or 2, got {order!r}")
    return int(order)
