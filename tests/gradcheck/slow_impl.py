"""A correct implementation whose forward hangs on the first network with tanh hidden layers.

Before it hangs it creates the file named by ``NNREF_TEST_HANGING`` (when set),
so a test knows the sigmoid cases are done and a call is in flight.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from tests.gradcheck.impls import correct

squared_error, cross_entropy, gradients = (
    correct.squared_error,
    correct.cross_entropy,
    correct.gradients,
)


def forward(layers, x):
    if layers[0]["activation"] == "tanh":
        marker = os.environ.get("NNREF_TEST_HANGING")
        if marker:
            Path(marker).touch()
        time.sleep(600)
    return correct.forward(layers, x)
