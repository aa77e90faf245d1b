"""The analytic side from the framework's own autograd: ``gradcheck(f, x)`` without ``grad``.

``torch.autograd.gradcheck(f, inputs)`` and ``jax.test_util.check_grads`` check
what the framework's autograd computes for ``f`` (a custom
``torch.autograd.Function``'s ``backward``, a JAX ``custom_vjp``'s ``bwd``)
against finite differences. ``gradcheck(f, x)`` does the same, with this
checker's report: the framework's autograd supplies vector-Jacobian products
(the ``vjp`` form of ``grad``), so a scalar ``f`` costs one backward pass in
full mode and a vector ``f`` one per output (fast mode: one per direction).

The framework is told by ``x`` (torch tensors or JAX arrays among its arrays)
or, failing that, by the type of ``f(x)``. For the backward pass every array
of ``x`` reaches ``f`` as a tensor (torch: requiring grad, on the device of the
tensor it came from) or a JAX array of its own dtype (float32 stays float32); non-numeric
entries (``"activation"``) pass through. JAX computes in float32 unless
64-bit mode is on, so with JAX both sides run inside ``jax.enable_x64`` (or
``jax.experimental.enable_x64`` on older versions) when it exists.
"""

from __future__ import annotations

import contextlib
import importlib.util
from collections.abc import Callable
from typing import Any

import numpy as np

from nnref.conformance.errors import GradcheckInputError
from nnref.conformance.finitediff.inputs import Flat, is_jax_array, is_torch_tensor, torch_dtype
from nnref.conformance.finitediff.problem import Evaluator, first_line, vjp


def framework_of(flat: Flat, f_output: Any) -> str:
    """``"torch"`` or ``"jax"`` from ``x``'s arrays, else from ``f(x)``; else a one-line error."""
    kinds = {leaf.kind for leaf in flat.leaves}
    for name in ("torch", "jax"):
        if name in kinds:
            return name
    found = _leaves(f_output)  # several outputs: any of them tells
    if any(is_torch_tensor(v) for v in found):
        return "torch"
    if any(is_jax_array(v) for v in found):
        return "jax"
    installed = [m for m in ("torch", "jax") if importlib.util.find_spec(m) is not None]
    missing = "" if installed else " (neither torch nor jax is installed)"
    raise GradcheckInputError(
        f"no grad given and f returned a {type(f_output).__name__}: without grad, gradcheck "
        "takes the gradient from torch's or JAX's autograd, so f must compute with torch or "
        f"JAX{missing}; pass grad to check a gradient of your own"
    )


def from_framework(f: Callable, flat: Flat, ev: Evaluator) -> tuple[vjp, str, Evaluator]:
    """The framework's vjp of ``f`` at ``x``, its name for the report, and the evaluator to use.

    With JAX the evaluator is replaced by one that runs ``f`` in 64-bit mode.
    """
    name = framework_of(flat, ev.first_output)
    if name == "torch":
        return vjp(_torch_vjp(f, flat, ev)), "torch autograd (backward passes)", ev
    x64 = _jax_x64()
    if x64 is not None:
        ev = Evaluator(_inside(x64, f), flat)  # not started: the caller starts it
    form = "JAX autograd (jax.vjp)" + ("" if x64 is not None else ", float32: no 64-bit mode")
    return vjp(_jax_vjp(f, flat, x64, ev.as_float32)), form, ev


def _torch_vjp(f: Callable, flat: Flat, ev: Evaluator):
    import torch

    as_float32 = ev.as_float32

    def dtype(leaf):
        return torch_dtype(torch, as_float32 or leaf.dtype == "float32", leaf.complex)

    def fn(_x, w):
        tensors = [
            _leaf_tensor(torch, v, dtype(leaf), leaf.device if leaf.kind == "torch" else None)
            for v, leaf in zip(flat.leaf_values(flat.theta), flat.leaves, strict=True)
        ]
        raw = _run("f", lambda: f(flat.assemble(tensors)))
        outs = [raw] if ev.outputs is None else ev.outputs.arrays(raw)
        weights = [np.asarray(w)] if ev.outputs is None else _leaf_weights(ev, w)
        pairs = []
        for out, weight in zip(outs, weights, strict=True):
            if not is_torch_tensor(out) and ev.outputs is None:
                raise GradcheckInputError(
                    f"f returned a {type(out).__name__} from tensors; torch autograd needs a tensor"
                )
            if is_torch_tensor(out) and out.requires_grad:  # other outputs: constants to torch
                weight = torch.as_tensor(weight, dtype=out.dtype, device=out.device)
                pairs.append((out, weight.reshape(out.shape)))
        if not pairs:
            raise GradcheckInputError(
                "f(x) does not require grad: it does not depend on x through torch, or was "
                "computed from a copy (torch.tensor(x), .detach(), .numpy()); torch autograd "
                "has nothing to differentiate"
            )
        grads = _run(
            "torch autograd",
            lambda: torch.autograd.grad(
                [o for o, _ in pairs],
                tensors,
                grad_outputs=[g for _, g in pairs],
                allow_unused=True,
            ),
        )
        # torch writes the gradient of a real f at z = a + ib as df/da + i df/db
        return _concat(
            [
                np.zeros(leaf.size, dtype=np.float64) if g is None else g.detach().cpu().numpy()
                for g, leaf in zip(grads, flat.leaves, strict=True)
            ]
        )

    return fn


