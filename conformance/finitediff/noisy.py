"""Full mode on a noisy ``f``: measure the noise, and check again at a step that suits it.

A forward that computes in float32 inside, but returns float64, is noisy at the
float64 step ``eps^(1/3)``: its central differences are off by ``eps32 |f| / h``,
a few per cent, and its one-sided differences disagree as at a kink. When the
check finds failures or kinks, ``f``'s noise is measured along two random
directions that leave those entries alone (``fast.measure_noise``, eight
evaluations). Noise more than ``NOISY`` times the rounding ``eps_f |f|`` the
check assumed means the assumption was wrong: the report says so ("f is noisy
at this step; is it computed in lower precision?") and every entry is checked
again with ``eps_f`` replaced by the measured noise over ``|f|`` (its step
``eps_noise^(1/3)``, its floor ``roundoff_factor * noise / h``).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from nnref.conformance.finitediff.fast import measure_noise
from nnref.conformance.finitediff.full import Context, Outcome, check_entries

#: Measured noise this many times the assumed rounding makes ``f`` noisy.
NOISY = 16.0


def check_all(ctx: Context, rng: np.random.Generator) -> tuple[Outcome, Context]:
    """Every entry; again at the measured noise if ``f`` turns out noisier than assumed."""
    outcome = check_entries(ctx)
    if not (outcome.failures or outcome.kinks):
        return outcome, ctx
    suspects = sorted({e.index for e in outcome.failures + outcome.kinks})
    sigma, F = measure_noise(ctx, rng, suspects)
    assumed = ctx.precision.eps_f * F
    if F == 0 or not np.isfinite(sigma) or sigma <= NOISY * assumed:
        return outcome, ctx
    eps_noise = min(sigma / F, 1e-2)
    note = (
        f"f is noisy at this step: measured noise {sigma:.2g} per value, {sigma / assumed:.3g} "
        f"times the rounding eps_f*|f| = {assumed:.2g}; is it computed in lower precision? "
        f"Checked again with eps_f = noise/|f| = {eps_noise:.2g} (step "
        f"{eps_noise ** ctx.precision.step_exponent(ctx.options.method):.2g}*max(1,|x|))"
    )
    precision = replace(ctx.precision, eps_f=eps_noise, notes=(*ctx.precision.notes, note))
    noisy = replace(ctx, precision=precision)
    return check_entries(noisy), noisy
