"""The judge enforces the protocol itself: ids, one reply per call, bounded frames, deadlines.

Each hostile implementation (``protocol_hostile``) writes frames of its own on the
protocol's pipe, floods it, or leaves processes behind, in one callable. Each test asserts
the verdict of that callable's cases, the exit status, the message, that everything else
passes, and that nothing is left running.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nnref.conformance.isolation.session import Call, Session
from nnref.conformance.protocol import message
from nnref.conformance.protocol.message import (
    Batch,
    Done,
    Hello,
    ProtocolError,
    Reply,
    Request,
    decode,
    encode,
)
from tests.conformance.helpers import lines_with, nnref
from tests.isolation.leftovers import running
from tests.isolation.test_hostile import assert_only

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "tests.isolation.protocol_hostile"
#: Two cases of each activation, no properties.
FEW = ["--no-properties", *(f"--only={n}-00[01]" for n in ("sigmoid", "tanh", "relu", "softmax"))]


@pytest.mark.parametrize(
    "frame",
    [
        Batch(
            3,
            [Request(1, "tanh", [[0.5]]), Request(2, "forward", [[1.0], [1.0]], moves=[[0, 2.0]])],
        ),
        Batch(4, []),
        Batch(5, [Request(1, "tanh", [[0.5]]), Request(2, "relu", [[1.0]])], stop=True),
        Hello(True, "impl", ["tanh"], {"tanh": [["u", "POSITIONAL_OR_KEYWORD", False]]}),
        Hello(False, error="importing it raised ValueError: x", traceback="..."),
        Reply(7, True, [0.5, math.inf], output={"warnings": ["w"]}, output_end=[3, 0]),
        Reply(8, False, kind="raised", error="ValueError: boom", error_type="ValueError"),
        Done(9),
    ],
)
def test_every_frame_reads_back_as_it_was_written(frame):
    assert decode(encode(frame)) == frame


def test_raw_fields_are_spliced_in_as_json_text():
    request = Request(4, "forward", raw={"args": "[[1.5], 2.0]", "then": '["tanh", []]'})
    assert decode(encode(Batch(5, [request]))).calls[0] == Request(
        4, "forward", [[1.5], 2.0], then=["tanh", []]
    )


@pytest.mark.parametrize(
    ("line", "said"),
    [
        (b"not json", "a frame that is not JSON"),
        (b"[1, 2]", "a frame that is not a JSON object"),
        (b'{"type": "surprise", "id": 1}', "a frame of unknown type 'surprise'"),
        (b'{"type": "reply", "id": 1, "ok": "yes"}', "a frame's 'ok' is not true or false"),
        (b'{"type": "reply", "id": -1, "ok": true}', "a frame's 'id' is not a non-negative"),
        (b'{"type": "reply", "id": 1.5, "ok": true}', "a frame's 'id' is not a non-negative"),
        (b'{"type": "reply", "id": 1, "ok": true, "x": 0}', "a reply with the unknown field 'x'"),
        (b'{"type": "reply", "id": 1, "ok": false, "kind": "oops"}', "a reply's 'kind' is 'oops'"),
        (b'{"type": "reply", "id": 1, "ok": true, "output": {"stdout": 3}}', "bad 'stdout'"),
        (b'{"type": "hello", "ok": true, "provides": [1]}', "'provides' is not a list of names"),
        (b'{"type": "done"}', "a frame's 'id' is not a non-negative integer"),
        (b"[" * 100_000 + b"]" * 100_000, "a frame that is not JSON"),
    ],
)
def test_a_malformed_frame_is_a_protocol_error_naming_what_is_wrong(line, said):
    with pytest.raises(ProtocolError, match=None) as info:
        decode(line)
    assert said in str(info.value)


def test_the_judge_caps_the_numbers_and_the_bytes_of_a_frame():
    many = b'{"type": "reply", "id": 1, "ok": true, "value": [' + b"1," * 2_000_000 + b"1]}"
    with pytest.raises(ProtocolError, match="a frame of more than 1,000,000 numbers"):
        decode(many)
    fits = b'{"type": "reply", "id": 1, "ok": true, "value": [' + b"0.5, " * 999_999 + b"NaN]}"
    assert len(decode(fits).value) == 1_000_000
    with pytest.raises(ProtocolError, match="a frame of 33,554,433 bytes"):
        decode(b" " * (message.MAX_FRAME + 1))


@pytest.mark.parametrize(
    ("name", "callable_", "message"),
    [
        ("SECOND_REPLY", "sigmoid", "sent a second reply to one call"),
        ("REPLY_FOR_THE_NEXT_CALL", "tanh", "came while waiting for the reply to request"),
        ("REPLY_FOR_AN_OLD_CALL", "relu", "a reply to request 0 came while waiting"),
        ("END_OF_BATCH_TOO_SOON", "softmax", "the end of batch 1 came before the reply"),
        ("NOT_JSON", "sigmoid", "a frame that is not JSON"),
        ("WRONG_FIELD", "tanh", "a frame's 'ok' is not true or false"),
        ("FLOOD", "relu", "a frame longer than 32 MiB"),
    ],
)
def test_a_frame_out_of_protocol_is_an_error_of_its_own_call_only(capsys, name, callable_, message):
    status, out, _ = nnref(capsys, "check", f"{HOSTILE}:{name}", *FEW)
    assert status == 1
    said = f"the implementation broke the protocol while computing {callable_} (case "
    assert_only(out, callable_, "ERROR", said)
    assert_only(out, callable_, "ERROR", message)
    assert len(lines_with(out, "ERROR")) == 2 and len(lines_with(out, "PASS")) == 6
    assert running() == []


@pytest.mark.parametrize("name", ["FORGED_EIGHT_MILLION", "FIFTY_THOUSAND"])
def test_a_result_far_larger_than_its_arguments_is_never_kept(capsys, name):
    """The judge's cap follows the request (``message.result_cap``): 10,000 numbers here."""
    status, out, _ = nnref(capsys, "check", f"{HOSTILE}:{name}", *FEW)
    assert status == 1
    said = "the result has more than 10,000 numbers, far more than its arguments call for"
    callable_ = "softmax" if name.startswith("FORGED") else "relu"
    assert_only(out, callable_, "ERROR", f"{callable_}: {said}")
    assert len(lines_with(out, "ERROR")) == 2 and len(lines_with(out, "PASS")) == 6
    assert running() == []


