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
    """``value`` as a float64 array, or Malformed naming what came back."""
    if value is None or isinstance(value, str | bytes | dict):
        raise Malformed(f"{what} is {kind_of(value)}, expected numbers")
    try:
        return np.asarray(_untensor(value), dtype=np.float64)
    except (TypeError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else ""
        raise Malformed(f"{what} ({kind_of(value)}) is not numeric: {first}") from None


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
