"""The JAX adapter compiles per piece and shape, never per network (issue 17).

Each piece (a layer's xW - b, an activation, a loss) is one jitted program per argument
shapes, so a network built from pieces already seen compiles nothing new, whatever its
activations' order. That is what keeps ``nnref check`` of the adapter, with its hundreds of
one-off networks, within a few times the reference's time. (Widths 7 and 9: sizes the other
tests do not use, so the programs counted are this test's own.)
"""

from __future__ import annotations

import logging

import pytest

from tests.adapters.cases import arr, load, random_network, sample


class _Compiles(logging.Handler):
    """Counts the programs JAX compiles (or loads from a cache) while it is attached."""

    def __init__(self):
        super().__init__()
        self.names: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("Compiling "):
            self.names.append(message.split(" ")[1])


def _compiled(jax, run) -> list[str]:
    """The programs compiled while ``run()`` ran."""
    counter, logger = _Compiles(), logging.getLogger("jax")
    logger.addHandler(counter)
    try:
        with jax.log_compiles(True):
            run()
    finally:
        logger.removeHandler(counter)
    return counter.names


def _use(impl, sizes, activations, seed):
    """forward, the squared error of its output, and gradients of one network."""
    layers, x = random_network(seed, sizes, activations), sample(seed, sizes[0])
    t = [0.5] * sizes[-1]
    impl.squared_error(impl.forward(layers, x), t)
    impl.gradients(layers, x, t, "squared_error")


def test_a_network_of_known_pieces_compiles_nothing():
    jax, impl = pytest.importorskip("jax"), load("jax")
    for seed, acts in enumerate((["tanh", "sigmoid"], ["sigmoid", "tanh"])):
        _use(impl, [9, 7, 7], acts, seed)
    # the same layer sizes, activations in new orders, new numbers: no new program
    compiled = _compiled(
        jax,
        lambda: [_use(impl, [9, 7, 7], acts, 10) for acts in (["tanh"] * 2, ["sigmoid"] * 2)],
    )
    assert compiled == []


def test_a_first_layer_shares_the_programs_of_an_inner_layer():
    jax, impl = pytest.importorskip("jax"), load("jax")
    _use(impl, [9, 7, 7], ["tanh", "sigmoid"], 20)  # 7 -> 7 as the second layer
    # ... and now as the first: its gradients need no other program
    assert _compiled(jax, lambda: _use(impl, [7, 7], ["sigmoid"], 21)) == []


@pytest.mark.spec("S20")
@pytest.mark.parametrize("loss", ["squared_error", "cross_entropy"])
def test_layer_by_layer_gradients_are_jax_grad_of_the_whole_loss(loss):
    """The adapter chains JAX's derivative of each piece; the chain must give exactly what
    ``jax.grad`` of the whole network's loss gives, written here in plain ``jnp``."""
    jax, impl = pytest.importorskip("jax"), load("jax")
    jnp = jax.numpy
    math = {"sigmoid": jax.nn.sigmoid, "tanh": jnp.tanh, "relu": jax.nn.relu}
    math.update(identity=lambda u: u, softmax=jax.nn.softmax)

    def energy(params, x, t, names):
        y = x
        for (W, b), name in zip(params, names):
            y = math[name](y @ W - b)
        if loss == "cross_entropy":
            return -jnp.sum(t * jnp.log(y))
        return 0.5 * jnp.sum((y - t) ** 2)

    hidden = ["sigmoid", "tanh", "relu", "identity"]
    for seed in range(8):
        out = ("softmax", "sigmoid")[seed % 2] if loss == "cross_entropy" else hidden[seed % 4]
        names = [hidden[seed % 4], hidden[(seed + 1) % 4], out]
        sizes = [3, 4, 5, 2]
        layers, x = random_network(seed, sizes, names), sample(seed, sizes[0])
        t = [0.0, 1.0] if loss == "cross_entropy" else [0.3, -0.2]
        params = [(jnp.array(ly["W"]), jnp.array(ly["b"])) for ly in layers]
        want = jax.grad(energy)(params, jnp.array(x), jnp.array(t), names)
        got = impl.gradients(layers, x, t, loss)
        for k, (dW, db) in enumerate(want):
            assert abs(arr(got[k]["W"]) - arr(dW)).max() < 1e-12, (seed, k)
            assert abs(arr(got[k]["b"]) - arr(db)).max() < 1e-12, (seed, k)


def test_a_compile_option_this_jaxlib_does_not_know_is_left_out():
    """An unknown XLA option fails every compile; the adapter keeps only the known ones."""
    pytest.importorskip("jax")
    impl = load("jax")
    chosen = impl._quick_compile({"xla_backend_optimization_level": 0, "no_such_option": 1})
    assert chosen == {"xla_backend_optimization_level": 0}
