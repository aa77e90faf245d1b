"""PyTorch as an nnref implementation: torch does the math, autograd the gradients.

Check it with ``nnref check nnref.conformance.adapters.torch_impl --relu-grad-at-zero 0``.
Install the CPU build first: ``pip install torch==2.13.0``.

How the protocol (conformance/protocol/README.md) maps onto PyTorch:

- Arguments arrive as plain lists; ``torch.as_tensor(..., dtype=torch.float64)`` turns them
  into tensors. Everything runs in float64: the vectors' tolerances assume it.
- ``linear`` is ``x @ W - b``: nnref's W has one row per input (W[i][j]: input i -> neuron j)
  and the threshold is *subtracted* (S1). ``torch.nn.Linear`` stores the transpose and adds its
  bias, so a Linear layer maps to nnref as ``W = weight.T`` and ``b = -bias``.
- Activations are torch's own (``torch.sigmoid``, ``torch.softmax``, ...), losses are
  one-line torch expressions, and results are returned as tensors (the runner accepts them).
- ``gradients`` builds the loss from fresh leaf tensors and asks ``torch.autograd.grad`` for
  dE/dW and dE/db. Softmax + cross-entropy goes through ``torch.log_softmax`` of the logits,
  which is finite for any finite logits and whose gradient is the tutorial's y - t (S15).
- One convention differs from the tutorial: autograd's ReLU'(0) is 0, the tutorial's is 1
  (S8). Gradients that pass a ReLU at exactly u = 0 therefore differ, and the runner says so
  in one line; ``--relu-grad-at-zero 0`` checks against the library convention instead.
- Backprop through ``step`` is refused with a clear error (S5): autograd would otherwise
  silently give zero gradients (a comparison has no gradient).
"""

from __future__ import annotations

import math
from numbers import Integral

import torch

DTYPE = torch.float64
TINY = torch.finfo(DTYPE).tiny  # stands in for y_k = 0 inside ln (as in reference)


def _tensor(a, name: str, ndim: int) -> torch.Tensor:
    """``a`` as a float64 tensor of ``ndim`` dimensions, or a one-line ValueError."""
    try:
        out = torch.as_tensor(a, dtype=DTYPE)
    except (TypeError, ValueError, RuntimeError):
        raise ValueError(f"{name} must be numbers in a {ndim}-D list or array") from None
    if out.dim() != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {tuple(out.shape)}")
    return out


def linear(x, W, b) -> torch.Tensor:
    """S1/S2: u = xW - b."""
    x, W, b = _tensor(x, "x", 1), _tensor(W, "W", 2), _tensor(b, "b", 1)
    if W.shape != (x.numel(), b.numel()):
        raise ValueError(f"W has shape {tuple(W.shape)}, expected {(x.numel(), b.numel())}")
    return x @ W - b


def step(u) -> torch.Tensor:
    """S5: 1 where u >= 0, else 0."""
    return (_tensor(u, "u", 1) >= 0).to(DTYPE)


def sigmoid(u) -> torch.Tensor:
    """S6: torch.sigmoid (overflow-free)."""
    return torch.sigmoid(_tensor(u, "u", 1))


def tanh(u) -> torch.Tensor:
    """S7."""
    return torch.tanh(_tensor(u, "u", 1))


def relu(u) -> torch.Tensor:
    """S8: max(0, u). Its autograd derivative at 0 is 0 (the tutorial's is 1)."""
    return torch.relu(_tensor(u, "u", 1))


def identity(u) -> torch.Tensor:
    """S9."""
    return _tensor(u, "u", 1).clone()


def softmax(u) -> torch.Tensor:
    """S10: torch.softmax (shifted internally, so no overflow)."""
    return torch.softmax(_tensor(u, "u", 1), dim=-1)


ACTIVATIONS = {
    "step": step,
    "sigmoid": sigmoid,
    "tanh": tanh,
    "relu": relu,
    "identity": identity,
    "softmax": softmax,
}


