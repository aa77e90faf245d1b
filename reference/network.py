"""Forward and backward passes through a network of dense layers (S15-S20).

A network is a list of layers ``{"W": W, "b": b, "activation": name}`` (the
implementation protocol (conformance/protocol/README.md)). The forward pass records, for every
layer, its input x, u (weighted sums minus thresholds) and outputs y: the backward pass needs
them (S12). Backpropagation starts from the output error delta = dE/du and
walks the layers in reverse, one dense backward (S20) and one activation
backward (S19) per layer.
"""

from __future__ import annotations

from dataclasses import dataclass

from nnref.reference.activations import get_activation
from nnref.reference.errors import NetworkError
from nnref.reference.layer import input_gradient, linear, linear_backward
from nnref.reference.losses import get_loss

Vector = list[float]


@dataclass
class Record:
    """What one layer's forward pass keeps for the backward pass (S12)."""

    x: Vector
    u: Vector
    y: Vector


def forward_pass(layers: list[dict], x: Vector) -> list[Record]:
    """Run the network on one sample, keeping x, u and y of every layer."""
    records = []
    for layer in layers:
        u = linear(x, layer["W"], layer["b"])
        y = get_activation(layer["activation"]).f(u)
        records.append(Record(x, u, y))
        x = y
    return records


def output_delta(
    activation: str, loss: str, u: Vector, y: Vector, t: Vector, relu_grad_at_zero: float = 1.0
) -> Vector:
    """S15: delta = dE/du of the output layer.

    For the canonical pairs (identity + squared error, softmax + cross-entropy)
    this is the tutorial's y - t. Softmax + cross-entropy is written
    y * sum(t) - t, which is y - t exactly when t is one-hot (sum t = 1) and
    stays the true gradient when it is not; sigmoid + cross-entropy is
    -t (1 - y), computed from u. Every other pair takes the general chain:
    dE/dy times the activation's Jacobian (S19), with ReLU'(0) =
    ``relu_grad_at_zero`` at an output ReLU's kink.
    """
    spec = get_loss(loss)
    pair = spec.from_u.get(activation)
    if pair is not None:
        return pair.delta(u, y, t)
    return get_activation(activation).backward(u, y, spec.gradient(y, t), relu_grad_at_zero)


def backward_pass(
    layers: list[dict], records: list[Record], delta: Vector, relu_grad_at_zero: float = 1.0
) -> list[dict]:
    """S20, repeated down to the input layer: one {"W": dW, "b": db} per layer."""
    grads = []
    for index in range(len(layers) - 1, -1, -1):
        dW, db = linear_backward(records[index].x, delta)
        grads.append({"W": dW, "b": db})
        if index > 0:
            below = records[index - 1]
            dx = input_gradient(layers[index]["W"], delta)
            activation = get_activation(layers[index - 1]["activation"])
            delta = _through(activation, below, dx, relu_grad_at_zero, index - 1)
    grads.reverse()
    return grads


def _through(activation, record: Record, dy: Vector, relu_grad_at_zero: float, index: int):
    """S19 through a hidden layer's activation, naming the layer if it has no derivative."""
    if not activation.differentiable:
        raise _no_derivative_error(index, activation.name)
    return activation.backward(record.u, record.y, dy, relu_grad_at_zero)


def _no_derivative_error(index: int, name: str) -> NetworkError:
    return NetworkError(
        f"layer {index} uses the {name} activation, which has no derivative (S5): "
        "it cannot be backpropagated"
    )


def forward(layers: list[dict], x: Vector) -> Vector:
    """The network's output for one sample (protocol ``forward``)."""
    check_network(layers, len(x))
    return forward_pass(layers, list(x))[-1].y


def loss_value(layers: list[dict], x: Vector, t: Vector, loss: str) -> float:
    """E of one sample; cross-entropy after softmax or sigmoid is computed from u (finite)."""
    check_network(layers, len(x))
    check_teacher(layers, t)
    return _loss_of(layers, forward_pass(layers, list(x))[-1], list(t), loss)


def _loss_of(layers: list[dict], last: Record, t: Vector, loss: str) -> float:
    """E of one sample from the output layer's record; through u where the loss allows it."""
    spec = get_loss(loss)
    pair = spec.from_u.get(layers[-1]["activation"])
    if pair is not None and pair.value is not None:
        return pair.value(last.u, t)
    return spec.value(last.y, t)


def gradients(
    layers: list[dict], x: Vector, t: Vector, loss: str, relu_grad_at_zero: float = 1.0
) -> list[dict]:
    """Gradients of one sample's loss (S15-S20): a list of {"W": dW, "b": db}, one per layer."""
    _check_sample(layers, x, t, loss)
    return sample_gradients(layers, list(x), list(t), loss, relu_grad_at_zero)


