"""JAX as an nnref implementation: jax.numpy does the math, jax.grad and jax.vjp the gradients.

Check it with ``nnref check nnref.conformance.adapters.jax_impl --relu-grad-at-zero 0``.
Install the CPU build first: ``pip install jax jaxlib`` (optional extra ``nnref[jax]``).

How the protocol (conformance/protocol/README.md) maps onto JAX:

- JAX computes in float32 unless told otherwise; importing this module turns on float64
  (``jax.config.update("jax_enable_x64", True)``) for the whole process, because the vectors'
  tolerances assume float64. Do the same in your own adapter.
- ``linear`` is ``x @ W - b``: W has one row per input (W[i][j]: input i -> neuron j) and
  the threshold is *subtracted* (S1). A Flax/Haiku Dense layer maps to nnref as
  ``W = kernel`` and ``b = -bias``.
- Activations are ``jax.nn``'s own; losses are one-line ``jnp`` expressions; results are jax
  arrays (the runner accepts anything ``numpy.asarray`` does).
- ``gradients`` is backpropagation with JAX differentiating each piece: ``jax.grad`` of the
  loss and ``jax.vjp`` of the output activation give the output layer's dE/du; then, layer by
  layer from the last, ``jax.vjp`` of ``xW - b`` gives dE/dW, dE/db and dE/dx, and
  ``jax.vjp`` of the activation below turns dE/dx into that layer's dE/du (the tutorial's
  delta). Softmax and sigmoid + cross-entropy take dE/du from the logits through
  ``jax.nn.log_softmax`` / ``log_sigmoid``, finite for any finite logits; softmax's is the
  tutorial's y - t (S15).
- One convention differs from the tutorial: ``jax.grad(jax.nn.relu)(0.0)`` is 0, the
  tutorial's ReLU'(0) is 1 (S8). Gradients that pass a ReLU at exactly u = 0 therefore differ
  and the runner says so in one line; ``--relu-grad-at-zero 0`` checks against the library
  convention. (Beware: ``jnp.maximum(u, 0)`` would give 0.5 there.)
- Backprop through ``step`` is refused with a clear error (S5): ``jax.grad`` would otherwise
  silently give zero gradients.
- Each piece is ``jax.jit``-compiled on its own, forward and backward: one small program per
  function and argument shapes (about 145 in a check), each run in a few microseconds. Op
  by op, unjitted, every primitive costs as much, and the child's work in a check took
  twice as long (measured). ``jax.grad`` of the whole loss, traced anew on every call
  through jitted pieces, took 2.3 ms a call for three layers, and its pieces cannot take
  compiler options (JAX refuses them on a nested ``jit``); the pieces' vector-Jacobian
  products take about 0.1 ms. Jitting a whole network's loss or gradient instead would
  compile one program per network structure (layer sizes and activations, some 150 ms
  each): a check's hundreds of one-off networks would each compile one. To train one big
  network, do jit its whole gradient.
- The programs are compiled with XLA's optimisations off (``_QUICK_COMPILE``, given to each
  ``jax.jit`` here, so the rest of the process compiles as usual): for programs this
  small, optimising costs far more than it saves (about 20 ms a program instead of 35).
- Compiling is about a fifth of a first check.
  ``NNREF_JAX_CACHE=DIR`` turns on JAX's persistent compilation cache in ``DIR``, so the next
  check loads those programs from disk instead, several times faster. It is off unless asked
  for (an example should not write into your home), and a cache directory configured for JAX
  already (``JAX_COMPILATION_CACHE_DIR``) is left as it is.
"""

from __future__ import annotations

import math
import os
from numbers import Integral

import jax
import jax.numpy as jnp
import numpy as np

jax.config.update("jax_enable_x64", True)


def _persistent_cache() -> None:
    """Keep the programs JAX compiles in ``NNREF_JAX_CACHE`` for the next run, if it is set."""
    folder = os.environ.get("NNREF_JAX_CACHE", "")
    if folder in ("", "off") or getattr(jax.config, "jax_compilation_cache_dir", None):
        return
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return  # a read-only place (a sandbox): compile as usual
    if os.access(folder, os.W_OK):
        jax.config.update("jax_compilation_cache_dir", folder)
        jax.config.update("jax_persistent_cache_min_compile_time_secs", 0)


_persistent_cache()

