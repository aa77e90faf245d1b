"""Property checks driven by hypothesis, against the implementation itself.

- ``gradients-vs-finite-differences`` (S15-S20): every entry of ``gradients``
  agrees with central differences (E(p + h) - E(p - h)) / 2h of the
  implementation's own ``forward`` followed by its own loss, for one random
  network per (output, loss) pairing in each example
  (``nnref.conformance.finitediff.gradcheck``; a plain loop if that is missing).
- ``softmax-sums-to-one`` (S10): outputs finite, in [0, 1], summing to 1, even at +-1000.
- ``gradients-deterministic`` (S12, S20): calling ``gradients`` twice gives the same
  answer, even with a ``forward`` on another input in between (backward uses
  what this sample's own forward pass recorded, S12).
- ``inputs-not-modified``: no protocol callable modifies the caller's lists.

Networks are drawn as a structure (depth, layer sizes from the few fixed ``SHAPES``,
activations, output/loss pairing) plus a seed for ``numpy.random.default_rng``; ReLU pre-activations
within 1e-3 of the kink are rejected, so finite differences are meaningful.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from nnref.conformance.finitediff import gradcheck
from nnref.conformance.isolation.guard import first_change
from nnref.conformance.judge.faults import (
    ImplementationError,
    NotProvided,
    PropertyFailure,
    called_on,
)
from nnref.conformance.protocol.names import (
    ACTIVATIONS,
    ARGUMENTS,
    HIDDEN,
    LOSSES,
    PAIRINGS,
    PROTOCOL,
)
from nnref.conformance.protocol.numbers import to_array

#: gradcheck's absolute tolerance here: a loss near 0 computed from outputs near 1 (-ln y with
#: y = 1 - 4e-6) carries the round-off of those outputs, eps/h ~ 4e-11 in a finite difference,
#: not eps |f|; errors of a wrong backward rule are far above it.
FD_ATOL = 1e-9
EPS32 = float(np.finfo(np.float32).eps)


def in_float32(fns) -> bool:
    """True when the implementation declared precision=float32 (its callables then compute on
    float32 arguments in the child, so the properties' tolerances follow float32's epsilon)."""
    return (getattr(fns, "native", None) or {}).get("dtype") == "float32"


def call(fns, name, *args):
    return _judged(name, args, lambda: fns[name](*args))


def call_each(fns, calls, after=None) -> list:
    """``[call(fns, name, *args) for name, args in calls]``, stopping at the first that raises;
    ``after(i, value)`` checks each value in turn and may raise too.

    Callables in a child (``RemoteFns.outcomes``) get the whole group in one round trip;
    the child then stops at the first call that fails as these calls would. A call after
    one that only the judge finds wrong (``after`` raised) has been made all the same."""
    outcomes = fns.outcomes(calls) if callable(getattr(fns, "outcomes", None)) else None

    def made(i, name, args):
        return fns[name](*args) if outcomes is None else fns[name].value(outcomes[i], args)

    values = []
    for i, (name, args) in enumerate(calls):
        values.append(_judged(name, args, lambda: made(i, name, args)))  # noqa: B023
        if after is not None:
            after(i, values[i])
    return values


def _judged(name, args, make):
    """``make()``, with what the implementation raised said in the judge's words."""
    try:
        return make()
    except (PropertyFailure, ImplementationError, NotProvided):
        raise
    except NotImplementedError as exc:
        raise NotProvided(called_on(name, args), str(exc)) from None
    except Exception as exc:
        text = str(exc).strip().splitlines()
        raise ImplementationError(
            f"{name} raised {type(exc).__name__}{': ' + text[0] if text else ''}"
        ) from None


def pairings(fns) -> list[tuple[str, str]]:
    """The (output activation, loss) pairings whose activation and loss ``fns`` provides.

    Providing no activation (or no loss) at all means computing them inside
    ``forward`` and ``gradients``: then every one counts as provided.
    """
    acts, losses = _inside(fns, ACTIVATIONS), _inside(fns, LOSSES)
    return [p for p in PAIRINGS if (p[0] in fns or acts) and (p[1] in fns or losses)]


def _inside(fns, names) -> bool:
    """True when ``fns`` provides none of ``names`` (they live inside forward/gradients)."""
    return not any(n in fns for n in names)


