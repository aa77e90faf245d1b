"""The checker's options, their defaults, and why the defaults are what they are.

Error model (float64, central differences). For an entry with scale
``s = max(1, |x_i|)`` and step ``h = eps^(1/3) * s`` the central difference
``(f(x + h e_i) - f(x - h e_i)) / 2h`` differs from the derivative by

- truncation ``h^2 |f'''| / 6``, about ``6e-12 * s^2 |f'''|``, and
- roundoff ``eps_f * F / h``, about ``3.7e-11 * F / s`` for ``F = max |f|``
  at the probes and ``f`` accurate to one ulp (``eps_f = eps = 2.2e-16``).

``eps^(1/3)`` is the step that balances the two, so a correct derivative
agrees with the central difference to about ``1e-10`` of the function's own
scale. The tolerance of an entry is

    tol = atol + rtol * max(|analytic|, |numeric|) + floor,
    floor = roundoff_factor * eps_f * F / h

- ``rtol = 1e-6``: ten thousand times the truncation error expected of a
  function with derivatives of order one, so truncation never fails a correct
  entry, yet an error of one part in a million is caught (torch's default,
  ``rtol = 1e-3``, lets a 0.1 % error through).
- ``floor``: the roundoff term scales with the function's own magnitude, so a
  loss of 1e12 and a loss of 1e-12 are both checked at their own scale.
  ``roundoff_factor = 64`` allows ``f`` to lose six bits to rounding
  (sums over a few hundred terms).
- ``atol = 0``: the checker has no absolute scale of its own, so a function
  whose values are 1e-12 is checked as strictly as one whose values are 1
  (torch's ``atol = 1e-5`` passes any gradient of a function that small).
  An entry whose analytic and numeric values are both exactly 0 passes.
  Raise ``atol`` if your function's value is dominated by cancellation
  (large intermediate terms summing to a small result), which the floor,
  computed from ``|f|``, does not see.

An entry that exceeds its tolerance is not reported at once: it is probed again
at half the step (two more evaluations), the two central differences are
combined by Richardson extrapolation, and the entry fails only if the
extrapolated value also disagrees (beyond the tolerance plus the estimated
truncation error ``|c(h/2) - c(h)| / 3``). The same probes tell kinks apart.

The accurate method (``method="richardson"``) uses the fourth-order stencil
``(4 c(h) - c(2h)) / 3`` with ``h = eps^(1/5) * s``: truncation ``O(h^4)``,
four evaluations per entry instead of two.

float32 rule: each array of parameters is handed to ``f`` in its own dtype, so
float32 arrays are evaluated in float32, as the user runs them (a softplus that
overflows in float32 is not finite here either); their steps are rounded so that
``x_i + h_i`` is exact in float32. If ``x`` holds a float32 array or ``f``
returns float32 values, its precision is ``eps_f = eps32 = 1.2e-7``: the step
becomes ``eps32^(1/3) * s`` and the floor uses ``eps32``. If the analytic
gradient is float32, its own rounding enters: ``rtol`` is widened to at least
``1e-3`` and ``atol`` to at least ``1e-4 * max |analytic|``. The report says which rule applied.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from nnref.conformance.errors import GradcheckInputError

EPS64 = float(np.finfo(np.float64).eps)
EPS32 = float(np.finfo(np.float32).eps)

#: float32 widening (see the module docstring).
FLOAT32_RTOL = 1e-3
FLOAT32_ATOL_SCALE = 1e-4


@dataclass(frozen=True)
class GradcheckOptions:
    """Everything that decides a verdict; printed in every report.

    Attributes:
        method: ``"central"`` (2 evaluations per entry) or ``"richardson"``
            (fourth-order, 4 per entry).
        atol: absolute tolerance (see the module docstring for the reasoning).
        rtol: relative tolerance, applied to ``max(|analytic|, |numeric|)``.
        roundoff_factor: the floor is ``roundoff_factor * eps_f * max|f| / h``.
        kinks: ``"lenient"``: an entry whose one-sided differences disagree is a
            kink, not a failure, if its analytic value lies in the one-sided range
            (between the two one-sided derivatives, within the tolerance); outside
            it, it fails. ``"strict"``: a kink passes only if its analytic value is
            one of the two one-sided derivatives.
        fast: check along random directions instead of entry by entry.
        directions: number of random directions in fast mode.
        max_report: at most this many failing entries are localized and listed.
        seed: seeds every random choice (``numpy.random.default_rng(seed)``).
    """

    method: str = "central"
    atol: float = 0.0
    rtol: float = 1e-6
    roundoff_factor: float = 64.0
    kinks: str = "lenient"
    fast: bool = False
    directions: int = 2
    max_report: int = 10
    seed: int = 0

    def validate(self) -> None:
        if self.method not in ("central", "richardson"):
            raise GradcheckInputError(
                f"method must be 'central' or 'richardson', got {self.method!r}"
            )
        if self.kinks not in ("lenient", "strict"):
            raise GradcheckInputError(f"kinks must be 'lenient' or 'strict', got {self.kinks!r}")
        for name in ("atol", "rtol", "roundoff_factor"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and np.isfinite(value) and value >= 0):
                raise GradcheckInputError(f"{name} must be a finite number >= 0, got {value!r}")
        if not isinstance(self.directions, int) or self.directions < 1:
            raise GradcheckInputError(
                f"directions must be an integer >= 1, got {self.directions!r}"
            )
        if not isinstance(self.max_report, int) or self.max_report < 1:
            raise GradcheckInputError(
                f"max_report must be an integer >= 1, got {self.max_report!r}"
            )

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Precision:
    """What the float32 rule decided: the precision of ``f`` and the tolerances in force."""

    eps_f: float
    atol: float
    rtol: float
    notes: tuple[str, ...] = ()

    def step_exponent(self, method: str) -> float:
        return 1.0 / 3.0 if method == "central" else 1.0 / 5.0

    def base_step(self, method: str) -> float:
        return self.eps_f ** self.step_exponent(method)


def precision_for(
    options: GradcheckOptions,
    f_float32: bool,
    grad_float32: bool,
    grad_scale: float,
    x_float32: bool,
) -> Precision:
    """Apply the float32 rule of the module docstring."""
    notes = []
    eps_f, atol, rtol = EPS64, options.atol, options.rtol
    if x_float32 or f_float32:
        eps_f = EPS32
        what = "x is float32: f was evaluated in float32, as given" if x_float32 else ""
        if f_float32:
            what += ("; f" if what else "f") + " returns float32 values"
        notes.append(
            f"{what}: step eps32^(1/3)*max(1,|x|), roundoff floor uses eps32 = {EPS32:.2e}"
        )
    if grad_float32:
        new_rtol = max(rtol, FLOAT32_RTOL)
        new_atol = max(atol, FLOAT32_ATOL_SCALE * grad_scale)
        notes.append(
            f"analytic gradient is float32: rtol widened {rtol:g} -> {new_rtol:g}, "
            f"atol {atol:g} -> {new_atol:.3g} (1e-4 * max|analytic|)"
        )
        atol, rtol = new_atol, new_rtol
    return Precision(eps_f=eps_f, atol=atol, rtol=rtol, notes=tuple(notes))
