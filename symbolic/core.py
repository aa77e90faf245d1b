"""Derivations as objects: a chain of steps, each proven exactly by SymPy.

A :class:`Step` states ``lhs REL rhs`` between SymPy objects, with a short
note. :meth:`Derivation.verify` proves every step by an exact decision
(see :mod:`nnref.symbolic.prove`): a difference that simplifies to zero, a sign
that SymPy's assumption system decides, a solution set computed exactly, or
an inequality between explicit constants decided with certified precision.
A numeric value is only ever used to *refute* a failed step (a witness in
the message), never to accept one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Any

import sympy as sp

from nnref.symbolic.prove import prove_step

RELATIONS = ("=", "<", "<=", ">", ">=")


@dataclass(frozen=True)
class Step:
    """One claim ``lhs relation rhs``.

    ``given`` lists substitutions (symbol, value) that the claim relies on,
    e.g. ``(t_3, 1 - t_1 - t_2)`` for "t is one-hot, so sum t = 1"; they are
    applied to both sides before the proof and printed with the step.
    A :class:`sympy.ConditionSet` on the left with ``=`` claims its solution
    set equals the right-hand set.
    """

    lhs: Any
    rhs: Any
    note: str
    relation: str = "="
    given: tuple[tuple[Any, Any], ...] = ()
    label: str = ""

    def __post_init__(self) -> None:
        for side in ("lhs", "rhs"):  # matrices are stored immutable (and hashable)
            value = getattr(self, side)
            if hasattr(value, "as_immutable"):
                object.__setattr__(self, side, value.as_immutable())
        if self.relation not in RELATIONS:
            raise ValueError(f"step relation must be one of {RELATIONS}, got {self.relation!r}")


@dataclass(frozen=True)
class StepResult:
    """The outcome of proving one step: ``status`` is "proved" or "failed"."""

    index: int
    label: str
    status: str
    method: str
    message: str
    seconds: float

    @property
    def ok(self) -> bool:
        return self.status == "proved"


@dataclass(frozen=True)
class VerifyResult:
    """Per-step outcomes of :meth:`Derivation.verify`; ``ok`` only if all are proved."""

    name: str
    steps: tuple[StepResult, ...]

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.steps)

    @property
    def seconds(self) -> float:
        return sum(s.seconds for s in self.steps)

    @property
    def status(self) -> str:
        return "proved" if self.ok else "failed"

    def failures(self) -> list[StepResult]:
        return [s for s in self.steps if not s.ok]


@dataclass(frozen=True)
class Derivation:
    """A named chain of steps that establishes some SPEC clauses.

    ``notation`` maps SymPy sub-expressions to display symbols (for example
    the long ``Subs(Derivative(E(...)))`` of dE/du_j to ``delta_j``); it is used
    for rendering only and never for the proof. ``where`` lists those
    definitions in words.
    """

    # ``name`` and ``clauses`` are stated once, where the builder is registered
    # (``@derivation(name, clauses)``); the registry fills them in.
    name: str = ""
    title: str = ""
    clauses: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()
    steps: tuple[Step, ...] = ()
    summary: str = ""
    notation: dict = field(default_factory=dict, compare=False)
    where: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        """Identifier used in tests and docs, e.g. ``S6-sigmoid_derivative``."""
        return f"{self.clauses[0]}-{self.name}" if self.clauses else self.name

    def step(self, key: int | str) -> Step:
        """The step at an index or with a label."""
        if isinstance(key, int):
            return self.steps[key]
        for s in self.steps:
            if s.label == key:
                return s
        raise KeyError(f"derivation {self.name!r} has no step labelled {key!r}")

    def with_step(self, key: int | str, **changes: Any) -> Derivation:
        """A copy with one step changed (used to show that a wrong formula fails)."""
        target = self.step(key)
        steps = tuple(replace(s, **changes) if s is target else s for s in self.steps)
        return replace(self, steps=steps)

    def verify(self) -> VerifyResult:
        """Prove every step exactly; see :func:`nnref.symbolic.prove.prove_step`."""

        results = []
        for i, s in enumerate(self.steps):
            start = time.perf_counter()
            ok, method, message = prove_step(s)
            results.append(
                StepResult(
                    index=i,
                    label=s.label,
                    status="proved" if ok else "failed",
                    method=method,
                    message=message,
                    seconds=time.perf_counter() - start,
                )
            )
        return VerifyResult(self.name, tuple(results))


def rounds_to(expr, printed: str, note: str, label: str) -> Step:
    """Step: ``expr`` is within half a unit of the last printed digit of ``printed``.

    Decided by SymPy's certified evaluation of the constant ``expr``.
    """
    digits = len(printed.split(".")[1]) if "." in printed else 0
    half_ulp = sp.Rational(1, 2 * 10**digits)
    return Step(sp.Abs(expr - sp.Rational(printed)), half_ulp, note, relation="<", label=label)


def truncates_to(expr, printed: str, note: str, label: str) -> Step:
    """Step: ``printed`` is ``expr`` (positive) cut after its last printed digit.

    floor(expr * 10^d) is an integer SymPy decides by certified evaluation.
    """
    digits = len(printed.split(".")[1])
    scaled = sp.Rational(printed) * 10**digits
    return Step(sp.floor(expr * 10**digits, evaluate=False), scaled, note, label=label)