#: XLA's options for the adapter's programs, which are tiny: optimising them costs more than
#: it saves. Only a top-level ``jax.jit`` takes them, so no piece here calls another.
_QUICK = {"xla_backend_optimization_level": 0, "xla_cpu_use_fusion_emitters": False}


def _quick_compile(options: dict) -> dict:
    """Those of ``options`` this jaxlib knows (an unknown option fails every compile)."""

    def known(chosen: dict) -> bool:
        try:
            jax.jit(lambda a: a + 1.0, compiler_options=chosen)(np.zeros(1))
        except Exception:  # jaxlib's error type has moved between versions
            return False
        return True

    if known(options):
        return options
    return {k: v for k, v in options.items() if known({k: v})}


_QUICK_COMPILE = _quick_compile(_QUICK)


def _jit(f):
    """``jax.jit(f)`` under ``_QUICK_COMPILE``."""
    return jax.jit(f, compiler_options=_QUICK_COMPILE)


DTYPE = jnp.float64
TINY = float(jnp.finfo(DTYPE).tiny)  # stands in for y_k = 0 inside ln (as in reference)


def _array(a, name: str, ndim: int) -> np.ndarray | jax.Array:
    """``a`` as a float64 array of ``ndim`` dimensions, or a one-line ValueError.

    A jax array stays one; anything else becomes a numpy array, which jax's functions take
    as they are: converting it first (``jnp.asarray``) costs several times the operation
    itself on arrays this small."""
    try:
        out = a if isinstance(a, jax.Array) else np.asarray(a, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers in a {ndim}-D list or array") from None
    if out.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {out.shape}")
    return out


def _affine_math(x, W, b):
    """u = xW - b: a layer's logits."""
    return jnp.matmul(x, W) - b


_affine = _jit(_affine_math)


#: The activations' math as plain functions of u: what the jitted pieces below compile.
_MATH = {
    "step": lambda u: jnp.where(u >= 0, 1.0, 0.0).astype(u.dtype),
    "sigmoid": jax.nn.sigmoid,
    "tanh": jnp.tanh,
    "relu": jax.nn.relu,
    "identity": lambda u: u,
    "softmax": jax.nn.softmax,
}
#: Each activation compiled on its own (one small program per width); identity computes
#: nothing, so it compiles nothing either.
_ACTIVATIONS = {name: (f if name == "identity" else _jit(f)) for name, f in _MATH.items()}


def linear(x, W, b) -> jax.Array:
    """S1/S2: u = xW - b."""
    x, W, b = _array(x, "x", 1), _array(W, "W", 2), _array(b, "b", 1)
    if W.shape != (x.size, b.size):
        raise ValueError(f"W has shape {W.shape}, expected {(x.size, b.size)}")
    return _affine(x, W, b)


def step(u) -> jax.Array:
    """S5: 1 where u >= 0, else 0."""
    return _ACTIVATIONS["step"](_array(u, "u", 1))


def sigmoid(u) -> jax.Array:
    """S6: jax.nn.sigmoid (overflow-free)."""
    return _ACTIVATIONS["sigmoid"](_array(u, "u", 1))


def tanh(u) -> jax.Array:
    """S7."""
    return _ACTIVATIONS["tanh"](_array(u, "u", 1))


def relu(u) -> jax.Array:
    """S8: max(0, u). Its jax.grad derivative at 0 is 0 (the tutorial's is 1)."""
    return _ACTIVATIONS["relu"](_array(u, "u", 1))


def identity(u) -> jax.Array:
    """S9: u itself, as a jax array (``jax.device_put`` copies it; ``jnp.asarray`` would
    compile a program to do so)."""
    return jax.device_put(_array(u, "u", 1))


def softmax(u) -> jax.Array:
    """S10: jax.nn.softmax (shifted internally, so no overflow)."""
    return _ACTIVATIONS["softmax"](_array(u, "u", 1))


ACTIVATIONS = {
    "step": step,
    "sigmoid": sigmoid,
    "tanh": tanh,
    "relu": relu,
    "identity": identity,
    "softmax": softmax,
}


def _squared_error(y, t):
    """S13/E6: 1/2 sum (y - t)^2."""
    return 0.5 * jnp.sum(jnp.square(jnp.subtract(y, t)))


def _cross_entropy(y, t):
    """S14/E1: -sum t ln y. Where t = 0, y is replaced by 1 *before* the log, so neither the
    value nor the gradient sees 0 ln 0 (a plain ``t * log(y)`` gives NaN gradients there)."""
    safe_y = jnp.where(t != 0, jnp.maximum(y, TINY), 1.0)
    return -jnp.sum(t * jnp.log(safe_y))


#: The losses' math, as plain functions of (y, t), and each compiled on its own.
_LOSS_MATH = {"squared_error": _squared_error, "cross_entropy": _cross_entropy}
LOSSES = {name: _jit(f) for name, f in _LOSS_MATH.items()}


def _float(a: jax.Array) -> float:
    """A 0-d jax array as a float (through numpy: several times faster than ``float(a)``)."""
    return np.asarray(a).item()


def _ln_domain(y, t):
    """S14 takes ln y_k wherever t_k != 0: such an output must not be negative."""
    if ((np.asarray(y) < 0) & (np.asarray(t) != 0)).any():
        raise ValueError(f"cross_entropy needs outputs y >= 0 where t != 0, got y = {y.tolist()}")
    return y, t


def _pair(y, t):
    y, t = _array(y, "y", 1), _array(t, "t", 1)
    if y.shape != t.shape:
        raise ValueError(f"the output y has {y.size} entries but the teacher t has {t.size}")
    return y, t


def squared_error(y, t) -> float:
    """S13: the loss of one sample."""
    return _float(LOSSES["squared_error"](*_pair(y, t)))


def cross_entropy(y, t) -> float:
    """S14: the loss of one sample (natural log; t_k = 0 terms contribute 0)."""
    y, t = _ln_domain(*_pair(y, t))
    return _float(LOSSES["cross_entropy"](y, t)) + 0.0  # + 0.0 turns -0.0 into 0.0


def _network(layers, n_inputs: int) -> tuple[list, list[str]]:
    """The parameters [(W, b), ...] and the activation names, every shape checked."""
    if not isinstance(layers, list | tuple) or not layers:
        raise ValueError("layers must be a non-empty list of {'W', 'b', 'activation'} dicts")
    params, names, width = [], [], n_inputs
    for k, layer in enumerate(layers):
        try:
            W, b, name = layer["W"], layer["b"], layer["activation"]
        except (KeyError, TypeError):
            raise ValueError(f"layer {k} must be a dict with keys 'W', 'b', 'activation'") from None
        if name not in ACTIVATIONS:
            raise ValueError(f"layer {k}: unknown activation {name!r} (one of {list(ACTIVATIONS)})")
        W, b = _array(W, f"layer {k} W", 2), _array(b, f"layer {k} b", 1)
        if W.shape != (width, b.size):
            raise ValueError(f"layer {k}: W has shape {W.shape}, expected {(width, b.size)}")
        params.append((W, b))
        names.append(name)
        width = b.size
    return params, names


def _run(params, names, x) -> tuple[list, list]:
    """(ys, us): each layer's input and the output (x first), and each layer's logits u."""
    ys, us = [x], []
    for (W, b), name in zip(params, names):
        us.append(_affine(ys[-1], W, b))
        ys.append(_ACTIVATIONS[name](us[-1]))
    return ys, us


def forward(layers, x) -> jax.Array:
    """The network's output for one sample."""
    x = _array(x, "x", 1)
    params, names = _network(layers, x.size)
    return _run(params, names, x)[0][-1]


def gradients(layers, x, t, loss) -> list[dict]:
    """dE/dW, dE/db of one sample by jax.grad: ``[{"W": dW, "b": db}, ...]`` (S15-S20)."""
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r} (one of {list(LOSSES)})")
    x = _array(x, "x", 1)
    params, names = _network(layers, x.size)
    for k, name in enumerate(names):
        if name == "step":
            raise ValueError(
                f"layer {k} uses the step activation, which has no derivative (S5): "
                "it cannot be backpropagated"
            )
    t = _array(t, "t", 1)
    if t.shape != params[-1][1].shape:
        width = params[-1][1].size
        raise ValueError(f"the output y has {width} entries but the teacher t has {t.size}")
    ys, us = _run(params, names, x)  # the forward pass, as ``forward`` makes it
    # backward: dE/du of the output layer, then for each layer, last first, jax.vjp of its
    # xW - b (dE/dW, dE/db and dE/dx) and of the activation below (dE/du of that layer)
    if loss == "cross_entropy":
        _ln_domain(ys[-1], t)
    if (names[-1], loss) in _FROM_LOGITS:
        du = _FROM_LOGITS[names[-1], loss](us[-1], t)
    else:  # dE/dy of the loss, then back through the output activation
        du = _ACTIVATION_VJP[names[-1]](us[-1], _LOSS_GRAD[loss](ys[-1], t))
    grads = []
    for k in range(len(params) - 1, -1, -1):
        dx, dW, db = _affine_vjp(ys[k], *params[k], du)
        grads.append({"W": dW, "b": db})
        if k:
            du = _ACTIVATION_VJP[names[k - 1]](us[k - 1], dx)
    return grads[::-1]


