"""Flatten anyone's parameters into one float64 vector, and name every entry.

The checker works on a flat vector ``theta`` of float64 numbers; the user's
function receives the parameters rebuilt in the structure the user gave:

- a number: named ``x``;
- a flat or nested list of numbers: ``x[3]``, ``x[3][7]`` (rebuilt as lists
  of Python floats);
- a numpy array: ``x[3][7]`` (rebuilt as a read-only float64 array of the
  same shape, a view on the probe point: no copy per evaluation; a float32
  array is rebuilt as a float32 copy, so ``f`` computes in the dtype the user runs);
- a torch tensor (torch is imported only when one is given): rebuilt as a
  tensor of its own dtype (float32 or float64) on the same device;
- a dict of named arrays: ``W1[3][7]``, ``b1[2]``; dicts nest with dots;
- a list of dicts, such as the protocol's layers
  ``[{"W": ..., "b": ..., "activation": "relu"}, ...]``: ``layers[0].W[3][7]``;
- complex numbers (complex arrays and tensors, Python complex numbers): each
  complex entry ``z = a + ib`` is two real entries of the flat vector, ``a``
  then ``b``, named ``z[3].real`` and ``z[3].imag``; ``f`` receives complex
  values again (a complex128 array is a view on the probe vector). The
  gradient of a real ``f`` with respect to ``z`` is written as torch writes it
  (``df/da + i df/db``, twice the conjugate Wirtinger derivative): see
  ``nnref.conformance.finitediff.problem``.

Entries that are not numbers (strings such as ``"activation"``, ``None``,
booleans) are carried through unchanged and never perturbed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from numbers import Number
from typing import Any

import numpy as np

from nnref.conformance.errors import GradcheckInputError


def is_torch_tensor(obj: Any) -> bool:
    """True for a ``torch.Tensor``, without importing torch."""
    return type(obj).__module__.startswith("torch") and hasattr(obj, "detach")


def to_numpy(obj: Any) -> np.ndarray:
    """``obj`` as a numpy array, keeping its dtype (tensors are detached first)."""
    if is_torch_tensor(obj):
        obj = obj.detach().cpu().numpy()
    elif hasattr(obj, "__array__") and not isinstance(obj, np.ndarray):
        obj = np.asarray(obj)
    return np.asarray(obj)


@dataclass
class Leaf:
    """One array of parameters: a slice ``[start, start + size)`` of the flat vector."""

    path: tuple
    kind: str  # "number" | "list" | "numpy" | "jax" | "torch"
    shape: tuple
    start: int
    dtype: str  # the precision of its real numbers: "float32" or "float64"
    device: Any = None
    complex: bool = False  # each entry is two real numbers of the flat vector: real, imag
    count: int = field(init=False)  # entries as the user counts them
    size: int = field(init=False)  # real numbers in the flat vector

    def __post_init__(self) -> None:
        self.count = int(np.prod(self.shape, dtype=np.int64)) if self.shape else 1
        self.size = 2 * self.count if self.complex else self.count


@dataclass
class Flat:
    """The user's parameters as one float64 vector, with names and a way back.

    Attributes:
        theta: the parameters, float64, shape ``(n,)``.
        leaves: the arrays, in flattening order.
        template: the user's structure, with each array replaced by its ``Leaf``.
        prefix: the name given to a top-level list or array (``x``, ``layers``).
    """

    theta: np.ndarray
    leaves: list[Leaf]
    template: Any
    prefix: str
    float32: bool = False
    _names: list[str] | None = field(default=None, repr=False)

    @property
    def n(self) -> int:
        return int(self.theta.size)

    def name(self, i: int) -> str:
        """The name of flat entry ``i``, e.g. ``layers[0].W[3][7]``."""
        leaf = self.leaves[self.leaf_index(i)]
        local = i - leaf.start
        part = ""
        if leaf.complex:
            local, part = local // 2, (".real", ".imag")[local % 2]
        index = np.unravel_index(local, leaf.shape) if leaf.shape else ()
        return self.path_name(leaf.path) + "".join(f"[{k}]" for k in index) + part

    def path_name(self, path: tuple) -> str:
        text = self.prefix if not path or not isinstance(path[0], str) else ""
        for part in path:
            if isinstance(part, int):
                text += f"[{part}]"
            else:
                text += ("." if text else "") + str(part)
        return text or self.prefix

    def leaf_label(self, leaf: Leaf) -> str:
        """``W1 (3x4)``: a leaf's name and shape, for summaries."""
        shape = "x".join(str(s) for s in leaf.shape) if leaf.shape else "scalar"
        return f"{self.path_name(leaf.path)} ({shape}{', complex' if leaf.complex else ''})"

    def leaf_index(self, i: int) -> int:
        """The position in ``leaves`` of the array holding flat entry ``i``."""
        starts = [leaf.start for leaf in self.leaves]
        return int(np.searchsorted(starts, i, side="right") - 1)

    def rebuild(self, theta: np.ndarray, as_float32: bool = False, lent: list | None = None) -> Any:
        """The user's structure holding the values ``theta``, each array in its own dtype
        (float32 arrays as float32, the rest float64; all float32 with ``as_float32``).

        With a list ``lent``, float64 CPU tensors share ``theta``'s memory (no copy) and
        are appended to it: ``unchanged(lent)`` then tells whether ``f`` wrote into them."""
        return _rebuild(self.template, theta, as_float32, lent)

    def float32_mask(self) -> np.ndarray | None:
        """A boolean per entry: it belongs to a float32 array (None when there is none)."""
        if not self.float32:
            return None
        mask = np.zeros(self.n, dtype=bool)
        for leaf in self.leaves:
            mask[leaf.start : leaf.start + leaf.size] = leaf.dtype == "float32"
        return mask

    def assemble(self, values: list) -> Any:
        """The user's structure with leaf ``k`` replaced by ``values[k]`` (e.g. tensors)."""
        position = {id(leaf): k for k, leaf in enumerate(self.leaves)}
        return _assemble(self.template, values, position)

    @property
    def complex(self) -> bool:
        return any(leaf.complex for leaf in self.leaves)

    def leaf_values(self, theta: np.ndarray) -> list[np.ndarray]:
        """``theta`` cut into the leaves' arrays, each in its leaf's shape (complex leaves
        as complex128)."""
        return [_leaf_value(theta, x) for x in self.leaves]

    def flatten_like(self, value: Any, what: str) -> np.ndarray:
        """Flatten ``value`` (e.g. a gradient) laid out like the parameters, or a flat array.

        Shapes are compared, not sizes: a ``(3, 2)`` gradient for a ``(2, 3)``
        parameter is refused. Raises ``GradcheckInputError`` naming the first
        entry whose shape differs.
        """
        arr = as_flat_array(value)
        if arr is not None and arr.ndim <= 1 and arr.size == self.n and arr.dtype.kind != "c":
            return arr.astype(np.float64, copy=False).reshape(-1)
        count = sum(leaf.count for leaf in self.leaves)
        if self.complex and arr is not None and arr.ndim <= 1 and arr.size == count:
            return self._from_entries(arr.reshape(-1))
        out = np.empty(self.n, dtype=np.float64)
        for leaf in self.leaves:
            part = _get_path(value, leaf.path, what, self)
            name = self.path_name(leaf.path)
            try:
                part_arr = to_numpy(part) if not isinstance(part, Number) else np.asarray(part)
                if leaf.complex:
                    part_arr = np.asarray(part_arr, dtype=np.complex128)
                elif np.iscomplexobj(part_arr):
                    raise GradcheckInputError(
                        f"{what} {name} is complex but {name} is real"
                    ) from None
                else:
                    part_arr = np.asarray(part_arr, dtype=np.float64)
            except (TypeError, ValueError, RuntimeError):
                raise GradcheckInputError(
                    f"{what} {name} ({type(part).__name__}) is not numeric"
                ) from None
            scalar = leaf.shape == () and part_arr.size == 1
            if part_arr.shape != leaf.shape and not scalar:
                raise GradcheckInputError(shape_error(what, name, part_arr.shape, leaf.shape))
            values = part_arr.reshape(-1)
            if leaf.complex:
                values = np.ascontiguousarray(values).view(np.float64)
            out[leaf.start : leaf.start + leaf.size] = values
        return out

    def _from_entries(self, arr: np.ndarray) -> np.ndarray:
        """A flat array of one number per user entry (complex where the entry is)."""
        out, at = np.empty(self.n, dtype=np.float64), 0
        for leaf in self.leaves:
            part = arr[at : at + leaf.count]
            at += leaf.count
            if leaf.complex:
                part = np.ascontiguousarray(part, dtype=np.complex128).view(np.float64)
            elif np.iscomplexobj(part):
                raise GradcheckInputError(f"grad is complex at {self.path_name(leaf.path)}")
            out[leaf.start : leaf.start + leaf.size] = np.real(part)
        return out

    def dtype_of(self, value: Any) -> set[str]:
        """The dtypes of the arrays inside ``value`` (for the float32 rule)."""
        found: set[str] = set()
        _collect_dtypes(value, found)
        return found


