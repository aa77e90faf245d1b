"""The one ordered registry of derivations.

Each group module (activations, losses, backprop, optimizers,
initialization, errata, worked) decorates builder functions with
:func:`derivation`, which states the derivation's name and clauses once: the
builder leaves them out of its ``Derivation`` and the registry fills them in.
Builders run on first use and their result is cached.
Order is the order of :data:`GROUPS`, then of definition in each module.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Callable
from dataclasses import dataclass, replace

from nnref.symbolic.core import Derivation

#: Group modules in the order the registry lists them.
GROUPS = (
    "activations",
    "losses",
    "backprop",
    "optimizers",
    "initialization",
    "errata",
    "worked",
)


@dataclass
class _Entry:
    name: str
    clauses: tuple[str, ...]
    group: str
    build: Callable[[], Derivation]
    built: Derivation | None = None


_ENTRIES: dict[str, _Entry] = {}
_loaded = False


def derivation(name: str, clauses: tuple[str, ...]) -> Callable:
    """Register a builder ``() -> Derivation`` under ``name`` for ``clauses``."""

    def register(build: Callable[[], Derivation]) -> Callable[[], Derivation]:
        if name in _ENTRIES:
            raise ValueError(f"derivation {name!r} is registered twice")
        group = build.__module__.rsplit(".", 1)[-1]
        _ENTRIES[name] = _Entry(name, tuple(clauses), group, build)
        return build

    return register


def _load() -> None:
    global _loaded
    if not _loaded:
        for group in GROUPS:
            importlib.import_module(f"{__package__}.{group}")
        _loaded = True


def names() -> list[str]:
    """All derivation names, in registry order."""
    _load()
    return list(_ENTRIES)


def clauses_of(name: str) -> tuple[str, ...]:
    """The SPEC clauses a derivation establishes (without building it)."""
    _load()
    return _ENTRIES[name].clauses


def has_clause(name: str, clause: str) -> bool:
    """Whether derivation ``name`` establishes ``clause`` (case-insensitive: 'd_ce' is D_ce)."""
    return clause.upper() in (c.upper() for c in clauses_of(name))


def group_of(name: str) -> str:
    _load()
    return _ENTRIES[name].group


def close_matches(name: str, n: int = 3) -> list[str]:
    """Registered names close to ``name`` (also matching a clause id such as 'S6')."""
    _load()
    by_clause = [k for k, e in _ENTRIES.items() if has_clause(k, name)]
    return by_clause or difflib.get_close_matches(name, list(_ENTRIES), n=n, cutoff=0.4)


def get(name: str) -> Derivation:
    """The derivation called ``name``; KeyError naming close matches otherwise."""
    _load()
    entry = _ENTRIES.get(name)
    if entry is None:
        near = close_matches(name)
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        raise KeyError(f"no derivation named {name!r}{hint}")
    if entry.built is None:
        built = entry.build()
        if built.name not in ("", name) or built.clauses not in ((), entry.clauses):
            raise ValueError(f"builder of {name!r} returned a different name or clauses")
        entry.built = replace(built, name=name, clauses=entry.clauses)
    return entry.built


def all_derivations() -> list[Derivation]:
    """Every registered derivation, built, in registry order."""
    return [get(name) for name in names()]