#: The layer sizes (inputs, then each layer's outputs) of the networks drawn, by depth: a few
#: fixed shapes, so a framework that compiles per shape (JAX, torch.compile) compiles each
#: once, not once per example. Between them: every width from 1 to 4 as input, hidden and
#: output (output >= 2), square and non-square layers, and a hidden layer of one unit.
SHAPES = {
    1: ((1, 2), (4, 3), (2, 4)),
    2: ((3, 1, 2), (2, 4, 3), (4, 3, 4)),
    3: ((1, 3, 2, 2), (3, 2, 4, 3), (4, 4, 1, 4)),
}


def draw_network(data, fns, pairing=None):
    """(layers, x, t, loss, description): a random network, its pairing drawn unless given."""

    act, loss = pairing or data.draw(st.sampled_from(pairings(fns)), label="output and loss")
    usable = [a for a in HIDDEN if a in fns or _inside(fns, ACTIVATIONS)]  # what it provides
    depth = data.draw(st.integers(1, 3 if usable else 1), label="depth")
    sizes = list(data.draw(st.sampled_from(SHAPES[depth]), label="layer sizes"))
    hidden = [data.draw(st.sampled_from(usable)) for _ in range(depth - 1)]
    seed = data.draw(st.integers(0, 2**32 - 1), label="seed")
    rng = np.random.default_rng(seed)
    acts = [*hidden, act]
    layers = [
        {
            "W": rng.normal(0, 1, (n, m)).round(6).tolist(),
            "b": rng.normal(0, 0.5, m).round(6).tolist(),
            "activation": a,
        }
        for n, m, a in zip(sizes, sizes[1:], acts)
    ]
    x = rng.normal(0, 1, sizes[0]).round(6).tolist()
    if loss == "cross_entropy":
        t = np.eye(sizes[-1])[rng.integers(sizes[-1])].tolist()
    else:
        t = rng.uniform(0, 1, sizes[-1]).round(6).tolist()
    assume(_kink_margin(layers, x) > 1e-3)
    desc = f"network {'-'.join(map(str, sizes))} ({', '.join(acts)}), {loss}, seed {seed}"
    return layers, x, t, loss, desc


_NUMPY_ACTIVATIONS = {
    "sigmoid": lambda v: 1 / (1 + np.exp(-v)),
    "tanh": np.tanh,
    "relu": lambda v: np.maximum(v, 0),
}


def _kink_margin(layers, x) -> float:
    """Smallest |u| over ReLU layers (inf when there are none), by a plain numpy forward."""
    margin, a = np.inf, np.asarray(x)
    for layer in layers:
        u = a @ np.asarray(layer["W"]) - np.asarray(layer["b"])
        if layer["activation"] == "relu":
            margin = min(margin, float(np.abs(u).min()))
        a = _NUMPY_ACTIVATIONS.get(layer["activation"], lambda v: v)(u)
    return margin


def grads_arrays(fns, layers, x, t, loss, got=None):
    """The implementation's gradients (``got``, or a call now) as [(dW, db)] arrays, shapes
    checked."""
    if got is None:
        got = call(fns, "gradients", layers, x, t, loss)
    try:
        pairs = [(to_array(g["W"], "dW"), to_array(g["b"], "db")) for g in got]
    except Exception as exc:
        raise ImplementationError(f"gradients returned something unreadable: {exc}") from None
    for i, (layer, (dW, db)) in enumerate(zip(layers, pairs)):
        n, m = len(layer["W"]), len(layer["b"])
        if dW.shape != (n, m) or db.shape != (m,) or len(pairs) != len(layers):
            raise PropertyFailure(
                f"gradients[{i}] has shapes {dW.shape}, {db.shape}, expected {(n, m)}, {(m,)}"
            )
    return pairs


def gradients_vs_finite_differences(data, fns):
    """One random network per pairing the implementation supports (see ``check_network``).

    In a child (``RemoteFns.ahead``), every network's gradients and first probes are sent at
    once: the child computes the next network's while the judge checks one. They stop at
    the first call that fails; a network after one that only the judge finds wrong has been
    computed all the same."""
    networks = [draw_network(data, fns, pairing) for pairing in pairings(fns)]
    energies = [energy_function(fns, loss, x, t) for _, x, t, loss, _ in networks]
    planned = [None] * len(networks)
    if callable(getattr(fns, "ahead", None)):
        planned = fns.ahead([e.plan(n[0]) for e, n in zip(energies, networks)])
    for network, energy, outcomes in zip(networks, energies, planned):
        check_network(*network, fns, energy, outcomes)