def shape_error(what: str, name: str, got: tuple, want: tuple) -> str:
    """One line: ``grad W1 has shape (3, 2) but W1 has shape (2, 3) (transposed?)``."""
    text = f"{what} {name} has shape {tuple(got)} but {name} has shape {tuple(want)}"
    if len(want) == 2 and tuple(got) == tuple(want)[::-1]:
        text += " (transposed? the gradient of a parameter has the parameter's shape)"
    return text


def flatten(x: Any, prefix: str | None = None) -> Flat:
    """Flatten the parameters ``x`` (any of the forms in this module's docstring).

    Raises ``GradcheckInputError`` when ``x`` holds no numbers or something unusable.
    """
    leaves: list[Leaf] = []
    values: list[np.ndarray] = []
    template = _walk(x, (), leaves, values)
    if not leaves or sum(leaf.size for leaf in leaves) == 0:
        raise GradcheckInputError("x holds no numbers to check")
    theta = np.concatenate([v.reshape(-1) for v in values]).astype(np.float64)
    if prefix is None:
        prefix = "layers" if isinstance(x, list | tuple) and template_has_dicts(x) else "x"
    float32 = any(leaf.dtype == "float32" for leaf in leaves)
    return Flat(theta=theta, leaves=leaves, template=template, prefix=prefix, float32=float32)


