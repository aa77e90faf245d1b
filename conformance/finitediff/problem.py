"""The function under test and its analytic derivative, as flat float64 arrays.

``Evaluator`` calls the user's ``f`` on the user's own structure and returns a
flat float64 vector of outputs, counting calls. ``Analytic`` turns every
accepted form of ``grad`` into a Jacobian matrix ``(m, n)`` or a
vector-Jacobian product ``w -> w^T J``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from nnref.conformance.errors import GradcheckInputError
from nnref.conformance.finitediff.inputs import Flat, as_flat_array, to_numpy, unchanged
from nnref.conformance.finitediff.outputs import Outputs, is_structured


@dataclass(frozen=True)
class vjp:
    """Mark ``fn(x, w)`` as a vector-Jacobian product: it returns ``w^T J`` at ``x``.

    ``x`` is the parameters in the structure you passed to ``gradcheck`` and ``w``
    a float64 numpy array shaped like the output of ``f`` (a Python float when
    ``f`` is scalar). The result is laid out like ``x`` (or a flat array).
    Example: ``gradcheck(f, x, vjp(lambda x, w: w @ J(x)))``.
    """

    fn: Callable[[Any, Any], Any]


class Evaluator:
    """``theta -> f(rebuild(theta))`` as a flat float64 array, with a call counter."""

    def __init__(self, f: Callable, flat: Flat, labels: Callable[[int], str] | None = None):
        if not callable(f):
            raise GradcheckInputError(f"f must be callable, got {type(f).__name__}")
        self.f, self.flat, self.labels = f, flat, labels
        self.count = 0
        self.as_float32 = False
        self.f_float32 = False
        self.out_shape: tuple = ()
        self.first_output: Any = None  # f(x) as returned: its type tells the framework
        self.outputs: Outputs | None = None  # several outputs: their structure and names
        self._seen = False

    def start(self) -> np.ndarray:
        """Evaluate ``f(x)`` once, settling the input precision and the output shape."""
        try:
            out = self._call(self.flat.theta)
        except GradcheckInputError:
            if not self.flat.float32:
                raise
            self.as_float32 = True  # f refuses float64 input: hand it float32, as given
            out = self._call(self.flat.theta)
        if out.size == 0:
            raise GradcheckInputError("f returned an empty result")
        return out

    def __call__(self, theta: np.ndarray, where: Callable[[], str] | str = "a probe point"):
        """``f`` at ``theta``, flat float64; ``where`` names the point if ``f`` raises."""
        return self._call(theta, where)

    def _call(self, theta: np.ndarray, where: Callable[[], str] | str = "x") -> np.ndarray:
        self.count += 1
        lent: list = []  # float64 CPU tensors lent to f without a copy
        try:
            raw = self.f(self.flat.rebuild(theta, self.as_float32, lent))
            if lent and not unchanged(lent):
                raise GradcheckInputError("f modified its input in place; it must leave x alone")
        except GradcheckInputError as exc:  # worded by nnref's own wrapper of f: keep its words
            raise GradcheckInputError(f"{exc} (at {_place(where)})") from exc
        except Exception as exc:
            raise GradcheckInputError(
                f"f raised {type(exc).__name__} at {_place(where)}: {first_line(exc)}".rstrip(": ")
            ) from exc
        if not self._seen and is_structured(raw):
            self.outputs = Outputs(raw, lambda v: read_numbers(v, "f returned"))
        if self.outputs is not None:
            arr = self.outputs.flatten(raw)
        else:
            arr = read_numbers(raw, "f returned")
        if arr.dtype.kind == "c":
            raise GradcheckInputError(
                f"f returned {arr.dtype} values; gradients are taken of real functions: check "
                "the real and imaginary parts as two outputs, lambda x: (f(x).real, f(x).imag)"
            )
        if arr.dtype.kind not in "fiub":
            raise GradcheckInputError(f"f returned {arr.dtype} values; expected real numbers")
        if not self._seen:
            self._seen = True
            self.out_shape = tuple(arr.shape) if arr.size > 1 or self.outputs else ()
            self.f_float32 = arr.dtype == np.float32
            self.first_output = raw
        return np.asarray(arr, dtype=np.float64).reshape(-1)

    @property
    def m(self) -> int:
        return int(np.prod(self.out_shape)) if self.out_shape else 1

    def shaped(self, w: np.ndarray) -> Any:
        """A weight over the flat outputs in ``f``'s own output structure."""
        if self.outputs is not None:
            return self.outputs.unflatten(w)
        return float(w[0]) if not self.out_shape else w.reshape(self.out_shape)

    def output_label(self, k: int) -> str | None:
        """The name of output ``k`` in an entry's name, None for a plain scalar ``f``."""
        if self.m == 1 and self.outputs is None and self.labels is None:
            return None
        return self.output_name(k)

    def output_name(self, k: int) -> str:
        if self.labels is not None:
            return self.labels(k)
        if self.outputs is not None:
            return self.outputs.name(k)
        if not self.out_shape:
            return "f"
        index = np.unravel_index(k, self.out_shape)
        return "f" + "".join(f"[{i}]" for i in index)


