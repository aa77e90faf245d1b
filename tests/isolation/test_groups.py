"""A group of calls goes to the child in one round trip and stops where the calls one by one
would have stopped: at the first that raises, ends its child or modifies its arguments.

The later calls are never made (the child's own record says so), so crash counts, fresh
children and "not run" reasons are what one call per round trip gives.
"""

from __future__ import annotations

import time

import pytest

from nnref.conformance.check.options import CheckOptions
from nnref.conformance.isolation.remote import remote_fns
from nnref.conformance.isolation.session import SKIPPED, Call, Session
from nnref.conformance.judge.verdict import FAIL, PASS
from nnref.conformance.properties.runner import run_property
from nnref.conformance.properties.suite import PROPERTIES, pairings
from nnref.conformance.protocol.names import ACTIVATIONS, LOSSES
from tests.isolation.leftovers import running

STOPPERS = "tests.isolation.groups_impl:STOPPERS"
NAMES = ["sigmoid", "softmax", "tanh", "linear", "relu"]
PAIRED = [*ACTIVATIONS, *LOSSES]


@pytest.fixture
def called(tmp_path, monkeypatch):
    """The names of the callables the child ran (its own record, in a folder)."""
    monkeypatch.setenv("NNREF_TEST_CALLED", str(tmp_path))
    return lambda: sorted(p.name for p in tmp_path.iterdir())


def kinds(outcomes) -> list[str]:
    return [o.kind or ("changed" if o.changed else "ok") for o in outcomes]


def test_a_group_stops_at_the_first_call_that_raises(called):
    calls = [Call("sigmoid", [[0.0]]), Call("softmax", [[0.0]]), Call("tanh", [[0.5]])]
    with Session(STOPPERS, NAMES) as session:
        session.start()
        outcomes = [o for _, o in session.run(calls, stop=True)]
        assert kinds(outcomes) == ["ok", "raised", "not_run"]
        assert outcomes[1].message == "ValueError: softmax is broken"
        assert outcomes[2].message == SKIPPED
        assert called() == ["softmax"]  # tanh, which would end the child, never ran
        assert session.crashed == {} and session.children_started == 1
        assert session.call("sigmoid", [[0.0]]).value == [0.5]  # the same child goes on
        assert session.children_started == 1
    assert running() == []


def test_a_group_stops_at_a_call_that_modifies_its_arguments(called):
    linear = Call("linear", [[1.0], [[2.0]], [0.0]])
    with Session(STOPPERS, NAMES) as session:
        session.start()
        outcomes = [o for _, o in session.run([linear, Call("tanh", [[0.5]])], stop=True)]
        assert kinds(outcomes) == ["changed", "not_run"]
        assert outcomes[0].changed == "x[0]: 1.0 -> 99.0"
        assert called() == ["linear"]


def test_a_group_that_ends_its_child_leaves_the_rest_unmade(called):
    calls = [Call("tanh", [[0.5]]), Call("sigmoid", [[0.0]]), Call("relu", [[1.0]])]
    with Session(STOPPERS, NAMES) as session:
        session.start()
        outcomes = [o for _, o in session.run(calls, stop=True)]
        assert kinds(outcomes) == ["ended", "not_run", "not_run"]
        assert session.crashed == {"tanh": 1} and session.children_started == 1  # no fresh one
    assert running() == []


def test_a_call_not_run_ends_its_group_and_calls_one_by_one_still_go_on(called):
    tanh, sigmoid = Call("tanh", [[0.5]]), Call("sigmoid", [[0.0]])
    with Session(STOPPERS, NAMES) as session:
        session.start()
        assert kinds(o for _, o in session.run([tanh] * 3)) == ["ended"] * 3
        outcomes = [o for _, o in session.run([tanh, sigmoid], stop=True)]
        assert kinds(outcomes) == ["not_run", "not_run"]
        assert outcomes[0].message == "not run: tanh crashed 3 times"
        assert outcomes[1].message == SKIPPED
        assert kinds(o for _, o in session.run([tanh, sigmoid])) == ["not_run", "ok"]


@pytest.mark.spec("S3")
def test_inputs_not_modified_fails_at_the_modifier_and_makes_no_later_call(called):
    prop = next(p for p in PROPERTIES if p.id == "property-inputs-not-modified")
    with Session(STOPPERS, ["linear", "tanh"]) as session:
        session.start()
        fns = remote_fns(session, ["linear", "tanh"], [prop.id])
        result = run_property(prop, fns, CheckOptions(seed=1), guard=False)
        assert result.status == FAIL
        assert result.message.startswith("linear modified its input: x[0]: ")
        assert called() == ["linear"]  # tanh comes after linear: it would have ended the child
        assert session.crashed == {} and session.children_started == 1
    assert running() == []


