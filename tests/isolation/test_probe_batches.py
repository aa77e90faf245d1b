"""Calls with ``moves``: the finite-difference probes of a network cross in one request.

The gradient property evaluates ``loss(forward(p, x), t)`` at every ``p_j +- h_j``;
``Energy`` sends the network once, with one move ``[j, p_j +- h_j]`` per point, as one
call that runs once per point in the child, each run on a fresh copy.
These tests check that this changes the number of round trips only: the same values,
every run still checked for modified inputs, an error named at its own probe, and a
timeout that holds for each run (a hang at one probe costs one timeout).
"""

from __future__ import annotations

import copy
import time

import pytest

from nnref import reference
from nnref.conformance.isolation.remote import remote_fns
from nnref.conformance.isolation.session import Call, Session
from nnref.conformance.isolation.worker import Capture, run_call
from nnref.conformance.judge.faults import ImplementationError
from nnref.conformance.protocol.message import ProtocolError, Request, decode

LAYERS = [{"W": [[0.3, -0.2]], "b": [0.5, 0.25], "activation": "identity"}]
X, T = [1.5], [0.1, 0.2]
H = 2.220446049250313e-16 ** (1 / 3)  # the usual central-difference factor


def _probes(c=H):
    """The base point, then every W and b entry moved by +h and -h, as finite differences do."""
    points = [LAYERS]
    for key, index in [("W", (0, 0)), ("W", (0, 1)), ("b", (0,)), ("b", (1,))]:
        for sign in (1, -1):
            layers = [
                {**LAYERS[0], "W": [list(r) for r in LAYERS[0]["W"]], "b": list(LAYERS[0]["b"])}
            ]
            row = layers[0][key][index[0]] if key == "W" else layers[0][key]
            v = row[index[-1]]
            h = (v + c * max(1.0, abs(v))) - v  # rounded: v + h is exact
            row[index[-1]] = v + sign * h
            points.append(layers)
    return points


class Counting:
    """A session that counts the calls and requests it is given."""

    def __init__(self, session):
        self.session, self.calls, self.requests = session, 0, 0

    def run(self, calls, stop=False):
        self.requests += 1
        self.calls += len(calls)
        return self.session.run(calls, stop)

    def __getattr__(self, name):
        return getattr(self.session, name)


def _energy(spec):
    session = Session(spec, ["forward", "squared_error"], timeout=10.0)
    session.start()
    counting = Counting(session)
    fns = remote_fns(counting, ["forward", "squared_error"], ["property test"])
    return session, counting, fns.energy("squared_error", X, T)


@pytest.mark.parametrize(
    ("c", "requests"),
    [(H, 1), (1e-6, 2)],
    ids=["usual-step-foreseen-with-the-point", "other-step-seen-at-the-first-probe"],
)
def test_the_probes_cross_in_one_request(c, requests):
    session, counting, energy = _energy("nnref.reference")
    with session:
        got = [energy(p) for p in _probes(c)]
    want = [reference.squared_error(reference.forward(p, X), T) for p in _probes(c)]
    assert got == pytest.approx(want, rel=1e-12, abs=0)
    assert counting.requests == requests


def test_an_error_is_named_at_its_own_probe():
    session, _, energy = _energy("tests.isolation.probes:REFUSES_ONE_PROBE")
    points = _probes()
    with session:
        for p in points[:-3]:
            assert isinstance(energy(p), float)
        with pytest.raises(ImplementationError, match=r"forward or squared_error raised.*moved"):
            energy(points[-3])  # b[0] - h
        assert isinstance(energy(points[-1]), float)


def _call(name, args, moves):
    call = Request(1, name, args, moves=moves)
    pristine = Request(1, name, copy.deepcopy(args), moves=moves)
    return run_call(fns, call, pristine, Capture())


def _sort_second(u):
    if u[0] > 1:
        u.sort()
    return list(u)


fns = {"relu": _sort_second}


def test_every_run_is_checked_for_modified_arguments():
    reply = _call("relu", [[0.0, -1.0]], [[0, 0.5], [0, 2.0], [0, 3.0]])
    assert reply.ok and reply.changed == "u[0]: 2.0 -> -1.0"
    assert reply.value == [[0.5, -1.0], [-1.0, 2.0]]  # it stops at the run that modified


def test_each_run_gets_a_fresh_copy_with_one_number_moved():
    seen = []
    fns["forward"] = lambda layers, x: seen.append(layers) or [0.0]
    layers = [{"W": [[1.0, 2.0]], "b": [3.0, 4], "activation": "tanh"}]
    reply = _call("forward", [layers, [0.5]], [[0, -1.0], [3, 40.0], [1, 2.5]])
    assert reply.ok and reply.changed is None and reply.value == [[0.0]] * 3
    assert [s[0]["W"][0] + s[0]["b"] for s in seen] == [
        [-1.0, 2.0, 3.0, 4],
        [1.0, 2.0, 3.0, 40.0],
        [1.0, 2.5, 3.0, 4],
    ]
    assert len({id(s) for s in seen}) == 3 and len({id(s[0]["W"]) for s in seen}) == 3


def test_a_move_beyond_the_numbers_is_an_error_not_a_crash():
    reply = _call("relu", [[0.0, -1.0]], [[2, 1.0]])
    assert not reply.ok and "a move beyond the 2 numbers of the first argument" in reply.error


def test_moves_that_are_not_position_number_pairs_break_the_protocol():
    line = b'{"type": "batch", "id": 1, "calls": [{"id": 2, "name": "tanh", "moves": [[0]]}]}'
    with pytest.raises(ProtocolError, match="'moves' are not"):
        decode(line)


def test_the_timeout_holds_for_each_run_of_a_batched_call():
    with Session("tests.isolation.probes:SLOW_TANH", ["tanh"], timeout=0.5) as session:
        session.start()
        moves = [[0, 0.1], [0, 0.2], [0, 0.3]]  # 0.9 s in all, 0.3 s per run: each is in time
        outcome = next(session.run([Call("tanh", [[0.0]], runs=3, moves=moves)]))[1]
        assert outcome.ok and len(outcome.value) == 3


def test_a_hang_inside_a_batched_call_costs_one_timeout():
    """The 4th of 50 probes hangs: cut after one timeout, not 50 (the run is named)."""
    with Session("tests.isolation.probes:HANGS_AT_FOUR", ["tanh"], timeout=0.5) as session:
        session.start()
        moves = [[0, float(i)] for i in range(50)]
        start = time.monotonic()
        outcome = next(session.run([Call("tanh", [[0.0]], runs=50, moves=moves)]))[1]
        took = time.monotonic() - start
    assert outcome.kind == "timeout"
    assert outcome.message == "tanh timed out after 0.5s (run 4 of 50)"
    assert took < 2 * 0.5 + 0.5, took
    assert session.left_behind == []