class Analytic:
    """The analytic derivative in whichever form the user gave it.

    Attributes:
        form: ``"gradient"``, ``"jacobian"`` or ``"vjp"`` (and ``"callable"`` is
            reported when ``grad`` was a function of ``x`` returning one of the first two).
        calls: how many times the user's ``grad`` was called.
    """

    def __init__(self, grad: Any, flat: Flat, evaluator: Evaluator):
        self.flat, self.ev = flat, evaluator
        self.calls = 0
        self.float32 = False
        self._matrix: np.ndarray | None = None
        self._vjp: vjp | None = None
        self.form = "gradient" if evaluator.m == 1 else "jacobian"
        if isinstance(grad, vjp):
            self._vjp, self.form = grad, "vjp"
            return
        if callable(grad) and not _is_array_like(grad):
            self.calls += 1
            try:
                grad = grad(flat.rebuild(flat.theta, evaluator.as_float32))
            except GradcheckInputError:
                raise
            except Exception as exc:
                message = f"grad raised {type(exc).__name__} at x: {first_line(exc)}"
                raise GradcheckInputError(message.rstrip(": ")) from exc
            self.form = f"callable returning a {self.form}"
        self.float32 = "float32" in flat.dtype_of(grad)
        self._matrix = self._as_matrix(grad)

    def matrix(self) -> np.ndarray:
        """The Jacobian ``(m, n)`` (one row for a scalar ``f``)."""
        if self._matrix is None:
            rows = [self.vjp(np.eye(self.ev.m)[k]) for k in range(self.ev.m)]
            self._matrix = rows[0][None, :] if len(rows) == 1 else np.vstack(rows)
        return self._matrix

    def vjp(self, w: np.ndarray) -> np.ndarray:
        """``w^T J`` as a flat ``(n,)`` array."""
        if self._vjp is None:
            return w @ self.matrix()
        self.calls += 1
        shaped = self.ev.shaped(w)
        try:
            value = self._vjp.fn(self.flat.rebuild(self.flat.theta, self.ev.as_float32), shaped)
        except GradcheckInputError:
            raise
        except Exception as exc:
            message = f"the vjp raised {type(exc).__name__}: {first_line(exc)}"
            raise GradcheckInputError(message.rstrip(": ")) from exc
        self.float32 = self.float32 or "float32" in self.flat.dtype_of(value)
        return self.flat.flatten_like(value, "the vjp's result")

    def _as_matrix(self, grad: Any) -> np.ndarray:
        outputs = self.ev.outputs
        if outputs is not None and outputs.matches(grad):
            blocks = []
            for leaf in outputs.leaves:
                part = outputs.part_of(grad, leaf)
                what = f"grad{outputs.leaf_name(leaf)[1:]}"
                if part is None:
                    raise GradcheckInputError(
                        f"{what} is missing: grad is laid out like f's outputs"
                    )
                blocks.append(self._block(part, leaf.size, leaf.shape, what))
            return np.vstack(blocks)
        return self._block(grad, self.ev.m, self._stacked_shape(), "grad")

    def _stacked_shape(self) -> tuple:
        """The output shape a whole Jacobian is read in: a tuple or list of arrays of one shape
        ``S`` stacks to ``(k, *S)``, as ``np.asarray`` would stack it."""
        outputs = self.ev.outputs
        if outputs is None:
            return self.ev.out_shape
        shapes = {leaf.shape for leaf in outputs.leaves}
        flat_sequence = isinstance(outputs.template, list | tuple) and all(
            len(leaf.path) == 1 for leaf in outputs.leaves
        )
        if len(shapes) == 1 and flat_sequence:
            return (len(outputs.leaves), *shapes.pop())
        return self.ev.out_shape

    def _block(self, grad: Any, m: int, out: tuple, what: str) -> np.ndarray:
        """The Jacobian ``(m, n)`` of an output of shape ``out`` from ``grad``."""
        n = self.flat.n
        if m == 1:
            return self.flat.flatten_like(grad, what).reshape(1, n)
        arr = as_flat_array(grad)
        shapes = self._jacobian_shapes(m, out)
        if arr is not None and tuple(arr.shape) in shapes:
            if not self.flat.complex:
                return np.asarray(arr, dtype=np.float64).reshape(m, n)
            rows = np.asarray(arr).reshape(m, -1)  # one column per entry, complex where x is
            return np.vstack([self.flat.flatten_like(row, what) for row in rows])
        if isinstance(grad, list | tuple) and len(grad) == m:
            return np.vstack(
                [self.flat.flatten_like(row, f"{what}[{k}]") for k, row in enumerate(grad)]
            )
        got = "a structure" if arr is None else f"shape {tuple(arr.shape)}"
        whose = "f has" if what == "grad" else f"f{what[4:]} has"
        entries = sum(leaf.count for leaf in self.flat.leaves)
        raise GradcheckInputError(
            f"{whose} {m} outputs and x has {entries} entries, so {what} must be a Jacobian of "
            f"shape {' or '.join(map(str, shapes))}, or a list of {m} gradients; got {got}"
        )

    def _jacobian_shapes(self, m: int, out: tuple) -> list[tuple]:
        """The accepted Jacobian shapes: ``(m, n)``, ``(*f_shape, n)``, ``(*f_shape, *x_shape)``."""
        entries = sum(leaf.count for leaf in self.flat.leaves)  # a complex entry counts once
        shapes = [(m, entries), (*out, entries)]
        if len(self.flat.leaves) == 1:
            shapes.append((*out, *self.flat.leaves[0].shape))
        return list(dict.fromkeys(shapes))


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message ('' when it has none)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else ""


def read_numbers(value: Any, what: str) -> np.ndarray:
    """``value`` as a numpy array; an unreadable value is nnref's one-line error, not f's.

    ``what`` starts the message: ``f returned``, ``forward() returned``.
    """
    if isinstance(value, int | float):
        return np.asarray(value)
    try:
        return to_numpy(value)
    except Exception as exc:
        raise GradcheckInputError(
            f"{what} a {type(value).__name__} that nnref could not read as numbers "
            f"({type(exc).__name__}: {first_line(exc)})"
        ) from exc


def _place(where: Callable[[], str] | str) -> str:
    return where() if callable(where) else where


def _is_array_like(obj: Any) -> bool:
    return hasattr(obj, "__array__") or isinstance(obj, list | tuple | dict)
