"""The reference with ``linear`` off by a different amount on each of its first three outputs.

On the vector of ``test_report_worst_entry`` (u = (10, 0.001, 100)) the three
errors, 1e-7, 1e-6 and 1e-5, all exceed the tolerance, but each figure has a
different culprit: u[0] fails first, u[2] has the largest absolute error, and
u[1] is furthest past its tolerance (and has the largest relative error).
"""

from __future__ import annotations

from nnref import reference

SKEW = (1e-7, 1e-6, 1e-5)


def linear(x, W, b):
    u = reference.linear(x, W, b)
    return [v + (SKEW[j] if j < len(SKEW) else 0.0) for j, v in enumerate(u)]


sigmoid = reference.sigmoid