@_jit
def _affine_vjp(x, W, b, du):
    """dE/dx, dE/dW, dE/db of u = xW - b from dE/du (``jax.vjp``)."""
    return jax.vjp(_affine_math, x, W, b)[1](du)


def _activation_vjp(f):
    """dE/du of y = f(u) from dE/dy (``jax.vjp``), compiled once per width."""
    return _jit(lambda u, dy: jax.vjp(f, u)[1](dy)[0])


#: dE/dy of each loss by ``jax.grad``, compiled once per width.
_LOSS_GRAD = {name: _jit(jax.grad(f)) for name, f in _LOSS_MATH.items()}
_ACTIVATION_VJP = {name: _activation_vjp(f) for name, f in _MATH.items() if name != "step"}


def _softmax_cross_entropy(u, t):
    """-sum t ln softmax(u) from the logits: finite for any finite logits."""
    return -jnp.sum(t * jax.nn.log_softmax(u))


def _sigmoid_cross_entropy(u, t):
    """-sum t ln sigmoid(u) from the logits: keeps its gradient where y underflows."""
    return -jnp.sum(t * jax.nn.log_sigmoid(u))


#: dE/du straight from the logits by ``jax.grad``, where cross-entropy meets softmax (whose
#: dE/du is the tutorial's y - t) or sigmoid.
_FROM_LOGITS = {
    ("softmax", "cross_entropy"): _jit(jax.grad(_softmax_cross_entropy)),
    ("sigmoid", "cross_entropy"): _jit(jax.grad(_sigmoid_cross_entropy)),
}


