"""What diagnosis may hold against a variant besides the failing answers it reproduces.

- Shape errors: a call that raised a shape error (numpy's "not aligned", torch's "mat1
  and mat2 shapes cannot be multiplied", ...) is explained by a variant that cannot
  compute the case for the same reason (W read as (out, in) on a non-square layer):
  ``target`` turns such an ERROR into the answer ``SHAPE``, which ``replay`` gives too.
- A callable's own values: a mistake that lives in one callable (softmax without the
  shift, a cross-entropy without its guard) is not blamed for another operation's
  failures when the implementation's own callable passes cases the mistake would fail
  (``Home``): NaN in ``gradients`` is not softmax's fault when ``softmax`` is right.
"""

from __future__ import annotations

import re

from nnref.conformance.variants.knobs import OPERATIONS_OF
from nnref.conformance.variants.replay import SHAPE, agree, answer, arrays

#: Words of shape errors, as numpy, torch, JAX and plain Python word them.
_SHAPE_WORDS = re.compile(
    r"shapes?\b|not aligned|size mismatch|mismatch in its core dimension|cannot be multiplied|"
    r"could not be broadcast|dimension|incompatible sizes",
    re.IGNORECASE,
)
#: A knob's callable of its own: the first operation it changes, when that is not a whole
#: network (``forward``, ``gradients``) and the knob changes more than that one operation.
HOME = {
    name: ops[0]
    for name, ops in OPERATIONS_OF.items()
    if len(ops) > 1 and ops[0] not in ("forward", "gradients")
}


def is_shape_error(message: str) -> bool:
    return bool(message) and " raised " in message and bool(_SHAPE_WORDS.search(message))


def target(result):
    """What a variant must answer to explain ``result``: its answer, or SHAPE for a call that
    raised a shape error; None when there is nothing to explain."""
    if result.status == "FAIL" and result.got is not None:
        return result.got
    if result.status == "ERROR" and is_shape_error(result.message):
        return SHAPE
    return None


class Home:
    """The passing cases of each operation, to check a variant against its own callable."""

    def __init__(self, results, cases_by_id: dict):
        self.passing: dict[str, list] = {}
        for r in results:
            case = cases_by_id.get(r.id)
            if r.status == "PASS" and case is not None and "reject" not in case:
                self.passing.setdefault(case["operation"], []).append(case)
        self._seen: dict = {}

    def contradicts(self, k, variant, op: str) -> bool:
        """True when ``variant`` (a mistake or a different function), blamed for ``op``,
        changes a callable of its own that passes cases where the variant fails."""
        homes = {HOME[name] for name in variant.changes if name in HOME} - {op}
        key = (k, variant, op)
        if key not in self._seen:
            self._seen[key] = any(self._fails_a_pass(k, home) for home in homes)
        return self._seen[key]

    def _fails_a_pass(self, k, op: str) -> bool:
        return any(not passes(answer(k, case), case) for case in self.passing.get(op, ()))


def passes(mine, case: dict) -> bool:
    """True when the answer ``mine`` (from ``arrays``) passes ``case`` as the verdict would:
    within tolerance of the expected value, or, for a case with ``expected_min`` (cross-entropy
    where y_k = 0 and t_k = 1), +inf or at least that large."""
    if "expected_min" in case:
        return (
            mine is not None
            and mine is not SHAPE
            and len(mine) == 1
            and mine[0].size == 1
            and float(mine[0].reshape(())) >= case["expected_min"]
        )
    return agree(mine, arrays(case["operation"], case["expected"]), case["tolerance"])
