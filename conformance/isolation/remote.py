"""Callables of a child process that look local to the judge's code.

``remote_fns(session, names)`` gives ``{name: RemoteFn}``: calling one sends
the (plain-data) arguments to the child and returns the plain result, or
raises what the judge's property code already understands:
``ImplementationError`` (raised, ended, timed out, unreadable result),
``PropertyFailure`` (the call modified its inputs) and ``NotProvided``
(NotImplementedError). Used by the hypothesis properties, which draw their
inputs in the judge, and by the Adam trajectories, which feed each step's
result into the next call.
"""

from __future__ import annotations

import inspect
import itertools
import json

from nnref.conformance.isolation.session import Call, Outcome
from nnref.conformance.judge.faults import (
    ImplementationError,
    NotProvided,
    PropertyFailure,
    called_on,
)
from nnref.conformance.protocol.numbers import to_array
from nnref.conformance.protocol.plain import NotPlain, to_plain


class RemoteFn:
    def __init__(self, session, name: str, where: list[str], native: dict | None = None):
        self.session, self.name, self.where, self.native = session, name, where, native
        hello = getattr(session, "hello", None)
        params = (hello.signatures.get(name) if hello else None) or None
        if params is not None:
            self.__signature__ = _signature(params)

    def __call__(self, *args, **kwargs):
        return self.value(next(self.session.run([self.call(args, kwargs)]))[1], args)

    def call(self, args, kwargs=None) -> Call:
        """The call of this callable on ``args``, for ``Session.run``."""
        try:
            plain_args, plain_kwargs = to_plain(list(args)), to_plain(kwargs or {})
        except NotPlain as exc:
            raise ImplementationError(f"the arguments for {self.name} {exc}") from None
        return Call(self.name, plain_args, plain_kwargs, self.where[0], self.native)

    def value(self, outcome: Outcome, args):
        """The result a call's ``outcome`` holds, or the exception that stands for it."""
        if outcome.ok:
            if outcome.changed:
                raise PropertyFailure(f"{self.name} modified its input: {outcome.changed}")
            return outcome.value
        if outcome.kind == "not_implemented":
            raise NotProvided(called_on(self.name, args), outcome.message)
        if outcome.kind == "raised" and outcome.error_type.isidentifier():
            raise raised_in_child(outcome)
        raise ImplementationError(outcome.message)


class RaisedInChild(Exception):
    """What the implementation raised in the child; its class is named after the original."""


def raised_in_child(outcome) -> RaisedInChild:
    """``ValueError: boom`` from the child as an exception reading ``ValueError`` / ``boom``.

    The judge's messages then read as they would in one process
    (``gradients raised ValueError: boom``); the original class is not imported.
    """
    name = outcome.error_type
    text = outcome.message.removeprefix(name).removeprefix(":").strip()
    if name not in _CLASSES:  # one class per name: hypothesis compares the types on replay
        _CLASSES[name] = type(name, (RaisedInChild,), {"__module__": "builtins"})
    return _CLASSES[name](text)


_CLASSES: dict[str, type] = {}


def _signature(params: list):
    """The child's callable's signature, rebuilt from names (defaults shown as ``...``)."""

    empty = inspect.Parameter.empty
    try:
        return inspect.Signature(
            [
                inspect.Parameter(
                    n, getattr(inspect.Parameter, kind), default=... if has else empty
                )
                for n, kind, has in params
            ]
        )
    except (ValueError, KeyError, TypeError):
        return None


def remote_fns(session, names, where: list[str], native: dict | None = None) -> RemoteFns:
    """``{name: RemoteFn}``; ``where[0]`` names the case or property in flight, for messages.

    ``native`` (``CheckOptions.native()``): the argument type the implementation declared, so
    properties and trajectories hand it arrays or tensors like the vector cases do.
    """
    return RemoteFns(session, names, where, native)


class RemoteFns(dict):
    """``{name: RemoteFn}`` plus ``outcomes`` (a group of calls in one round trip) and
    ``energy`` (the loss of a network, with its probes batched)."""

    def __init__(self, session, names, where, native=None):
        super().__init__({name: RemoteFn(session, name, where, native) for name in names})
        self.session, self.where, self.native = session, where, native

    def outcomes(self, calls: list[tuple[str, list]]) -> list:
        """The outcomes of ``[(name, args), ...]``, made in the child one after the other in
        one round trip; after the first that does not succeed the rest are not made
        (``Session.run`` with ``stop``). ``self[name].value(outcome, args)`` reads one."""
        made = [self[name].call(args) for name, args in calls]
        return [outcome for _, outcome in self.session.run(made, stop=True)]

    def energy(self, loss: str, x, t):
        return Energy(self, loss, x, t)

    def ahead(self, plans: list[list[Call]]) -> list[Window]:
        """Each plan's outcomes: every call sent now, one group (``Session.ahead``), each plan's
        read when asked for, so the child computes the next plan while the judge works on one."""
        ahead = self.session.ahead([call for plan in plans for call in plan])
        starts = itertools.accumulate((len(plan) for plan in plans), initial=0)
        return [Window(ahead, start) for start in starts][: len(plans)]


