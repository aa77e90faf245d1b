"""Patterns that span a whole array: a transposed gradient.

A hand-written ``dW = outer(delta, x)`` instead of ``outer(x, delta)`` makes a
square weight gradient the transpose of the right one. In full mode every
entry's numeric value is known (the failing ones from the table, the others
agree with the analytic value), so the array is rebuilt and compared with the
transpose of the analytic one.
"""

from __future__ import annotations

import numpy as np

from conformance.gradcheck.inputs import Flat
from conformance.gradcheck.report import Entry


def transposed_arrays(flat: Flat, analytic: np.ndarray, failures: list[Entry]) -> list[str]:
    """Hints naming each square 2-D array whose analytic gradient is the transposed numeric one.

    ``analytic`` is the flat gradient ``(n,)`` of a scalar ``f``; ``failures`` all
    failing entries (their numeric values replace the analytic ones).
    """
    numeric = analytic.copy()
    failing = np.zeros(flat.n, dtype=bool)
    for e in failures:
        numeric[e.index] = e.numeric
        failing[e.index] = True
    out = []
    for leaf in flat.leaves:
        if len(leaf.shape) != 2 or leaf.shape[0] != leaf.shape[1] or leaf.shape[0] < 2:
            continue
        sl = slice(leaf.start, leaf.start + leaf.size)
        if not failing[sl].any():
            continue
        a, num = analytic[sl].reshape(leaf.shape), numeric[sl].reshape(leaf.shape)
        if np.allclose(a, num.T, rtol=1e-6, atol=1e-12 * max(1.0, np.abs(num).max())):
            out.append(
                f"{flat.path_name(leaf.path)}: the analytic gradient is the transpose of "
                "the numeric one"
            )
    return out