def _leaf_tensor(torch, v: np.ndarray, dtype, device):
    """A leaf tensor that requires grad: float64 on the CPU shares ``v``'s memory (no copy;
    an f that writes into its input is refused by autograd or by the evaluator)."""
    if (
        dtype == torch.float64
        and (device is None or torch.device(device).type == "cpu")
        and isinstance(v, np.ndarray)
        and v.dtype == np.float64
        and v.flags.c_contiguous
        and v.flags.writeable
    ):
        return torch.from_numpy(v).requires_grad_(True)
    return torch.tensor(v, dtype=dtype, device=device).requires_grad_(True)


def _jax_vjp(f: Callable, flat: Flat, x64, as_float32: bool):
    import jax
    import jax.numpy as jnp

    def fn(_x, w):
        with x64() if x64 is not None else contextlib.nullcontext():
            arrays = [
                jnp.asarray(
                    v,
                    dtype=_jax_dtype(
                        jnp, as_float32 or x64 is None or leaf.dtype == "float32", leaf
                    ),
                )
                for v, leaf in zip(flat.leaf_values(flat.theta), flat.leaves, strict=True)
            ]
            out, pull = _run(
                "jax.vjp", lambda: jax.vjp(lambda *a: f(flat.assemble(list(a))), *arrays)
            )
            weight = _jax_weight(w, out)
            cotangents = _run("JAX autograd", lambda: pull(weight))
        # JAX writes it df/da - i df/db (its covectors are conjugated): conjugated back
        return _concat([np.conj(np.asarray(c)) for c in cotangents])

    return fn


def _leaf_weights(ev: Evaluator, w: Any) -> list[np.ndarray]:
    """The weight of each output leaf, from ``w`` in the outputs' structure."""
    flat_w = np.concatenate([np.asarray(v, dtype=np.float64).reshape(-1) for v in _leaves(w)])
    return [flat_w[leaf.start : leaf.start + leaf.size] for leaf in ev.outputs.leaves]


def _leaves(w: Any) -> list:
    if isinstance(w, dict):
        return [v for item in w.values() for v in _leaves(item)]
    if isinstance(w, list | tuple):
        return [v for item in w for v in _leaves(item)]
    return [w]


def _jax_weight(w: Any, out: Any) -> Any:
    """``w`` (an array, or a structure like the outputs) as JAX arrays of ``out``'s dtypes."""
    import jax
    import jax.numpy as jnp

    def cast(value, like):
        return jnp.asarray(np.asarray(value), dtype=jnp.asarray(like).dtype).reshape(
            jnp.shape(like)
        )

    if isinstance(out, dict | list | tuple):
        return jax.tree_util.tree_map(cast, _same_containers(w, out), out)
    return cast(w, out)


def _same_containers(w: Any, out: Any) -> Any:
    """``w`` rebuilt with ``out``'s container types (a list where ``out`` has a list)."""
    if isinstance(out, dict):
        return {key: _same_containers(w[key], value) for key, value in out.items()}
    if isinstance(out, list | tuple):
        items = [_same_containers(a, b) for a, b in zip(w, out, strict=True)]
        return type(out)(items) if not hasattr(out, "_fields") else type(out)(*items)
    return w


def _jax_x64():
    """A context manager turning JAX's 64-bit mode on, or None if this JAX has none."""
    import jax

    if hasattr(jax, "enable_x64"):
        return lambda: jax.enable_x64(True)
    try:
        from jax.experimental import enable_x64
    except ImportError:
        return None
    return enable_x64


def _inside(context, f: Callable) -> Callable:
    def wrapped(x):
        with context():
            return f(x)

    return wrapped


def _run(what: str, call: Callable):
    try:
        return call()
    except GradcheckInputError:
        raise
    except Exception as exc:
        message = f"{what} raised {type(exc).__name__} at x: {first_line(exc)}"
        raise GradcheckInputError(message.rstrip(": ")) from exc


def _jax_dtype(jnp, float32: bool, leaf):
    if leaf.complex:
        return jnp.complex64 if float32 else jnp.complex128
    return jnp.float32 if float32 else jnp.float64


def _concat(parts: list[np.ndarray]) -> np.ndarray:
    """One flat array, a complex entry as its real and imaginary parts; float32 stays
    float32 so the float32 rule sees it."""
    if len(parts) == 1 and isinstance(parts[0], np.ndarray) and parts[0].dtype == np.float64:
        return np.ascontiguousarray(parts[0]).reshape(-1)  # one real part: no copy
    flat = []
    for p in parts:
        p = np.ascontiguousarray(p).reshape(-1)
        flat.append(
            p.view(np.float64 if p.dtype == np.complex128 else np.float32)
            if np.iscomplexobj(p)
            else p
        )
    return np.concatenate(flat)