class Window:
    """Outcomes ``start``, ``start + 1``, ... of an ``Ahead``, as ``window[0]``, ``window[1]``."""

    def __init__(self, ahead, start: int):
        self.ahead, self.start = ahead, start

    def __getitem__(self, k: int):
        return self.ahead[self.start + k]


class Energy:
    """``params -> loss(forward(params, x), t)`` in the child, the probes in one call.

    Finite differences evaluate the loss at the point and then at ``p_i +- h_i``
    for every parameter, one after the other: thousands of round trips. So the
    request for the point itself also carries every probe by the usual rule
    (``h_i = c * max(1, |p_i|)`` with ``c = eps^(1/3)``, rounded so ``p_i + h_i``
    is exact), as one call with ``moves`` (the network once, then ``[j, p_j +- h_j]``
    per probe); the values are cached. When the first probe shows
    another factor ``c``, every probe by that rule is computed in one more call.
    A probe no rule foresaw is simply computed when asked for. ``gradients(params)``
    puts the implementation's own gradients first in that same request.
    """

    def __init__(self, fns: RemoteFns, loss: str, x, t):
        self.fns, self.loss, self.x, self.t = fns, loss, to_plain(x), to_plain(t)
        self.x_text = json.dumps(self.x)
        self.cache: dict = {}
        self.base: list | None = None
        self.template = None
        self._planned: list[tuple] = []  # the keys of the usual probes of ``template``
        self.calls = 0

    def __call__(self, params) -> float:
        key = _key(params)
        self.calls += 1
        if key not in self.cache:
            if self.calls == 1:
                self._keep(params, self._run(self._first(params)))
            elif self.calls == 2:  # the first probe, by another rule than the usual one
                c = self._step_factor(_numbers(to_plain(params), []))
                if c not in (None, _USUAL_FACTORS[0]):  # (that rule's call failed: no retry)
                    keys, moves = self._points(c)
                    self._store(keys, self._run([self._probes(moves)])[0])
            if key not in self.cache:
                self.cache[key] = self._run([self._point(params)])[0]
        return _value(self.cache[key], self.fns, self.loss)

    def plan(self, params) -> list[Call]:
        """The calls ``gradients(params)`` reads: the implementation's gradients at ``params``,
        then the loss there and at every usual probe (what finite differences ask for first)."""
        args = [params, self.x, self.t, self.loss]
        return [self.fns["gradients"].call(args), *self._first(params)]

    def gradients(self, params, outcomes=None):
        """``gradients(params, x, t, loss)``, with the loss at ``params`` and at every usual
        probe in the same round trip: ``plan``'s calls, made now or given as ``outcomes``
        (``RemoteFns.ahead``)."""
        if outcomes is None:
            outcomes = self._run(self.plan(params))
        self._keep(params, [outcomes[1], outcomes[2]])
        return self.fns["gradients"].value(outcomes[0], [params, self.x, self.t, self.loss])

    def _first(self, params) -> list[Call]:
        """The loss at ``params`` and, in the same request, at every probe by the usual rule;
        ``params`` becomes the network the probes move."""
        self.template = to_plain(params)
        self.base = _numbers(self.template, [])
        self._planned, moves = self._points(_USUAL_FACTORS[0])
        return [self._point(self.template), self._probes(moves)]

    def _keep(self, params, outcomes: list[Outcome]) -> None:
        """The outcomes of ``_first``'s calls cached (the point's unless it was not made)."""
        point, probes = outcomes
        if point.kind != "not_run":  # (not made when an earlier call of its group failed)
            self.cache[_key(params)] = point
        self._store(self._planned, probes)

    def _point(self, params) -> Call:
        """The loss at one point."""
        return self._call(raw={"args": f"[{json.dumps(params, default=_listed)}, {self.x_text}]"})

    def _step_factor(self, probe: list) -> float | None:
        """The ``c`` of the first probe (one number moved), or None if it is not one."""
        moved = [i for i, (a, b) in enumerate(zip(self.base, probe)) if a != b]
        if len(moved) != 1 or len(probe) != len(self.base):
            return None
        i = moved[0]
        return _step_factor(self.base[i], abs(probe[i] - self.base[i]))

    def _points(self, c: float) -> tuple[list[tuple], list[list]]:
        """Every ``p_j +- h_j`` point: its key, and its move ``[j, p_j +- h_j]``."""
        tokens = list(_key(self.template))
        where = [i for i, token in enumerate(tokens) if type(token) in (float, int)]
        keys, moves = [], []
        for j, p in enumerate(self.base):
            h = (p + c * max(1.0, abs(p))) - p
            for q in (p + h, p - h):
                moves.append([j, q])
                tokens[where[j]] = q
                keys.append(tuple(tokens))
            tokens[where[j]] = p
        return keys, moves

    def _probes(self, moves: list[list]) -> Call:
        """The loss at every point in one call (``moves``): one reply for all."""
        return self._call([self.template, self.x], moves=moves)

    def _store(self, keys: list[tuple], outcome: Outcome) -> None:
        """The probes' values cached.

        When their call failed, nothing is cached: each point is then computed on
        its own when asked for, so an error names the probe that raised it. After
        an early end or a timeout, that outcome stands for every point.
        """
        if outcome.ok:
            for key, value in zip(keys, outcome.value):
                self.cache[key] = Outcome(True, value)
        elif outcome.kind in ("ended", "timeout"):
            self.cache.update(dict.fromkeys(keys, outcome))

    def _call(self, args=(), raw=None, moves=None) -> Call:
        """``forward`` then the loss (once per move, with ``moves``)."""
        then, runs = [self.loss, [self.t]], len(moves) if moves is not None else 1
        label, native = self.fns.where[0], self.fns.native
        return Call("forward", list(args), {}, label, native, then, raw, runs, moves)

    def _run(self, calls: list[Call]) -> list[Outcome]:
        """The outcomes of ``calls``, sent to the child in one request (none made after the
        first that fails)."""
        return [outcome for _, outcome in self.fns.session.run(calls, stop=True)]