def test_after_a_broken_protocol_the_next_call_goes_to_a_fresh_child():
    calls = [Call("sigmoid", [[0.5]]), Call("tanh", [[0.5]]), Call("sigmoid", [[1.0]])]
    calls.append(Call("tanh", [[1.0]]))
    with Session(f"{HOSTILE}:SECOND_REPLY", ["sigmoid", "tanh"]) as session:
        session.start()
        outcomes = [o for _, o in session.run(calls)]
        assert [o.kind or "ok" for o in outcomes] == ["protocol", "ok", "protocol", "ok"]
        assert [outcomes[1].value, outcomes[3].value] == [[math.tanh(0.5)], [math.tanh(1.0)]]
        assert session.children_started == 3  # the first, and one after each broken call
    assert running() == []


@pytest.mark.slow
def test_a_trickle_without_a_newline_is_cut_at_the_timeout(capsys):
    start = time.monotonic()
    status, out, _ = nnref(capsys, "check", f"{HOSTILE}:TRICKLE", *FEW, "--timeout", "1")
    took = time.monotonic() - start
    assert status == 1
    assert_only(out, "relu", "ERROR", "relu")
    errors = lines_with(out, "ERROR")
    assert "relu timed out after 1s" in errors[0]
    assert "not run: relu timed out in case relu-000" in errors[1]
    assert took < 2 * 1 + 4, took  # one timeout, plus the rest of the check
    assert running() == []


@pytest.mark.slow
@pytest.mark.parametrize("name", ["FLOOD", "FORGED_EIGHT_MILLION"])
def test_a_flood_or_a_forged_frame_keeps_the_judge_small_and_quick(name):
    """The judge and its children, in a fresh process: peak RSS below 300 MB."""
    code = (
        "import resource, subprocess, sys, time; t = time.monotonic();"
        f"done = subprocess.run([sys.executable, '-m', 'nnref.conformance.cli', 'check',"
        f" '{HOSTILE}:{name}', '--no-properties', '--only=relu-000', '--only=softmax-000',"
        " '--timeout=2'], capture_output=True);"
        "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,"
        " time.monotonic() - t)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    status, rss_kb, seconds = done.stdout.split()
    assert status == "1"
    assert int(rss_kb) < 300 * 1024, rss_kb
    assert float(seconds) < 2 * 2 + 10, seconds  # at most two timeouts, plus start-up


def test_a_grandchild_holding_the_pipe_does_not_hide_the_exit(capsys, tmp_path):
    report = tmp_path / "r.json"
    start = time.monotonic()
    status, out, _ = nnref(
        capsys, "check", f"{HOSTILE}:GRANDCHILD_KEEPS_THE_PIPE", *FEW, "--json", report
    )
    assert time.monotonic() - start < 8  # not a 10 s timeout per case
    assert status == 1
    assert_only(out, "tanh", "ERROR", "the implementation exited with status 3 while computing")
    notes = json.loads(report.read_text())["notes"]
    assert any("the implementation left 2 processes running" in n for n in notes), notes
    assert running() == []


def test_a_daemon_is_killed_before_the_report_is_written_and_is_reported(
    capsys, tmp_path, monkeypatch
):
    report, pidfile = tmp_path / "r.json", tmp_path / "daemon.pid"
    monkeypatch.setenv("NNREF_TEST_TARGET", str(report))  # the daemon rewrites it every 50 ms
    monkeypatch.setenv("NNREF_TEST_PIDFILE", str(pidfile))
    status, out, _ = nnref(capsys, "check", f"{HOSTILE}:DAEMON", *FEW, "--json", report)
    assert status == 0
    daemon = int(pidfile.read_text())
    note = "note: the implementation left 1 process running after its child ended, killed by "
    name = Path(sys.executable).name[:15]  # the daemon's comm: the interpreter's name (python3)
    assert f"{note}nnref: {name} (pid {daemon})" in out
    assert not Path(f"/proc/{daemon}").exists()  # killed and reaped, not a zombie either
    assert running() == []
    time.sleep(0.3)
    assert json.loads(report.read_text())["summary"]["passed"] == 8


@pytest.mark.parametrize(
    ("request_bytes", "cap"),
    [(10, 10_000), (40_000, 80_000), (10**8, 1_000_000)],
)
def test_a_reply_may_hold_twice_the_numbers_its_request_could(request_bytes, cap):
    assert message.result_cap(request_bytes) == cap
    head = b'{"type": "reply", "id": 1, "ok": true, "value": ['
    assert len(decode(head + b"0," * (cap - 1) + b"0]}", cap).value) == cap
    with pytest.raises(message.TooManyNumbers, match=f"more than {cap:,} numbers"):
        decode(head + b"0," * (cap + 8) + b"0]}", cap)  # (a frame's own numbers: free)
