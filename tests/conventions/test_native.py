"""The input-type convention: plain-list arguments as arrays or tensors, and results back."""

from __future__ import annotations

import copy
import importlib.util
import math
import sys
import warnings

import numpy as np
import pytest

from nnref.conformance.check.options import CheckOptions
from nnref.conformance.errors import NnrefError
from nnref.conformance.judge.results import PASS
from nnref.conformance.judge.verdict import judge
from nnref.conformance.protocol.native import to_native, to_plain
from nnref.conformance.protocol.operations import OPERATIONS
from nnref.conformance.vectors.load import load_cases


def needs_torch(test):
    """Skipped without torch; marked slow, since importing torch takes seconds."""
    missing = importlib.util.find_spec("torch") is None
    skip = pytest.mark.skipif(missing, reason="needs torch: pip install torch")
    return pytest.mark.slow(skip(test))


LAYERS = [{"W": [[1.0, -2.0], [0.5, 3.0]], "b": [0.1, -0.3], "activation": "relu"}]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_numpy_arrays_for_numbers_and_everything_else_kept(dtype):
    args = {"layers": LAYERS, "x": [1, 0], "t": 3, "loss": "squared_error", "lr": 0.1}
    native = to_native(copy.deepcopy(args), "numpy", dtype)
    W = native["layers"][0]["W"]
    assert isinstance(W, np.ndarray) and W.dtype == np.dtype(dtype) and W.shape == (2, 2)
    assert native["x"].dtype == np.dtype(dtype)  # integers inside data become floats
    assert native["layers"][0]["activation"] == "relu" and native["loss"] == "squared_error"
    assert native["t"] == 3 and isinstance(native["t"], int)  # a step number stays an int
    assert native["lr"] == 0.1 and isinstance(native["lr"], float)  # a hyperparameter too


def test_a_number_that_is_data_becomes_a_0d_array():
    native = to_native({"x": 0.25, "y": 0.5}, "numpy", "float32")
    assert native["x"].shape == () and native["x"].dtype == np.float32


def test_lists_stay_lists_and_float32_rounds_them():
    assert to_native({"u": [0.1]}, "list", "float64") == {"u": [0.1]}
    (rounded,) = to_native({"u": [0.1]}, "list", "float32")["u"]
    assert isinstance(rounded, float) and rounded == float(np.float32(0.1)) != 0.1


def test_ragged_lists_are_converted_element_by_element():
    native = to_native({"grads": [[1.0, 2.0], [3.0]]}, "numpy", "float64")["grads"]
    assert isinstance(native, list) and [a.shape for a in native] == [(2,), (1,)]


def test_unknown_input_type_or_precision_is_one_line():
    with pytest.raises(NnrefError, match="input_type must be one of list, numpy, torch"):
        to_native({}, "cupy", "float64")
    with pytest.raises(NnrefError, match="precision must be one of"):
        to_native({}, "numpy", "float16")


def test_torch_not_installed_is_one_line(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch now raises ImportError
    with pytest.raises(NnrefError, match="needs PyTorch, which is not installed: pip install"):
        to_native({"u": [1.0]}, "torch", "float64")


def test_to_plain_numpy_tuples_dicts_and_non_finite():
    result = (np.array([1.0, np.nan], dtype=np.float32), np.float64(np.inf), {"b": np.int64(2)})
    plain = to_plain(result)
    assert plain[0][0] == 1.0 and math.isnan(plain[0][1]) and plain[1] == math.inf
    assert plain[2] == {"b": 2.0} and all(type(v) is float for v in (*plain[0], plain[1]))
    assert to_plain([np.array([[True, False]])]) == [[[1.0, 0.0]]]
    assert to_plain("an error message") == "an error message"


@needs_torch
def test_to_plain_tensors_that_require_grad_and_torch_inputs():
    import torch

    u = torch.tensor([0.5, -1.0], dtype=torch.float64, requires_grad=True)
    assert to_plain({"y": torch.sigmoid(u) * 2}) == {"y": (torch.sigmoid(u) * 2).tolist()}
    assert to_plain(torch.tensor([0.5, 2.0], dtype=torch.bfloat16)) == [0.5, 2.0]
    native = to_native({"layers": LAYERS}, "torch", "float32")["layers"][0]
    assert native["W"].dtype == torch.float32 and native["activation"] == "relu"


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("jax") is None, reason="needs JAX: pip install jax")
def test_to_plain_jax_arrays():
    import jax.numpy as jnp

    assert to_plain((jnp.asarray([1.5, 2.0]), jnp.float32(3.0))) == [[1.5, 2.0], 3.0]


@needs_torch
@pytest.mark.spec("S6", "S7", "S8", "S10")
@pytest.mark.parametrize("operation", ["relu", "sigmoid", "tanh", "softmax"])
def test_S6_S10_torch_nn_functional_checked_with_no_wrapper(operation):
    """``torch.nn.functional``'s activations take tensors: converted, they pass every vector."""
    import torch.nn.functional as F

    cases = [c for c in load_cases()[0] if c["operation"] == operation]
    assert cases
    fns = {operation: getattr(F, operation)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # softmax without dim= warns, and picks dim 0 for 1-D
        for case in cases:
            args = to_native(copy.deepcopy(case["inputs"]), "torch", "float64")
            got = to_plain(OPERATIONS[operation].call(fns, args))
            result = judge(case, got, CheckOptions())
            assert result.status == PASS, f"{case['id']}: {result.message}"