def check_network(layers, x, t, loss, desc, fns, energy=None, outcomes=None):
    """``gradients`` against finite differences of the implementation's own forward + loss.

    Uses ``nnref.conformance.finitediff.gradcheck`` (central differences with an error
    model, kinks recognised); without it, the plain central differences below. ``energy``
    and ``outcomes``: made ahead (see ``gradients_vs_finite_differences``).
    """
    energy = energy or energy_function(fns, loss, x, t)
    if callable(getattr(energy, "gradients", None)):  # with the first probes, one round trip
        args = (layers, x, t, loss)
        got = _judged("gradients", args, lambda: energy.gradients(layers, outcomes))
        grads = grads_arrays(fns, *args, got=got)
    else:
        grads = grads_arrays(fns, layers, x, t, loss)
    if in_float32(fns):  # say so to gradcheck, whose float32 rule then sets step and tolerances
        energy = _as_float32(energy)
        grads = [(dW.astype(np.float32), db.astype(np.float32)) for dW, db in grads]

    given = [{"W": dW, "b": db} for dW, db in grads]
    result = gradcheck(energy, layers, given, name="layers", atol=FD_ATOL)
    if result.nonfinite:
        bad = result.nonfinite_entries[0]
        raise PropertyFailure(f"{bad.name}: its own forward + {loss} is not finite; {desc}")
    if not result:
        worst = result.failures[0]
        raise PropertyFailure(
            f"{worst.name} = {worst.analytic!r} but finite differences of its own forward + "
            f"{loss} give {worst.numeric!r}{_opposite(worst.analytic, worst.numeric)} "
            f"({result.failed} of {result.checked} entries differ); {desc}"
        )
    return None


def energy_function(fns, loss, x, t):
    """``params -> loss(forward(params, x), t)`` with the implementation's own callables.

    Callables in a child process (``nnref.conformance.isolation.remote``) bring their own,
    which batches the finite-difference probes into few round trips.
    """
    if callable(getattr(fns, "energy", None)):
        return fns.energy(loss, x, t)
    return lambda params: float(to_array(call(fns, loss, call(fns, "forward", params, x), t), loss))


def _as_float32(energy):
    return lambda params: np.float32(energy(params))


def _opposite(g: float, fd: float) -> str:
    return " (opposite sign)" if g * fd < 0 and abs(g + fd) <= 1e-3 * abs(fd) else ""


def softmax_sums_to_one(data, fns):
    u = data.draw(st.lists(st.floats(-1000, 1000, allow_nan=False), min_size=1, max_size=10))
    y = to_array(call(fns, "softmax", list(u)), "softmax result")
    if y.shape != (len(u),):
        raise PropertyFailure(f"softmax of {len(u)} logits returned shape {y.shape}; u = {u}")
    if not np.all(np.isfinite(y)) or np.any(y < 0) or np.any(y > 1):
        raise PropertyFailure(f"softmax({u}) = {y.tolist()} is not finite and in [0, 1]")
    tolerance = 4 * len(u) * EPS32 if in_float32(fns) else 1e-12
    if abs(float(y.sum()) - 1.0) > tolerance:
        raise PropertyFailure(f"softmax({u}) sums to {float(y.sum())!r}, not 1")


#: Two calls of ``gradients`` on one sample may differ by this many ulps of the largest entry
#: (a sum whose order follows memory addresses, as in micrograd, rounds differently).
ULPS = 16


def gradients_deterministic(data, fns):
    """The same gradients twice, with a forward pass on another input in between (S12, S20).

    Backward must use what this sample's own forward pass recorded (S12), not values left
    over from an earlier call. The two may differ by ``ULPS`` ulps (summation order); a larger
    difference fails, and a replay (forward on the other input, then gradients) says which
    mistake it is: the second value again means the implementation keeps state between calls,
    a third value means its gradients are not deterministic.
    """
    layers, x, t, loss, desc = draw_network(data, fns)
    other = [v + 1.0 for v in x]
    between = f" after forward on another input {other}" if "forward" in fns else ""
    grads = ("gradients", [layers, x, t, loss])
    calls = [grads, ("forward", [layers, other]), grads] if "forward" in fns else [grads, grads]
    arrays = []

    def read(i, value):
        if calls[i] is grads:
            arrays.append(grads_arrays(fns, layers, x, t, loss, got=value))

    call_each(fns, calls, read)
    first, second = arrays

    def again():
        if "forward" in fns:
            call(fns, "forward", layers, other)
        return grads_arrays(fns, layers, x, t, loss)

    differ = _first_difference(first, second)
    if differ is None:
        return
    i, key, p, q = differ
    third = _first_difference(second, again())
    why = (
        "a replay gave the second value again: the implementation keeps state between calls"
        if third is None
        else "a third call gave yet another value: the gradients are not deterministic"
    )
    raise PropertyFailure(
        f"a second call{between} returned a different gradients[{i}]['{key}']: "
        f"{p.tolist()} then {q.tolist()} (more than {ULPS} ulps apart); {why}; {desc}"
    )