def _squared_error(y: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    """S13/E6: 1/2 sum (y - t)^2."""
    return 0.5 * ((y - t) ** 2).sum()


def _cross_entropy(y: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    """S14/E1: -sum t ln y. Where t = 0, y is replaced by 1 *before* the log, so neither the
    value nor the gradient sees 0 ln 0 (a plain ``t * log(y)`` gives NaN gradients there)."""
    safe_y = torch.where(t != 0, y.clamp_min(TINY), torch.ones_like(y))
    return -(t * torch.log(safe_y)).sum()


LOSSES = {"squared_error": _squared_error, "cross_entropy": _cross_entropy}


def squared_error(y, t) -> float:
    """S13: the loss of one sample."""
    return _squared_error(*_pair(y, t)).item()


def cross_entropy(y, t) -> float:
    """S14: the loss of one sample (natural log; t_k = 0 terms contribute 0)."""
    y, t = _ln_domain(*_pair(y, t))
    return _cross_entropy(y, t).item() + 0.0  # + 0.0 turns -0.0 into 0.0


def _ln_domain(y, t):
    """S14 takes ln y_k wherever t_k != 0: such an output must not be negative."""
    if bool(((y < 0) & (t != 0)).any()):
        raise ValueError(f"cross_entropy needs outputs y >= 0 where t != 0, got y = {y.tolist()}")
    return y, t


def _pair(y, t) -> tuple[torch.Tensor, torch.Tensor]:
    y, t = _tensor(y, "y", 1), _tensor(t, "t", 1)
    if y.shape != t.shape:
        raise ValueError(f"the output y has {y.numel()} entries but the teacher t has {t.numel()}")
    return y, t


def _network(layers) -> list[tuple[torch.Tensor, torch.Tensor, str]]:
    """(W, b, activation) per layer as fresh leaf tensors that record gradients."""
    if not isinstance(layers, list | tuple) or not layers:
        raise ValueError("layers must be a non-empty list of {'W', 'b', 'activation'} dicts")
    net = []
    for k, layer in enumerate(layers):
        try:
            W, b, name = layer["W"], layer["b"], layer["activation"]
        except (KeyError, TypeError):
            raise ValueError(f"layer {k} must be a dict with keys 'W', 'b', 'activation'") from None
        if name not in ACTIVATIONS:
            raise ValueError(f"layer {k}: unknown activation {name!r} (one of {list(ACTIVATIONS)})")
        W = _tensor(W, f"layer {k} W", 2).detach().clone().requires_grad_(True)
        b = _tensor(b, f"layer {k} b", 1).detach().clone().requires_grad_(True)
        net.append((W, b, name))
    return net


def _run(net, x) -> tuple[torch.Tensor, torch.Tensor]:
    """The last layer's logits u and output y."""
    y = _tensor(x, "x", 1)
    for k, (W, b, name) in enumerate(net):
        if W.shape != (y.numel(), b.numel()):
            raise ValueError(
                f"layer {k}: W has shape {tuple(W.shape)}, expected {(y.numel(), b.numel())}"
            )
        u = y @ W - b
        y = ACTIVATIONS[name](u)
    return u, y


def forward(layers, x) -> torch.Tensor:
    """The network's output for one sample."""
    with torch.no_grad():
        return _run(_network(layers), x)[1]


def gradients(layers, x, t, loss) -> list[dict]:
    """dE/dW, dE/db of one sample by autograd: ``[{"W": dW, "b": db}, ...]`` (S15-S20)."""
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r} (one of {list(LOSSES)})")
    net = _network(layers)
    for k, (_, _, name) in enumerate(net):
        if name == "step":
            raise ValueError(
                f"layer {k} uses the step activation, which has no derivative (S5): "
                "it cannot be backpropagated"
            )
    u, y = _run(net, x)
    y, t = _pair(y, t)
    if loss == "cross_entropy":
        _ln_domain(y.detach(), t)
    if net[-1][2] == "softmax" and loss == "cross_entropy":
        E = -(t * torch.log_softmax(u, dim=-1)).sum()  # finite for finite logits
    elif net[-1][2] == "sigmoid" and loss == "cross_entropy":
        E = -(t * torch.nn.functional.logsigmoid(u)).sum()  # keeps its gradient where y = 0
    else:
        E = LOSSES[loss](y, t)
    flat = torch.autograd.grad(E, [p for W, b, _ in net for p in (W, b)])
    return [{"W": flat[2 * k], "b": flat[2 * k + 1]} for k in range(len(net))]


def sgd_step(w, g, lr) -> torch.Tensor:
    """S22: w - lr g."""
    w, g = _tensor(w, "w", 1), _tensor(g, "g", 1)
    if w.shape != g.shape:
        raise ValueError(f"sgd_step: w has {w.numel()} entries but g has {g.numel()}")
    return w - lr * g


def adam_step(w, g, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """S23, Algorithm 1 of Kingma & Ba at step t (1-based); returns (w, m, v).

    ``torch.optim.Adam`` computes the same update (rounded in a different order), but keeps
    m, v and t inside the optimizer object; the protocol passes them in and out explicitly.
    """
    if isinstance(t, bool) or not isinstance(t, Integral) or t < 1:
        raise ValueError(f"adam_step: the step number t must be an integer >= 1, got {t!r}")
    w, g = _tensor(w, "w", 1), _tensor(g, "g", 1)
    m = beta1 * _tensor(m, "m", 1) + (1.0 - beta1) * g
    v = beta2 * _tensor(v, "v", 1) + (1.0 - beta2) * g * g
    m_hat, v_hat = m / (1.0 - beta1**t), v / (1.0 - beta2**t)
    return w - lr * m_hat / (torch.sqrt(v_hat) + eps), m, v


def box_muller(x, y) -> float:
    """S25: sqrt(-2 ln x) cos(2 pi y), x in (0, 1]."""
    if not 0.0 < x <= 1.0:
        raise ValueError(f"box_muller: x must lie in (0, 1] (ln x), got {x!r}")
    x, y = torch.tensor(x, dtype=DTYPE), torch.tensor(y, dtype=DTYPE)
    return (torch.sqrt(-2.0 * torch.log(x)) * torch.cos(2.0 * math.pi * y)).item()
