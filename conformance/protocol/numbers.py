"""Reading what an implementation returned as numbers: a float64 array, or ``Malformed``.

Results may be floats, lists, numpy arrays or tensors (tensors go through
``.detach().cpu().numpy()``). What cannot be read as numbers is ``Malformed``, a
message naming what came back.
"""

from __future__ import annotations

import numpy as np


class Malformed(Exception):
    """The result cannot be compared at all (wrong type or structure): reported as ERROR."""


def to_array(value, what: str) -> np.ndarray:
    """``value`` as a float64 array, or Malformed naming what came back.

    Only real numbers are numbers: text, bytes, booleans, complex numbers and objects are
    Malformed, never parsed (numpy would read ``"0.73"`` as 0.73), and so is an integer
    too large for float64.
    """
    if value is None or isinstance(value, str | bytes | dict):
        raise Malformed(f"{what} is {kind_of(value)}, expected numbers")
    try:
        array = np.asarray(_untensor(value))
    except (TypeError, ValueError, OverflowError) as exc:
        if "inhomogeneous" in str(exc):
            raise Malformed(
                f"{what} ({kind_of(value)}) is ragged: its lists differ in length or depth"
            ) from None
        first = str(exc).splitlines()[0] if str(exc) else ""
        raise Malformed(f"{what} ({kind_of(value)}) is not numeric: {first[:120]}") from None
    if array.dtype.kind in "fiu":
        return array.astype(np.float64, copy=False)
    raise Malformed(f"{what} ({kind_of(value)}) {_not_real(array)}, expected real numbers")


#: What an array of each numpy kind holds, for the Malformed message.
_KINDS = {"U": "text", "S": "bytes", "b": "booleans", "c": "complex numbers", "M": "dates"}


def _not_real(array: np.ndarray) -> str:
    if array.dtype.kind != "O":
        return f"holds {_KINDS.get(array.dtype.kind, array.dtype.name)}"
    for item in array.reshape(-1):
        if isinstance(item, int) and not isinstance(item, bool):
            if abs(item) > 2**1023:
                return "holds an integer too large for float64"
        elif not isinstance(item, float):
            return f"holds {kind_of(item)}"
    return "holds Python objects"


def _untensor(value):
    if hasattr(value, "detach") and callable(value.detach):
        value = value.detach()
        if hasattr(value, "cpu"):
            value = value.cpu()
        return value.numpy()
    if isinstance(value, list | tuple):
        return [_untensor(v) for v in value]
    return value


def kind_of(value) -> str:
    return "None" if value is None else f"a {type(value).__name__}"