def _first_difference(first, second):
    """(layer, "W" or "b", a, b) of the first arrays further apart than ``ULPS`` ulps, or None."""
    for i, (a, b) in enumerate(zip(first, second)):
        for key, p, q in (("W", a[0], b[0]), ("b", a[1], b[1])):
            if p.shape != q.shape:
                return i, key, p, q
            scale = max(
                float(np.max(np.abs(p), initial=0.0)), float(np.max(np.abs(q), initial=0.0))
            )
            tol = ULPS * np.finfo(np.float64).eps * max(scale, np.finfo(np.float64).tiny)
            same = (p == q) | (np.abs(p - q) <= tol)
            if not np.all(same):
                return i, key, p, q
    return None


def _inputs_for(name, data, fns):
    if name in ("forward", "gradients"):
        layers, x, t, loss, _ = draw_network(data, fns)
        return (layers, x) if name == "forward" else (layers, x, t, loss)
    n = data.draw(st.integers(1, 5))
    vec = st.lists(st.floats(-5, 5, allow_nan=False), min_size=n, max_size=n)
    if name == "linear":
        m = data.draw(st.integers(1, 4))
        row = st.lists(st.floats(-5, 5, allow_nan=False), min_size=m, max_size=m)
        return data.draw(vec), data.draw(st.lists(row, min_size=n, max_size=n)), data.draw(row)
    if name in LOSSES:
        y = data.draw(st.lists(st.floats(0.01, 1), min_size=n, max_size=n))
        return y, [1.0 if i == 0 else 0.0 for i in range(n)]
    if name == "sgd_step":
        return data.draw(vec), data.draw(vec), 0.1
    if name == "adam_step":
        v = data.draw(st.lists(st.floats(0, 5), min_size=n, max_size=n))
        return data.draw(vec), data.draw(vec), data.draw(vec), v, data.draw(st.integers(1, 50))
    if name == "box_muller":
        return data.draw(st.floats(0.001, 1)), data.draw(st.floats(0, 1))
    return (data.draw(vec),)  # an activation


def inputs_not_modified(data, fns):
    """Every provided protocol callable, on drawn inputs, leaves its arguments as they were."""
    names = sorted(n for n in fns if n != "encode_applicant")
    given = [dict(zip(ARGUMENTS[name], _inputs_for(name, data, fns))) for name in names]
    pristine = copy.deepcopy(given)

    def unchanged(i, _value):
        changed = first_change(pristine[i], given[i])
        if changed:
            raise PropertyFailure(f"{names[i]} modified its input: {changed}")

    call_each(fns, [(name, list(args.values())) for name, args in zip(names, given)], unchanged)


@dataclass(frozen=True)
class Property:
    """A property check: its report id, clauses, the callables it needs, and its body."""

    id: str
    clauses: tuple[str, ...]
    requires: tuple[str, ...]
    body: object
    shrink: bool = True
    any_of: tuple[str, ...] = ()  # at least one of these is needed too

    def missing(self, fns) -> list[str]:
        lacking = [n for n in self.requires if n not in fns]
        if self.any_of and not any(n in fns for n in self.any_of):
            lacking.append(" or ".join(self.any_of))
        if "gradients" in self.requires and not lacking and not pairings(fns):
            lacking.append("an output activation with its loss (e.g. identity and squared_error)")
        return lacking


PROPERTIES = (
    Property(
        "property-gradients-vs-finite-differences",
        ("S15", "S19", "S20"),
        ("forward", "gradients"),
        gradients_vs_finite_differences,
        False,
        LOSSES,
    ),
    Property("property-softmax-sums-to-one", ("S10",), ("softmax",), softmax_sums_to_one),
    Property(
        "property-gradients-deterministic",
        ("S12", "S20"),
        ("gradients",),
        gradients_deterministic,
        False,
    ),
    Property("property-inputs-not-modified", ("S3",), (), inputs_not_modified, False, PROTOCOL),
)
