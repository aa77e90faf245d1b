"""Named, bounded hypothesis strategies for the reference's tests."""

import random

from hypothesis import strategies as st

from nnref import reference as r
from nnref.conformance.protocol.names import HIDDEN, LOSSES

#: Output activations drawn here: the self-check's three, plus tanh (range -1..1, S7).
OUTPUTS = ("identity", "softmax", "sigmoid", "tanh")

moderate = st.floats(min_value=-3.0, max_value=3.0, allow_nan=False)
logits = st.lists(st.floats(min_value=-50.0, max_value=50.0), min_size=1, max_size=8)
finite = st.floats(allow_nan=False, allow_infinity=False)
finite_vectors = st.lists(finite, min_size=1, max_size=6)


@st.composite
def small_networks(draw, hidden=HIDDEN, outputs=OUTPUTS, losses=LOSSES):
    """(layers, x, t, loss): 1-3 layers of width 1-4, weights from a seeded Box-Muller init.

    t is a probability vector for cross-entropy (one-hot or soft) and any target for
    squared error; cross-entropy is paired only with outputs in (0, 1).
    """
    loss = draw(st.sampled_from(losses))
    out_choices = [a for a in outputs if loss == "squared_error" or a in ("softmax", "sigmoid")]
    output = draw(st.sampled_from(out_choices))
    depth = draw(st.integers(0, 2))
    sizes = draw(st.lists(st.integers(1, 4), min_size=depth + 2, max_size=depth + 2))
    if output == "softmax":
        sizes[-1] = max(sizes[-1], 2)
    acts = [draw(st.sampled_from(hidden)) for _ in range(depth)] + [output]
    layers = r.init_layers(sizes, acts, random.Random(draw(st.integers(0, 2**32))))
    for layer in layers:
        layer["b"] = [draw(moderate) for _ in layer["b"]]
    x = [draw(moderate) for _ in range(sizes[0])]
    if loss == "cross_entropy":
        raw = [draw(st.floats(0.0, 1.0)) for _ in range(sizes[-1])]
        total = sum(raw)
        t = [v / total for v in raw] if total > 0.1 else [1.0] + [0.0] * (sizes[-1] - 1)
    else:
        t = [draw(moderate) for _ in range(sizes[-1])]
    return layers, x, t, loss