def template_has_dicts(x: Any) -> bool:
    return any(isinstance(item, dict) for item in x)


def _walk(x: Any, path: tuple, leaves: list[Leaf], values: list[np.ndarray]) -> Any:
    start = sum(leaf.size for leaf in leaves)
    if isinstance(x, bool) or x is None or isinstance(x, str | bytes):
        return _Const(x)
    if isinstance(x, complex):
        leaves.append(Leaf(path, "number", (), start, "float64", complex=True))
        values.append(np.asarray([x.real, x.imag]))
        return leaves[-1]
    if isinstance(x, Number):
        leaves.append(Leaf(path, "number", (), start, "float64"))
        values.append(np.asarray([float(x)]))
        return leaves[-1]
    if is_torch_tensor(x):
        arr = to_numpy(x)
        return _array_leaf(arr, path, "torch", start, leaves, values, device=x.device)
    if isinstance(x, np.ndarray) or (hasattr(x, "__array__") and not isinstance(x, list | tuple)):
        kind = "jax" if is_jax_array(x) else "numpy"  # a JAX array reaches f as numpy
        return _array_leaf(np.asarray(x), path, kind, start, leaves, values)
    if isinstance(x, dict):
        return {key: _walk(value, (*path, key), leaves, values) for key, value in x.items()}
    if isinstance(x, list | tuple):
        arr = _rectangular(x)
        if arr is not None:
            return _array_leaf(arr, path, "list", start, leaves, values)
        items = [_walk(item, (*path, k), leaves, values) for k, item in enumerate(x)]
        return items if isinstance(x, list) else tuple(items)
    raise GradcheckInputError(
        f"x{''.join(f'[{p!r}]' for p in path)} is a {type(x).__name__}; expected numbers, lists, "
        "arrays, tensors or dicts of them"
    )


def _array_leaf(arr, path, kind, start, leaves, values, device=None):
    if arr.dtype.kind not in "fiuc":
        where = "x" + "".join(f"[{p!r}]" for p in path)
        raise GradcheckInputError(
            f"{where} has dtype {arr.dtype}; expected real or complex numbers"
        )
    dtype = "float32" if arr.dtype in (np.float32, np.complex64) else "float64"
    is_complex = arr.dtype.kind == "c"
    leaf = Leaf(path, kind, tuple(arr.shape), start, dtype, device, complex=is_complex)
    leaves.append(leaf)
    if is_complex:
        values.append(np.ascontiguousarray(arr, dtype=np.complex128).reshape(-1).view(np.float64))
    else:
        values.append(np.asarray(arr, dtype=np.float64))
    return leaf


def _rectangular(x: list | tuple) -> np.ndarray | None:
    """``x`` as a float array if it is a rectangular nest of plain numbers, else None."""

    def numbers_only(item) -> bool:
        if isinstance(item, list | tuple):
            return all(numbers_only(i) for i in item)
        return isinstance(item, Number) and not isinstance(item, bool)

    if not numbers_only(x):
        return None
    try:
        arr = np.asarray(x)
    except ValueError:  # ragged
        return None
    if arr.dtype == np.complex128:
        return arr
    if arr.dtype.kind not in "fiu":
        return None
    return arr.astype(np.float64)


