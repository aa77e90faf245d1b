"""nnref's reference network: the tutorial in plain Python, standard library only.

This namespace is itself a conforming implementation of the protocol in
conformance/protocol/README.md, so ``nnref check nnref.reference`` checks it like
anyone else's code:

- ``linear(x, W, b)``: u = xW - b (S1, S2)
- ``step``, ``sigmoid``, ``tanh``, ``relu``, ``identity``, ``softmax`` (S5-S10)
- ``squared_error(y, t)``, ``cross_entropy(y, t)`` (S13, S14)
- ``forward(layers, x)``, ``gradients(layers, x, t, loss)`` (S15-S20)
- ``sgd_step(w, g, lr)``, ``adam_step(w, g, m, v, t, ...)`` (S22, S23)
- ``box_muller(x, y)`` (S25)
- ``encode_applicant(income_yen, has_loan, detached_house)`` (S4, an extra the runner checks)

Modules: ``activations`` and ``losses`` (each function beside its
derivative), ``layer`` (dense forward and backward), ``network`` (backprop),
``optimizers``, ``init``, ``serialize`` (JSON), ``tutorial`` (the tutorial's
3-2-3-3 network).
"""

from nnref.reference.activations import (
    ACTIVATIONS,
    identity,
    log_softmax,
    relu,
    sigmoid,
    softmax,
    step,
    tanh,
)
from nnref.reference.errors import NetworkError
from nnref.reference.init import box_muller, gaussian, init_layers
from nnref.reference.layer import linear
from nnref.reference.losses import LOSSES, cross_entropy, squared_error
from nnref.reference.network import batch_gradients, forward, gradients, loss_value
from nnref.reference.optimizers import SGD, Adam, adam_step, sgd_step
from nnref.reference.serialize import load_network, save_network
from nnref.reference.tutorial import (
    TUTORIAL_LAYERS,
    TUTORIAL_T,
    TUTORIAL_X,
    encode_applicant,
    tutorial_layers,
)

__all__ = [
    "ACTIVATIONS",
    "LOSSES",
    "SGD",
    "TUTORIAL_LAYERS",
    "TUTORIAL_T",
    "TUTORIAL_X",
    "Adam",
    "NetworkError",
    "adam_step",
    "batch_gradients",
    "box_muller",
    "cross_entropy",
    "encode_applicant",
    "forward",
    "gaussian",
    "gradients",
    "identity",
    "init_layers",
    "linear",
    "load_network",
    "log_softmax",
    "loss_value",
    "relu",
    "save_network",
    "sgd_step",
    "sigmoid",
    "softmax",
    "squared_error",
    "step",
    "tanh",
    "tutorial_layers",
]