def sample_gradients(
    layers: list[dict], x: Vector, t: Vector, loss: str, relu_grad_at_zero: float = 1.0
) -> list[dict]:
    """``gradients`` without the input checks: forward, output delta (S15), backward (S20)."""
    return _backprop(layers, forward_pass(layers, x), t, loss, relu_grad_at_zero)


def _backprop(
    layers: list[dict], records: list[Record], t: Vector, loss: str, relu_grad_at_zero: float
) -> list[dict]:
    """From a forward pass's records: the output delta (S15), then backward (S20)."""
    last, output = records[-1], get_activation(layers[-1]["activation"])
    if not output.differentiable:
        raise _no_derivative_error(len(layers) - 1, output.name)
    delta = output_delta(output.name, loss, last.u, last.y, t, relu_grad_at_zero)
    return backward_pass(layers, records, delta, relu_grad_at_zero)


def batch_gradients(
    layers: list[dict],
    xs: list[Vector],
    ts: list[Vector],
    loss: str,
    relu_grad_at_zero: float = 1.0,
) -> list[dict]:
    """Gradients of a batch's loss, which is the MEAN of its samples' losses."""
    return batch_loss_and_gradients(layers, xs, ts, loss, relu_grad_at_zero)[1]


def batch_loss_and_gradients(
    layers: list[dict],
    xs: list[Vector],
    ts: list[Vector],
    loss: str,
    relu_grad_at_zero: float = 1.0,
    *,
    check: bool = True,
) -> tuple[float, list[dict]]:
    """(mean loss, mean gradients) of a batch: the one batch loop (training uses it too).

    Each sample is checked just before its turn unless ``check`` is False
    (training checks its data once, up front).
    """
    if not xs or len(xs) != len(ts):
        raise NetworkError(f"a batch needs as many teachers as inputs, got {len(xs)} and {len(ts)}")
    total_loss, total = 0.0, None
    for x, t in zip(xs, ts):
        if check:
            _check_sample(layers, x, t, loss)
        x, t = list(x), list(t)
        records = forward_pass(layers, x)
        total_loss += _loss_of(layers, records[-1], t, loss)
        g = _backprop(layers, records, t, loss, relu_grad_at_zero)
        total = g if total is None else add_gradients(total, g)
    if len(xs) > 1:
        total = scale_gradients(total, 1.0 / len(xs))
    return total_loss / len(xs), total


def add_gradients(a: list[dict], b: list[dict]) -> list[dict]:
    """Entry by entry a + b of two gradients shaped like the network."""
    return [
        {
            "W": [[p + q for p, q in zip(ra, rb)] for ra, rb in zip(la["W"], lb["W"])],
            "b": [p + q for p, q in zip(la["b"], lb["b"])],
        }
        for la, lb in zip(a, b)
    ]


def scale_gradients(grads: list[dict], c: float) -> list[dict]:
    """Every entry of a gradient times c (c = 1/n makes a batch's sum its mean)."""
    return [
        {"W": [[c * v for v in row] for row in g["W"]], "b": [c * v for v in g["b"]]} for g in grads
    ]


def _check_sample(layers: list[dict], x: Vector, t: Vector, loss: str) -> None:
    check_network(layers, len(x))
    check_teacher(layers, t)
    get_loss(loss)


def check_network(layers: list[dict], n_inputs: int) -> None:
    """Raise a one-line NetworkError unless ``layers`` is a network over ``n_inputs`` inputs."""
    if not isinstance(layers, list | tuple) or not layers:
        raise NetworkError("a network is a non-empty list of layers {'W', 'b', 'activation'}")
    width = n_inputs
    for index, layer in enumerate(layers):
        if not isinstance(layer, dict) or not {"W", "b", "activation"} <= layer.keys():
            raise NetworkError(f"layer {index} must be a dict with keys 'W', 'b' and 'activation'")
        W, b = layer["W"], layer["b"]
        get_activation(layer["activation"])
        if len(W) != width:
            raise NetworkError(
                f"layer {index}: W has {len(W)} rows but its input has {width} entries"
            )
        m = len(b)
        for i, row in enumerate(W):
            if len(row) != m:
                raise NetworkError(
                    f"layer {index}: W[{i}] has {len(row)} columns but b has {m} entries"
                )
        width = m


def check_teacher(layers: list[dict], t: Vector) -> None:
    """Raise unless the teacher has one entry per output neuron."""
    outputs = len(layers[-1]["b"])
    if len(t) != outputs:
        raise NetworkError(
            f"the teacher has {len(t)} entries but the network has {outputs} outputs"
        )
