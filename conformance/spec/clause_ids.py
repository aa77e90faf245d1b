"""Every clause id of the specification, read from the spec shipped with the package.

The ids come from the clause headings of ``conformance/spec/spec.md`` (see
:mod:`nnref.conformance.spec`), so a vector, test or page can only name a clause
the spec defines, and an installed copy knows them without a source checkout.
"""

from __future__ import annotations

import re

from nnref.conformance import spec

#: Every id a vector, test or docs page may name, in the spec's order.
ALL_CLAUSES = spec.ids()

#: Numbered clauses S1..S29.
SPEC_CLAUSES = tuple(c for c in ALL_CLAUSES if re.fullmatch(r"S\d+", c))

#: The tutorial's worked problems (W*) and demonstrations (D_*), in the tutorial's order.
WORKED_EXAMPLES = tuple(c for c in ALL_CLAUSES if re.fullmatch(r"W\d_\d|D_[a-z]+", c))

#: Errata found while verifying the text.
ERRATA = tuple(c for c in ALL_CLAUSES if re.fullmatch(r"E\d+", c))


def is_clause(name: str) -> bool:
    """True when ``name`` is a clause id of the spec (``S20``, ``W3_3``, ``D_ce``, ``E1``)."""
    return name in _ALL


_ALL = frozenset(ALL_CLAUSES)
