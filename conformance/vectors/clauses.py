"""Every clause id of SPEC.md, embedded (SPEC.md itself is not shipped with the package).

``tests/conformance/test_vectors_lint.py`` compares this list with ``SPEC.md`` when a
source checkout has it, so the two cannot drift apart silently.
"""

from __future__ import annotations

#: Numbered clauses S1..S26.
SPEC_CLAUSES = tuple(f"S{n}" for n in range(1, 27))

#: The tutorial's worked problems and demonstrations.
WORKED_EXAMPLES = (
    "W1_1",
    "W1_2",
    "W2_1",
    "W2_2",
    "W2_3",
    "W2_4",
    "W3_1",
    "W3_2",
    "W3_3",
    "W4_1",
    "D_hidden",
    "D_softmax",
    "D_mse",
    "D_ce",
)

#: Errata found while verifying the text.
ERRATA = tuple(f"E{n}" for n in range(1, 7))

#: Every id a vector, test or docs page may name, in SPEC.md's order.
ALL_CLAUSES = SPEC_CLAUSES + WORKED_EXAMPLES + ERRATA


def is_clause(name: str) -> bool:
    """True when ``name`` is a clause id of SPEC.md (``S20``, ``W3_3``, ``D_ce``, ``E1``)."""
    return name in _ALL


_ALL = frozenset(ALL_CLAUSES)
