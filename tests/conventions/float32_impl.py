"""The numpy adapter computing in float32 (a correct float32 implementation), and wrong ones.

``nnref.conformance.adapters.numpy_impl`` converts its arguments with ``_array``; a
separate copy of the module whose ``_array`` returns float32 arrays computes
every operation in float32 (Python-float hyperparameters stay weak scalars
under numpy's promotion rules), and its ``TINY`` becomes float32's. The
wrong copies each carry one mistake found in real code.
"""

from __future__ import annotations

import importlib.util
from types import ModuleType

import numpy as np

from nnref.conformance.adapters import numpy_impl


def float32_module(name: str = "numpy_impl_float32", float32: bool = True) -> ModuleType:
    """A fresh copy of the numpy adapter, computing in float32 (or, to compare, float64)."""
    spec = importlib.util.spec_from_file_location(name, numpy_impl.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not float32:
        return module
    checked = module._array
    module._array = lambda a, what, ndim: checked(a, what, ndim).astype(np.float32)
    module.TINY = np.float32(np.finfo(np.float32).tiny)
    return module


def _threshold_added(module):
    def linear(x, W, b):
        x, W, b = (module._array(a, n, d) for a, n, d in ((x, "x", 1), (W, "W", 2), (b, "b", 1)))
        return x @ W + b

    module.linear = linear


def _softmax_diagonal(module):
    module.BACKWARD["softmax"] = lambda u, y, dy, r0: dy * y * (1.0 - y)


def _adam_without_t(module):
    def adam_step(w, g, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        w, g = module._array(w, "w", 1), module._array(g, "g", 1)
        m = beta1 * module._array(m, "m", 1) + (1.0 - beta1) * g
        v = beta2 * module._array(v, "v", 1) + (1.0 - beta2) * g * g
        m_hat, v_hat = m / (1.0 - beta1), v / (1.0 - beta2)
        return w - lr * m_hat / (np.sqrt(v_hat) + eps), m, v

    module.adam_step = adam_step


#: mistake -> (how to make it, the operation whose cases it must fail)
MISTAKES = {
    "threshold added (xW + b)": (_threshold_added, "linear"),
    "softmax backward: diagonal of the Jacobian only": (_softmax_diagonal, "gradients"),
    "Adam bias correction without the step number": (_adam_without_t, "adam_step"),
}


def wrong_module(mistake: str, float32: bool = True) -> ModuleType:
    """A copy of the numpy adapter with one mistake, in float32 (or float64)."""
    module = float32_module(f"numpy_impl_wrong_{len(mistake)}", float32)
    MISTAKES[mistake][0](module)
    return module
