"""Declared conventions: the legitimate ways an implementation may differ from the tutorial.

A convention has a name, a list of values (the tutorial's first) and what each
value changes. An implementation declares the ones it follows with
``--convention NAME=VALUE`` (repeatable) or with an attribute
``nnref_conventions = {...}`` on the object it provides; command-line pairs
win. Everything here works on plain data, so the judge can read a
declaration that came back from a child process.

Most conventions change the expected values: those are computed by running
the reference's building blocks under the declared conventions
(``nnref.conformance.variants.adapt``). ``input_type`` and ``precision`` change how
arguments are passed and how close the answers must be; their machinery lives
in ``native.py`` and ``precision.py`` of this package.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from nnref.conformance.errors import NnrefError


@dataclass(frozen=True)
class Convention:
    """One convention: its values (the tutorial's first) and what each one means."""

    name: str
    values: tuple[str, ...]
    meanings: tuple[str, ...]
    changes: str  # the protocol callables whose answers depend on it
    aliases: tuple[str, ...] = ()
    #: A numeric convention accepts any number in this closed range, not only ``values``
    #: (which then lists the values worth naming, e.g. for diagnosis to try).
    number_range: tuple[float, float] | None = None
    #: The clause whose value it changes; a convention with one is a knob of the reference's
    #: building blocks and a candidate of diagnosis. Without one (``input_type``,
    #: ``precision``) it changes how arguments are passed or compared, not the expected values.
    clause: str | None = None

    @property
    def default(self) -> str:
        return self.values[0]

    def meaning(self, value: str) -> str:
        """What ``value`` means (a number in the range that is not listed: said generically)."""
        if value in self.values:
            return self.meanings[self.values.index(value)]
        return f"{self.name} = {value}"

    def accepted(self) -> str:
        """The values accepted, for messages: ``a | b`` or ``any number in [0, 1] (1, 0, ...)``."""
        listed = " | ".join(self.values)
        if self.number_range is None:
            return listed
        lo, hi = (number_text(v) for v in self.number_range)
        return f"any number in [{lo}, {hi}] (e.g. {', '.join(self.values)})"


REGISTRY: dict[str, Convention] = {
    c.name: c
    for c in (
        Convention(
            "threshold",
            ("subtracted", "added"),
            ("u = xW - b, the tutorial's (S1)", "u = xW + b, a bias as most libraries write it"),
            "linear, forward, gradients (the sign of db)",
            clause="S1",
        ),
        Convention(
            "weight_layout",
            ("in_out", "out_in"),
            (
                "W[i][j] is input i -> neuron j, one row per input (S2)",
                "W[j][i], one row per neuron, as torch.nn.Linear stores it (W and dW)",
            ),
            "linear, forward, gradients (W is passed, and dW returned, transposed)",
            clause="S2",
        ),
        Convention(
            "relu_grad_at_zero",
            ("1", "0", "0.5"),
            (
                "ReLU'(0) = 1, the tutorial's rule for x >= 0 (S8)",
                "ReLU'(0) = 0, as most libraries and the tutorial's own code",
                "ReLU'(0) = 1/2, autodiff of maximum(u, 0) at the tie (jax.numpy.maximum, "
                "torch.maximum); any number in [0, 1] may be declared",
            ),
            "gradients through a ReLU whose input is exactly 0",
            clause="S8",
            number_range=(0.0, 1.0),
        ),
        Convention(
            "squared_error",
            ("half_sum", "mean", "sum", "half_mean"),
            (
                "E = 1/2 sum (y - t)^2, the tutorial's (S13, E6)",
                "E = mean (y - t)^2, as torch.nn.MSELoss",
                "E = sum (y - t)^2",
                "E = 1/2 mean (y - t)^2",
            ),
            "squared_error, gradients with the squared error",
            clause="S13",
        ),
        Convention(
            "adam",
            ("algorithm1", "efficient"),
            (
                "Algorithm 1 of Kingma & Ba: eps added to sqrt(v_hat) (S23)",
                "the paper's efficient form: lr_t = lr sqrt(1 - beta2^t) / (1 - beta1^t), "
                "eps-hat added to sqrt(v)",
            ),
            "adam_step (visible when gradients are about as small as eps)",
            clause="S23",
        ),
        Convention(
            "input_type",
            ("list", "numpy", "torch"),
            (
                "plain Python lists of floats",
                "float numpy arrays (W a 2-D array)",
                "float torch tensors",
            ),
            "how arguments are passed (no expected value changes)",
        ),
        Convention(
            "precision",
            ("float64", "float32"),
            (
                "float64 arithmetic: the vectors' tolerances",
                "float32 arithmetic: tolerances from float32's epsilon and each case's scale",
            ),
            "the tolerances (no expected value changes)",
        ),
    )
}


def number_text(x: float) -> str:
    """A number as a convention value is spelled: ``1``, ``0``, ``0.5``, ``0.25``."""
    x = float(x)
    return str(int(x)) if x.is_integer() else repr(x)


@dataclass(frozen=True)
class Conventions:
    """The conventions in force: every registered name mapped to one of its values."""

    values: tuple[tuple[str, str], ...]

    @classmethod
    def tutorial(cls) -> Conventions:
        return cls(tuple((c.name, c.default) for c in REGISTRY.values()))

    @classmethod
    def from_declared(cls, cli_pairs=(), declared=None) -> Conventions:
        """The tutorial's conventions, then the implementation's ``declared`` dict, then
        ``NAME=VALUE`` strings from the command line (which win). NnrefError, one line, on
        an unknown name or value."""
        chosen = dict(cls.tutorial().values)
        if declared is not None:
            if not isinstance(declared, dict):
                kind = type(declared).__name__
                raise NnrefError(f"nnref_conventions must be a dict of NAME: VALUE, got a {kind}")
            for name, value in declared.items():
                chosen.update([_checked(str(name), str(value), "nnref_conventions")])
        for pair in cli_pairs:
            chosen.update([parse_pair(pair)])
        return cls(tuple(chosen.items()))

    def __getitem__(self, name: str) -> str:
        return dict(self.values)[name]

    def as_dict(self) -> dict[str, str]:
        return dict(self.values)

    def declared(self) -> dict[str, str]:
        """Only the conventions that differ from the tutorial's."""
        return {k: v for k, v in self.values if v != REGISTRY[k].default}

    def is_tutorial(self) -> bool:
        return not self.declared()


def parse_pair(text: str) -> tuple[str, str]:
    """``'NAME=VALUE'`` -> (name, value); a one-line NnrefError naming what is wrong."""
    name, sep, value = str(text).partition("=")
    if not sep or not name.strip() or not value.strip():
        raise NnrefError(f"--convention {text!r}: expected NAME=VALUE, e.g. weight_layout=out_in")
    return _checked(name.strip(), value.strip(), "--convention")


def _checked(name: str, value: str, where: str) -> tuple[str, str]:
    convention = REGISTRY.get(name)
    if convention is None:
        known = ", ".join(REGISTRY)
        raise NnrefError(f"{where}: unknown convention {name!r} (known: {known})")
    canonical = value if convention.number_range is None else _number_value(convention, value)
    if canonical is None or (convention.number_range is None and value not in convention.values):
        raise NnrefError(f"{where}: {name} can be {convention.accepted()}, got {value!r}")
    return name, canonical


def _number_value(convention: Convention, text: str) -> str | None:
    """``text`` spelled canonically (``1.0`` -> ``1``) if it is a number in the range, else None."""

    try:
        x = float(text)
    except ValueError:
        return None
    lo, hi = convention.number_range
    return number_text(x) if math.isfinite(x) and lo <= x <= hi else None
