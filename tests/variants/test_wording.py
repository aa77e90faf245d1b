"""A callable that raises NotImplementedError on one network is said to, with the network."""

from __future__ import annotations

import pytest

from nnref.conformance.judge.faults import NotProvided
from nnref.conformance.properties.suite import call


def _gradients(layers, x, t, loss):
    raise NotImplementedError("one hidden activation throughout")


@pytest.mark.spec("S20")
def test_not_provided_names_the_network_and_the_reason():
    layers = [
        {"W": [[1.0, 2.0]], "b": [0.0, 0.0], "activation": "relu"},
        {"W": [[1.0], [2.0]], "b": [0.0], "activation": "sigmoid"},
    ]
    with pytest.raises(NotProvided) as info:
        call({"gradients": _gradients}, "gradients", layers, [1.0], [0.5], "squared_error")
    assert info.value.said() == (
        "gradients on a 1-2-1 network (relu, sigmoid) raises NotImplementedError: "
        "one hidden activation throughout"
    )
