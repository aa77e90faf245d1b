"""The input-type and precision conventions: the protocol's plain lists as arrays, and back.

The vectors pass plain Python lists of floats (S-protocol, ``FORMAT.md``). Code
written for arrays, such as ``torch.nn.functional``'s activations, takes
tensors instead; rather than ask for a wrapper, the runner converts the
arguments before the call and the result after it:

- ``to_native(args, input_type, dtype)``: ``input_type`` is ``"list"`` (as the
  vectors are), ``"numpy"`` or ``"torch"``; ``dtype`` is ``"float64"`` or
  ``"float32"``. Every rectangular nest of numbers becomes one array (``x``,
  ``W``, ``t``, Adam's ``grads``), a number that is data becomes a 0-d array
  (``box_muller``'s ``x`` and ``y``), and everything else is kept as it is:
  dicts (a layer ``{"W", "b", "activation"}``) are converted field by field,
  strings (``"relu"``, a loss name), booleans and integers (Adam's ``t``)
  pass through, and the hyperparameters ``lr``, ``beta1``, ``beta2``, ``eps``
  stay Python floats, as optimizers take them. Under ``"list"`` with float32 the
  numbers stay lists but are rounded to float32's values.
- ``to_plain(result)``: whatever came back (numpy arrays and scalars, torch
  tensors that require grad, JAX arrays, tuples, dicts, lists of those) as
  nested lists of Python floats, NaN and infinity kept, so the judge and a
  JSON pipe see one form.

numpy and torch are imported only when asked for, here in the process that
calls the implementation. Asking for torch without it installed is a one-line
error naming the install command.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

import numpy as np

from nnref.conformance.errors import NnrefError

INPUT_TYPES = ("list", "numpy", "torch")
DTYPES = ("float64", "float32")
#: Scalars that configure rather than carry data: kept as Python floats.
HYPERPARAMETERS = ("lr", "beta1", "beta2", "eps")


def to_native(args: dict, input_type: str, dtype: str = "float64") -> dict:
    """The call's arguments ``args`` (a dict by protocol name) in the declared convention."""
    if input_type not in INPUT_TYPES:
        raise NnrefError(f"input_type must be one of {', '.join(INPUT_TYPES)}, got {input_type!r}")
    if dtype not in DTYPES:
        raise NnrefError(f"precision must be one of {', '.join(DTYPES)}, got {dtype!r}")
    make = _maker(input_type, dtype)
    return {
        key: value if key in HYPERPARAMETERS else _convert(value, make)
        for key, value in args.items()
    }


def _maker(input_type: str, dtype: str):
    """A function turning a rectangular nest of numbers into the native array."""

    np_dtype = np.float32 if dtype == "float32" else np.float64
    if input_type == "list":
        if dtype == "float64":
            return None
        return lambda value: np.asarray(value, dtype=np_dtype).astype(np.float64).tolist()
    if input_type == "numpy":
        return lambda value: np.asarray(value, dtype=np_dtype)
    torch = _torch()
    torch_dtype = torch.float32 if dtype == "float32" else torch.float64
    return lambda value: torch.tensor(value, dtype=torch_dtype)


def _torch():
    try:
        import torch
    except ImportError:
        raise NnrefError(
            "input_type=torch needs PyTorch, which is not installed: pip install torch"
        ) from None
    return torch


def _convert(value: Any, make) -> Any:
    if make is None or isinstance(value, bool | str | bytes) or value is None:
        return value
    if isinstance(value, Integral):
        return value  # a step number or a count, not data
    if isinstance(value, Real):
        return make(float(value))
    if isinstance(value, dict):
        return {key: _convert(item, make) for key, item in value.items()}
    if isinstance(value, list | tuple):
        if value and _numbers_only(value) and _rectangular(value):
            return make(value)
        return [_convert(item, make) for item in value]
    return value


def _numbers_only(value: Any) -> bool:
    if isinstance(value, list | tuple):
        return all(_numbers_only(item) for item in value)
    return isinstance(value, Real) and not isinstance(value, bool)


def _rectangular(value: Any) -> bool:
    """Every level holds lists of one length, or only numbers."""
    if not isinstance(value, list | tuple):
        return True
    if all(isinstance(item, list | tuple) for item in value):
        lengths = {len(item) for item in value}
        return len(lengths) == 1 and all(_rectangular(item) for item in value)
    return not any(isinstance(item, list | tuple) for item in value)


def to_plain(result: Any) -> Any:
    """``result`` as nested lists of Python floats (NaN and infinity kept); strings kept."""
    if result is None or isinstance(result, str | bytes):
        return result
    if isinstance(result, bool):
        return float(result)
    if isinstance(result, Real):
        return float(result)
    if isinstance(result, dict):
        return {key: to_plain(value) for key, value in result.items()}
    if isinstance(result, list | tuple):
        return [to_plain(item) for item in result]
    array = _as_numpy(result)
    if array is None:
        return result  # not numbers: the judge names what it is
    if array.dtype.kind in "biuf":
        return array.astype(float).tolist()
    return array.tolist()


def _as_numpy(value: Any):
    """A numpy array of ``value`` (tensors detached and moved to the CPU), or None."""

    if hasattr(value, "detach") and callable(value.detach):  # a torch tensor
        value = value.detach()
        value = value.cpu() if hasattr(value, "cpu") else value
        try:
            return np.asarray(value.numpy())
        except TypeError:  # a dtype numpy lacks, such as bfloat16: widen it first
            return np.asarray(value.float().numpy())
    if isinstance(value, np.ndarray | np.generic) or hasattr(value, "__array__"):
        try:
            return np.asarray(value)
        except (TypeError, ValueError):
            return None
    return None