#: Step factors finite differences commonly use: eps^(1/3) (central), eps^(1/2) (one-sided).
_USUAL_FACTORS = (2.220446049250313e-16 ** (1 / 3), 2.220446049250313e-16**0.5)


def _step_factor(p: float, h: float) -> float:
    """The ``c`` of ``h = c * max(1, |p|)`` (rounded): a usual or round factor reproducing ``h``."""
    estimate = h / max(1.0, abs(p))
    for c in (*_USUAL_FACTORS, float(f"{estimate:.2g}")):  # round: 1e-6, 5e-7
        if (p + c * max(1.0, abs(p))) - p == h:
            return c
    return estimate


def _value(outcome, fns: RemoteFns, loss: str) -> float:
    if not outcome.ok:
        if outcome.kind == "not_implemented":
            name = "forward" if "forward" in outcome.message else loss
            raise NotProvided(name, outcome.message)
        what = f"forward or {loss} raised " if outcome.kind == "raised" else ""
        raise ImplementationError(what + outcome.message)
    if type(outcome.value) is float:  # the usual answer: no array needed to read it
        return outcome.value
    return float(to_array(outcome.value, loss))


def _key(params) -> tuple:
    """The point as a tuple of its leaves and brackets (arrays as lists): equal points, equal keys.

    Several times faster than its JSON text, and the gradient property looks up
    tens of thousands of points. Numbers compare as numbers: ``0.0`` and ``-0.0``
    are one point, a NaN matches nothing (so it is simply computed again).
    """
    return tuple(_tokens(params, []))


_LIST, _DICT, _END = object(), object(), object()  # brackets: never equal to a leaf


def _tokens(value, out: list) -> list:
    kind = type(value)
    if kind is list or kind is tuple:
        out.append(_LIST)
        for v in value:
            if type(v) is float:  # most leaves: no call per number
                out.append(v)
            else:
                _tokens(v, out)
        out.append(_END)
    elif kind is dict:
        out.append(_DICT)
        for k, v in value.items():
            out.append(k)
            _tokens(v, out)
        out.append(_END)
    elif kind is float or value is None or kind in (int, bool, str):
        out.append(value)
    elif hasattr(value, "tolist"):
        _tokens(value.tolist(), out)
    else:
        out.append(repr(value))
    return out


def _listed(value):
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not a number")


def _numbers(value, out: list) -> list:
    """The numbers of a network (lists, dicts, arrays), in order, appended to ``out``."""
    if isinstance(value, dict):
        for v in value.values():
            _numbers(v, out)
    elif isinstance(value, list | tuple):
        for v in value:
            _numbers(v, out)
    elif isinstance(value, float | int) and not isinstance(value, bool):
        out.append(float(value))
    elif hasattr(value, "tolist"):
        _numbers(value.tolist(), out)
    return out
