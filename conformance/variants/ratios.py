"""Catalogue candidates for a gradient that is off by a constant factor (for gradcheck).

gradcheck compares an implementation's gradients with differences of its own loss and can
see that they differ by a constant ratio. Which mistake gives that ratio depends on the
network: y - t used after a softmax with the squared error gives 8.96x on one network and
another factor on the next. So rather than a fixed list of causes, ``factor_candidates``
replays the catalogue on the very network gradcheck built and returns the variants whose
gradients are ``ratio`` times the reference's there (within ``rel``).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from nnref.conformance.variants.catalogue import Variant, candidates
from nnref.conformance.variants.knobs import REFERENCE, Knobs
from nnref.conformance.variants.replay import variant_fns


def _flat(grads) -> np.ndarray:
    return np.concatenate([np.ravel(np.asarray(g[k], dtype=float)) for g in grads for k in "Wb"])


def factor_candidates(
    layers, x, t, loss: str, ratio: float, rel: float = 0.01, base: Knobs = REFERENCE
) -> list[Variant]:
    """Variants whose gradients on (layers, x, t, loss) are ``ratio`` x the reference's.

    ``layers`` are in the reference's layout ({"W": (in, out), "b", "activation"}); ``base``:
    the knobs of the conventions in force. A variant that cannot compute the network, or whose
    gradient is not a constant multiple of the reference's there, is left out."""
    want = _flat(variant_fns(base)["gradients"](layers, x, t, loss))
    scale = float(np.max(np.abs(want), initial=0.0))
    if scale == 0.0:
        return []
    out = []
    for v in candidates(base):
        if "gradients" not in v.operations:
            continue
        try:
            got = _flat(variant_fns(_with(base, v))["gradients"](layers, x, t, loss))
        except Exception:  # the variant cannot compute this network
            continue
        if got.shape == want.shape and np.all(
            np.abs(got - ratio * want) <= rel * abs(ratio) * scale
        ):
            out.append(v)
    return out


def _with(k: Knobs, v: Variant) -> Knobs:

    return replace(k, **v.changes)
