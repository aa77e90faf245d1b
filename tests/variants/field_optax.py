"""A thin adapter for JAX with optax, in JAX's default float32 (x64 stays off): jax.nn's
activations, a dense layer written as flax.linen.Dense computes it (x W + b), optax's losses
(``l2_loss``; ``softmax_cross_entropy`` given ln y, as one writes a cross-entropy of
probabilities with it), gradients by ``jax.grad``, and optax's ``sgd`` and ``adam``.

Differences from the tutorial, read from the source (FIELD.md lists them with lines): the
bias is added, jax.nn.relu's ReLU'(0) = 0, float32, and the log-softmax of ln y renormalises y.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import optax

RIGHT_CONVENTIONS = {"threshold": "added", "relu_grad_at_zero": "0", "precision": "float32"}
ACT = {
    "sigmoid": jax.nn.sigmoid,
    "tanh": jnp.tanh,
    "relu": jax.nn.relu,
    "identity": lambda u: u,
    "softmax": jax.nn.softmax,
}


def _f(a):
    return jnp.asarray(np.asarray(a, dtype=np.float32))


def _plain(a):
    return np.asarray(a, dtype=float).tolist()


def linear(x, W, b):
    return _plain(_f(x) @ _f(W) + _f(b))


sigmoid, tanh, relu, identity, softmax = (
    (lambda u, f=ACT[n]: _plain(f(_f(u))))
    for n in ("sigmoid", "tanh", "relu", "identity", "softmax")
)


def _squared_error(y, t):
    return jnp.sum(optax.losses.l2_loss(y, t))


def _cross_entropy(y, t):
    return optax.losses.softmax_cross_entropy(jnp.log(y), t)


LOSS = {"squared_error": _squared_error, "cross_entropy": _cross_entropy}


def squared_error(y, t):
    return float(_squared_error(_f(y), _f(t)))


def cross_entropy(y, t):
    return float(_cross_entropy(_f(y), _f(t)))


def _run(params, acts, x):
    for (W, b), act in zip(params, acts):
        x = ACT[act](x @ W + b)
    return x


def _params(layers):
    if any(la["activation"] == "step" for la in layers):
        raise NotImplementedError("no step activation in jax.nn")
    return [(_f(la["W"]), _f(la["b"])) for la in layers], [la["activation"] for la in layers]


def forward(layers, x):
    params, acts = _params(layers)
    return _plain(_run(params, acts, _f(x)))


def gradients(layers, x, t, loss):
    params, acts = _params(layers)
    grads = jax.grad(lambda p: LOSS[loss](_run(p, acts, _f(x)), _f(t)))(params)
    return [{"W": _plain(dW), "b": _plain(db)} for dW, db in grads]


def sgd_step(w, g, lr):
    updates, _ = optax.sgd(lr).update(_f(g), optax.sgd(lr).init(_f(w)))
    return _plain(optax.apply_updates(_f(w), updates))


def adam_step(w, g, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    opt = optax.adam(lr, b1=beta1, b2=beta2, eps=eps)
    state = opt.init(_f(w))
    adam_state = state[0]._replace(count=jnp.asarray(t - 1, dtype=jnp.int32), mu=_f(m), nu=_f(v))
    updates, (new, *_) = opt.update(_f(g), (adam_state, *state[1:]))
    return _plain(optax.apply_updates(_f(w), updates)), _plain(new.mu), _plain(new.nu)
