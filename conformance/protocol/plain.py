"""Turning what an implementation returns into plain data (lists of floats) before it crosses.

Runs in the child, on the implementation's results, so the judge only ever
receives JSON: numbers, lists, dicts with string keys, strings, booleans and
None. Arrays and tensors become nested lists through ``tolist()``,
``__array__`` or ``detach()``; anything else that cannot be read as numbers is
a :class:`NotPlain` naming what it was, and so is a result of more than
``MAX_ELEMENTS`` entries (a runaway result must not exhaust the judge).

Standard library only at import time: the child imports this before the
implementation, and numpy only when a result needs ``__array__``.
"""

from __future__ import annotations

#: The most numbers one result may hold (the largest vector case needs a few hundred).
MAX_ELEMENTS = 1_000_000


class NotPlain(Exception):
    """The result cannot be sent as numbers; the message says what it was."""


def to_plain(value, limit: int = MAX_ELEMENTS):
    """``value`` as JSON-able data, at most ``limit`` numbers; NotPlain otherwise."""
    budget = [limit]
    return _plain(value, budget, 0)


def _plain(value, budget: list, depth: int):
    if depth > 64:
        raise NotPlain("is nested more than 64 levels deep")
    if value is None or isinstance(value, str | bool):
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        raise NotPlain(f"holds bytes ({_shown(value)}), not numbers")
    if isinstance(value, int):
        _spend(budget, 1)
        return int(value)
    if isinstance(value, float):
        _spend(budget, 1)
        return float(value)
    if isinstance(value, list | tuple):
        if len(value) > budget[0]:
            _spend(budget, len(value))
        return [_plain(v, budget, depth + 1) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v, budget, depth + 1) for k, v in value.items()}
    return _plain(_unwrap(value, budget), budget, depth + 1)


def _shown(value) -> str:
    text = repr(bytes(value[:20]))
    return text + ("..." if len(value) > 20 else "")


def _spend(budget: list, n: int) -> None:
    budget[0] -= n
    if budget[0] < 0:
        raise NotPlain(f"has more than {MAX_ELEMENTS:,} numbers")


def _unwrap(value, budget: list):
    """An array, tensor or number-like object as a list or float (not yet checked inside)."""
    kind = f"a {type(value).__module__}.{type(value).__qualname__}"
    if hasattr(value, "__next__") or type(value).__name__ in ("generator", "map", "filter"):
        raise NotPlain(f"is an iterator ({kind}); return a list or an array")
    size = getattr(value, "size", None)
    if isinstance(size, int) and size > budget[0]:
        raise NotPlain(f"has {size:,} numbers (more than {MAX_ELEMENTS:,})")
    try:
        if hasattr(value, "detach") and callable(value.detach):
            value = value.detach().cpu()
        if callable(getattr(value, "tolist", None)):
            out = value.tolist()
        elif hasattr(value, "__array__"):
            import numpy as np

            out = np.asarray(value).tolist()
        elif hasattr(value, "__float__"):
            out = float(value)
        elif hasattr(value, "__len__") and hasattr(value, "__getitem__"):
            out = [value[i] for i in range(len(value))]
        else:
            raise NotPlain(f"is {kind}, not numbers")
    except NotPlain:
        raise
    except Exception as exc:
        text = str(exc).strip().splitlines()
        detail = f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
        raise NotPlain(f"({kind}) could not be read as numbers: {detail}") from None
    if out is value or type(out) is type(value):
        raise NotPlain(f"is {kind}, not numbers")
    return out


def first_change(before, after, path: str = "") -> str | None:
    """Where ``after`` differs from ``before`` (JSON-like values), e.g. ``W[0][1]: 0.5 -> 0.0``."""
    if isinstance(before, dict):
        if not isinstance(after, dict) or before.keys() != after.keys():
            return f"{path or 'the argument'} was replaced or gained/lost keys"
        for key in before:
            found = first_change(before[key], after[key], f"{path}[{key!r}]" if path else key)
            if found:
                return found
        return None
    if isinstance(before, list):
        if not isinstance(after, list) or len(before) != len(after):
            return f"{path}: length {len(before)} -> {_len(after)}"
        for i, (b, a) in enumerate(zip(before, after)):
            found = first_change(b, a, f"{path}[{i}]")
            if found:
                return found
        return None
    both_nan = before != before and after != after
    if type(before) is not type(after) or (before != after and not both_nan):
        return f"{path}: {before!r} -> {after!r}"
    return None


def _len(value):
    return len(value) if hasattr(value, "__len__") else type(value).__name__