def test_calls_made_ahead_are_read_on_demand_and_a_call_between_loses_none(called):
    calls = [Call("sigmoid", [[float(v)]]) for v in range(4)]
    with Session(STOPPERS, NAMES) as session:
        session.start()
        ahead = session.ahead(calls)
        assert ahead[0].value == [0.5]
        assert session.call("relu", [[-1.0]]).value == [0.0]  # reads the rest of ahead first
        values = [ahead[k].value[0] for k in range(4)]
        assert values == pytest.approx([0.5, 0.7310585786300049, 0.8807970779778823, 0.9525741])
        assert session.children_started == 1


def test_calls_made_ahead_stop_as_a_group(called):
    calls = [Call("sigmoid", [[0.0]]), Call("softmax", [[0.0]]), Call("tanh", [[0.5]])]
    with Session(STOPPERS, NAMES) as session:
        session.start()
        ahead = session.ahead(calls)
        assert kinds(ahead[k] for k in range(3)) == ["ok", "raised", "not_run"]
        assert called() == ["softmax"]


@pytest.mark.spec("S15", "S20")
def test_the_gradient_property_sends_every_network_of_an_example_at_once():
    prop = next(p for p in PROPERTIES if p.id == "property-gradients-vs-finite-differences")
    names = ["forward", "gradients", *PAIRED]
    with Session("nnref.reference", names) as session:
        session.start()
        sent = []
        send = session._send
        session._send = lambda batch, stop=False: sent.append(len(batch)) or send(batch, stop)
        fns = remote_fns(session, names, [prop.id])
        result = run_property(prop, fns, CheckOptions(seed=1), guard=False)
        assert result.status == PASS, result.message
        pairs = len(pairings(fns))
        assert pairs >= 4 and sent.count(3 * pairs) >= 0.9 * len(sent), sent  # 1 round trip


@pytest.mark.spec("S15", "S20")
def test_a_network_sent_ahead_that_ends_the_child_leaves_the_first_failure_standing(called):
    """The first network fails in the judge; a later one of the same example, already sent,
    ends the child. The verdict is the first network's FAIL, and checking goes on."""
    prop = next(p for p in PROPERTIES if p.id == "property-gradients-vs-finite-differences")
    names = ["forward", "gradients", *PAIRED]
    with Session("tests.isolation.groups_impl:WRONG_THEN_CRASHES", names) as session:
        session.start()
        fns = remote_fns(session, names, [prop.id])
        result = run_property(prop, fns, CheckOptions(seed=1), guard=False)
        assert result.status == FAIL
        assert "but finite differences of its own forward + " in result.message
        assert called() == ["forward-tanh"]  # computed ahead, though the judge had failed it
        assert session.call("sigmoid", [[0.0]]).value == [0.5]  # a fresh child goes on
        assert session.crashed == {"forward": 2}  # the example, and hypothesis's replay of it
    assert running() == []


@pytest.mark.parametrize(
    ("spec", "name", "why"),
    [
        ("REPLY_FOR_THE_NEXT_CALL", "tanh", "a reply to request"),
        ("SECOND_REPLY", "sigmoid", "sent a second reply to one call"),
        ("END_OF_BATCH_TOO_SOON", "softmax", "the end of batch"),
    ],
)
def test_a_forged_frame_inside_a_group_breaks_the_protocol_and_ends_the_group(spec, name, why):
    """Frames of its own on the pipe, while a group is in flight: that call broke the
    protocol, the rest of the group is not made, and a fresh child takes the next call."""
    calls = [Call("relu", [[1.0]]), Call(name, [[0.5, 0.1]]), Call("relu", [[2.0]])]
    with Session(f"tests.isolation.protocol_hostile:{spec}", ["relu", name]) as session:
        session.start()
        outcomes = [o for _, o in session.run(calls, stop=True)]
        assert kinds(outcomes) == ["ok", "protocol", "not_run"], [o.message for o in outcomes]
        assert why in outcomes[1].message and f"while computing {name}" in outcomes[1].message
        assert session.call("relu", [[3.0]]).value == [3.0]
        assert session.children_started == 2
    assert running() == []


def test_a_session_closed_with_outcomes_ahead_unread_kills_its_child_at_once():
    """20 calls of 0.4 s each made ahead, one read: closing does not wait for the other 19."""
    with Session("tests.isolation.limits_hostile:SLOW", ["tanh"]) as session:
        session.start()
        ahead = session.ahead([Call("tanh", [[0.5]]) for _ in range(20)])
        assert ahead[0].ok
        start = time.monotonic()
    assert time.monotonic() - start < 2.0
    assert session.left_behind == [] and session.notes() == []
    assert running() == []