@dataclass(frozen=True)
class _Const:
    value: Any


def unchanged(lent: list) -> bool:
    """No tensor lent by ``rebuild`` was modified in place (torch counts in-place writes)."""
    return all(t._version == 0 for t in lent)


def _rebuild(node: Any, theta: np.ndarray, as_float32: bool, lent: list | None = None) -> Any:
    if isinstance(node, Leaf):
        part = theta[node.start : node.start + node.size]
        if node.kind == "number":
            return complex(part[0], part[1]) if node.complex else float(part[0])
        arr = _leaf_value(theta, node)
        if node.kind == "list":
            return arr.tolist()
        as_float32 = as_float32 or node.dtype == "float32"  # each array in the dtype it came in
        if node.kind in ("numpy", "jax"):
            if as_float32:
                return arr.astype(np.complex64 if node.complex else np.float32)
            view = arr.view()  # no copy: a read-only window on the probe vector
            view.flags.writeable = False
            return view
        import torch  # only reached when the user passed a tensor

        dtype = torch_dtype(torch, as_float32, node.complex)
        if lent is not None and dtype == torch.float64 and torch.device(node.device).type == "cpu":
            lent.append(torch.from_numpy(arr))  # no copy: a window on the probe vector
            return lent[-1]
        return torch.tensor(arr, dtype=dtype, device=node.device)
    if isinstance(node, _Const):
        return node.value
    if isinstance(node, dict):
        return {key: _rebuild(value, theta, as_float32, lent) for key, value in node.items()}
    if isinstance(node, tuple):
        return tuple(_rebuild(value, theta, as_float32, lent) for value in node)
    return [_rebuild(value, theta, as_float32, lent) for value in node]


def _leaf_value(theta: np.ndarray, leaf: Leaf) -> np.ndarray:
    """Leaf ``leaf``'s values in its shape: a view (complex128 for a complex leaf)."""
    part = theta[leaf.start : leaf.start + leaf.size]
    if leaf.complex:
        part = part.view(np.complex128) if part.flags.c_contiguous else part[0::2] + 1j * part[1::2]
    return part.reshape(leaf.shape)


def torch_dtype(torch, float32: bool, is_complex: bool):
    """The torch dtype of a leaf: float32 / float64, complex64 / complex128."""
    if is_complex:
        return torch.complex64 if float32 else torch.complex128
    return torch.float32 if float32 else torch.float64


def _assemble(node: Any, values: list, position: dict) -> Any:
    if isinstance(node, Leaf):
        return values[position[id(node)]]
    if isinstance(node, _Const):
        return node.value
    if isinstance(node, dict):
        return {key: _assemble(value, values, position) for key, value in node.items()}
    items = [_assemble(value, values, position) for value in node]
    return tuple(items) if isinstance(node, tuple) else items


def is_jax_array(obj: Any) -> bool:
    """True for a JAX array, without importing jax."""
    return type(obj).__module__.split(".")[0] in ("jax", "jaxlib")


def _is_plain_array(value: Any) -> bool:
    return isinstance(value, np.ndarray) or is_torch_tensor(value)


def as_flat_array(value: Any) -> np.ndarray | None:
    """``value`` as a float array if it is one array (not a dict / list of dicts)."""
    if isinstance(value, dict):
        return None
    if isinstance(value, list | tuple):
        arr = _rectangular(value)
        return arr
    try:
        arr = to_numpy(value)
    except (TypeError, ValueError):
        return None
    return arr if arr.dtype.kind in "fiuc" else None


def _get_path(value: Any, path: tuple, what: str, flat: Flat) -> Any:
    node = value
    for depth, part in enumerate(path):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            where = flat.path_name(path[: depth + 1])
            raise GradcheckInputError(f"{what} has no entry {where}") from None
    return node


def _collect_dtypes(value: Any, found: set[str]) -> None:
    if isinstance(value, dict):
        for item in value.values():
            _collect_dtypes(item, found)
    elif isinstance(value, list | tuple):
        for item in value:
            if isinstance(item, dict | list | tuple) or _is_plain_array(item):
                _collect_dtypes(item, found)
    elif _is_plain_array(value) or isinstance(value, np.generic):
        dtype = str(to_numpy(value).dtype)
        found.add("float32" if dtype == "complex64" else dtype)