def sgd_step(w, g, lr) -> jax.Array:
    """S22: w - lr g."""
    w, g = _array(w, "w", 1), _array(g, "g", 1)
    if w.shape != g.shape:
        raise ValueError(f"sgd_step: w has {w.size} entries but g has {g.size}")
    return _sgd(w, g, lr)


@_jit
def _sgd(w, g, lr):
    return w - lr * g


def adam_step(w, g, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """S23, Algorithm 1 of Kingma & Ba at step t (1-based); returns (w, m, v).

    (optax.adam computes the same update but keeps m, v and t in its optimizer state.)
    """
    if isinstance(t, bool) or not isinstance(t, Integral) or t < 1:
        raise ValueError(f"adam_step: the step number t must be an integer >= 1, got {t!r}")
    w, g, m, v = (_array(a, k, 1) for a, k in zip((w, g, m, v), "wgmv"))
    # the bias corrections 1 - beta^t in Python: t changes every step, the program does not
    return _adam(w, g, m, v, lr, beta1, beta2, eps, 1.0 - beta1**t, 1.0 - beta2**t)


@_jit
def _adam(w, g, m, v, lr, beta1, beta2, eps, correction1, correction2):
    m = beta1 * m + (1.0 - beta1) * g
    v = beta2 * v + (1.0 - beta2) * g * g
    m_hat, v_hat = m / correction1, v / correction2
    return w - lr * m_hat / (jnp.sqrt(v_hat) + eps), m, v


def box_muller(x, y) -> float:
    """S25: sqrt(-2 ln x) cos(2 pi y), x in (0, 1]."""
    if not 0.0 < x <= 1.0:
        raise ValueError(f"box_muller: x must lie in (0, 1] (ln x), got {x!r}")
    return _float(_box_muller(float(x), float(y)))


@_jit
def _box_muller(x, y):
    return jnp.sqrt(-2.0 * jnp.log(x)) * jnp.cos(2.0 * math.pi * y)
