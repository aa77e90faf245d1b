"""How each vector operation calls the implementation and where its result's numbers are.

An operation names the protocol callables it needs (``requires``); ``call``
runs them on a case's inputs (fresh copies, see ``guard``), and ``leaves``
pairs each expected array with the matching part of the result, so the
comparison can name the entry that differs (``gradients[0]['W'][1][2]``).
``adam_trajectory`` and ``encode_applicant`` are not protocol callables:
the first is several ``adam_step`` calls in a row (t = 1, 2, ...; m = v = 0 at
the start), the second an optional extra (the S4 encoding).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nnref.conformance.protocol.names import ARGUMENTS, PROTOCOL
from nnref.conformance.protocol.numbers import Malformed, kind_of, to_array

HYPER = ("lr", "beta1", "beta2", "eps")


@dataclass(frozen=True)
class Operation:
    name: str
    requires: tuple[str, ...]
    call: Callable[[dict, dict], object]


def _positional(name):
    """Call ``name`` with the case's inputs named by its protocol arguments, in order."""
    return lambda fns, a: fns[name](*(a[k] for k in ARGUMENTS[name]))


def _adam(fns, a):
    hyper = {k: a[k] for k in HYPER if k in a}
    return fns["adam_step"](a["w"], a["g"], a["m"], a["v"], a["t"], **hyper)


def _trajectory(fns, a):
    """Adam from m = v = 0, one step per gradient, t = 1, 2, ...; each result fed back as lists."""
    hyper = {k: a[k] for k in HYPER if k in a}
    w, m, v = list(a["w"]), [0.0] * len(a["w"]), [0.0] * len(a["w"])
    states = []
    for t, g in enumerate(a["grads"], start=1):
        w, m, v = triple(fns["adam_step"](w, list(g), m, v, t, **hyper), f"adam_step at t={t}")
        w, m, v = (to_array(s, f"adam_step at t={t}").tolist() for s in (w, m, v))
        states.append({"w": w, "m": m, "v": v})
    return states


def _encode(fns, a):
    return fns["encode_applicant"](a["income_yen"], a["has_loan"], a["detached_house"])


OPERATIONS: dict[str, Operation] = {
    **{n: Operation(n, (n,), _positional(n)) for n in ARGUMENTS if n != "adam_step"},
    "adam_step": Operation("adam_step", ("adam_step",), _adam),
    "adam_trajectory": Operation("adam_trajectory", ("adam_step",), _trajectory),
    "encode_applicant": Operation("encode_applicant", ("encode_applicant",), _encode),
}

#: Callables beyond the protocol that the runner uses when an implementation has them.
EXTRAS = ("encode_applicant",)


def triple(got, what):
    """(w, m, v) from a 3-tuple, or from {"w", "m", "v"} (the results-file form)."""
    if isinstance(got, dict) and set(got) == {"w", "m", "v"}:
        return got["w"], got["m"], got["v"]
    if isinstance(got, dict | str) or not hasattr(got, "__len__") or len(got) != 3:
        raise Malformed(f"{what} returned {kind_of(got)}, expected a tuple (w, m, v)")
    return got


def provided(impl: object) -> dict[str, object]:
    """The protocol callables ``impl`` provides, by name."""
    found = {}
    for name in PROTOCOL:
        fn = getattr(impl, name, None)
        if callable(fn):
            found[name] = fn
    return found


def implementation_fns(impl: object) -> dict:
    """The protocol callables ``impl`` provides, plus the optional extras it has."""
    fns = dict(provided(impl))
    for name in EXTRAS:
        fn = getattr(impl, name, None)
        if callable(fn):
            fns[name] = fn
    return fns
