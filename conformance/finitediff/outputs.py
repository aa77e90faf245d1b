"""Several outputs: ``f`` returning a tuple, a dict or a pytree of arrays.

``f(x) = (loss, logits)`` or ``{"loss": ..., "h": (...)}`` is checked output
by output: the outputs are laid end to end in one flat vector (a dict in its
own key order), so the Jacobian is one matrix whose rows belong to the
outputs in turn, each output compared against its own scale, and every entry
is named by its path in the structure, ``f[1][2]`` or ``f["h"][0]``, then
``f[1] wrt W[2][0]`` for an entry of the Jacobian. A plain list of numbers
(``[1.0, 2.0]``, ``[[1, 2], [3, 4]]``) is one array, as before; a tuple or list
holding an array, a tensor or a dict is a structure.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from numbers import Number
from typing import Any

import numpy as np

from nnref.conformance.errors import GradcheckInputError


@dataclass
class OutLeaf:
    """One output array: rows ``[start, start + size)`` of the Jacobian."""

    path: tuple
    shape: tuple
    start: int
    size: int = field(init=False)

    def __post_init__(self) -> None:
        self.size = int(np.prod(self.shape, dtype=np.int64)) if self.shape else 1


def is_structured(raw: Any) -> bool:
    """A dict, or a tuple / list that is not a rectangular nest of plain numbers."""
    if isinstance(raw, dict):
        return True
    if not isinstance(raw, list | tuple) or not raw:
        return False
    return not _numbers_only(raw)


def _numbers_only(item: Any) -> bool:
    if isinstance(item, list | tuple):
        return all(_numbers_only(i) for i in item)
    return isinstance(item, Number) and not isinstance(item, bool)


def path_text(path: tuple) -> str:
    """``[1]["h"][0]``: a path in a structure, keys quoted as in Python."""
    return "".join(f"[{p}]" if isinstance(p, int) else f"[{json.dumps(str(p))}]" for p in path)


class Outputs:
    """The structure of ``f``'s outputs, read from its first value."""

    def __init__(self, raw: Any, read):
        self.read = read  # value -> numpy array (nnref's one-line error when unreadable)
        self.leaves: list[OutLeaf] = []
        self.template = self._walk(raw, ())
        if not self.leaves:
            raise GradcheckInputError("f returned a structure that holds no numbers")

    @property
    def m(self) -> int:
        return sum(leaf.size for leaf in self.leaves)

    def _walk(self, node: Any, path: tuple) -> Any:
        if isinstance(node, dict):
            return {key: self._walk(value, (*path, key)) for key, value in node.items()}
        if isinstance(node, list | tuple) and not _numbers_only(node):
            items = [self._walk(value, (*path, k)) for k, value in enumerate(node)]
            return items if isinstance(node, list) else tuple(items)
        arr = self.read(node)
        leaf = OutLeaf(path, tuple(arr.shape), self.m)
        self.leaves.append(leaf)
        return leaf

    def arrays(self, raw: Any) -> list[Any]:
        """The output values in leaf order (as returned: tensors stay tensors)."""
        out = []
        for leaf in self.leaves:
            node = raw
            for part in leaf.path:
                try:
                    node = node[part]
                except (KeyError, IndexError, TypeError):
                    raise GradcheckInputError(
                        f"f returned a structure without f{path_text(leaf.path)}, "
                        "which its first value had"
                    ) from None
            out.append(node)
        return out

    def flatten(self, raw: Any) -> np.ndarray:
        """One flat array over every output (the dtype of the widest part)."""
        parts = []
        for leaf, value in zip(self.leaves, self.arrays(raw), strict=True):
            arr = self.read(value)
            if tuple(arr.shape) != leaf.shape:
                raise GradcheckInputError(
                    f"f{path_text(leaf.path)} has shape {tuple(arr.shape)} here and "
                    f"{leaf.shape} at x"
                )
            parts.append(arr.reshape(-1))
        return np.concatenate(parts)

    def name(self, k: int) -> str:
        """The name of flat output ``k``: ``f[1][2]``, ``f["loss"]``."""
        starts = [leaf.start for leaf in self.leaves]
        leaf = self.leaves[int(np.searchsorted(starts, k, side="right") - 1)]
        index = np.unravel_index(k - leaf.start, leaf.shape) if leaf.shape else ()
        return self.leaf_name(leaf) + "".join(f"[{i}]" for i in index)

    def leaf_name(self, leaf: OutLeaf) -> str:
        return "f" + path_text(leaf.path)

    def unflatten(self, w: np.ndarray) -> Any:
        """``w`` (one number per output) in the outputs' structure: arrays, floats for scalars."""
        return self._rebuild(self.template, np.asarray(w, dtype=np.float64).reshape(-1))

    def _rebuild(self, node: Any, w: np.ndarray) -> Any:
        if isinstance(node, OutLeaf):
            part = w[node.start : node.start + node.size]
            return part.reshape(node.shape) if node.shape else float(part[0])
        if isinstance(node, dict):
            return {key: self._rebuild(value, w) for key, value in node.items()}
        items = [self._rebuild(value, w) for value in node]
        return tuple(items) if isinstance(node, tuple) else items

    def summary(self) -> str:
        parts = [
            f"{self.leaf_name(leaf)} " + ("scalar" if not leaf.shape else str(leaf.shape))
            for leaf in self.leaves[:6]
        ]
        more = f", ... ({len(self.leaves)} outputs)" if len(self.leaves) > 6 else ""
        return f"{len(self.leaves)} outputs ({self.m} values): {', '.join(parts)}{more}"

    def part_of(self, grad: Any, leaf: OutLeaf) -> Any | None:
        """The part of a structured ``grad`` for output ``leaf`` (None when ``grad`` is not
        laid out like the outputs)."""
        node = grad
        for part in leaf.path:
            in_dict = isinstance(node, dict) and part in node
            in_list = isinstance(node, list | tuple) and isinstance(part, int) and part < len(node)
            if not (in_dict or in_list):
                return None
            node = node[part]
        return node

    def matches(self, grad: Any) -> bool:
        """``grad`` has the outputs' top-level structure (a dict of the same keys, a tuple
        of the same length)."""
        t = self.template
        if isinstance(t, dict):
            return isinstance(grad, dict) and set(grad) == set(t)
        return isinstance(grad, list | tuple) and len(grad) == len(t) and not _numbers_only(grad)


class OneOutput:
    """An evaluator seen through one output leaf (fast mode checks each output on its own,
    so an output of size 1e-6 is not drowned by the noise of one of size 1e3)."""

    def __init__(self, ev: Any, leaf: OutLeaf):
        self.ev, self.leaf = ev, leaf
        self.rows = slice(leaf.start, leaf.start + leaf.size)

    @property
    def m(self) -> int:
        return self.leaf.size

    @property
    def count(self) -> int:
        return self.ev.count

    def __call__(self, theta: np.ndarray, where: Any = "a probe point") -> np.ndarray:
        return self.ev(theta, where)[self.rows]

    def output_label(self, k: int) -> str:
        return self.ev.output_name(self.leaf.start + k)


class OneOutputAnalytic:
    """The analytic side restricted to one output leaf's rows."""

    def __init__(self, analytic: Any, leaf: OutLeaf, m: int):
        self.analytic, self.leaf, self.m_all = analytic, leaf, m
        self.rows = slice(leaf.start, leaf.start + leaf.size)

    def matrix(self) -> np.ndarray:
        return self.analytic.matrix()[self.rows]

    def vjp(self, w: np.ndarray) -> np.ndarray:
        full = np.zeros(self.m_all)
        full[self.rows] = w
        return self.analytic.vjp(full)
