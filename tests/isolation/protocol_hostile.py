"""Hostile implementations that attack the judge's side of the protocol on purpose.

Each is the reference with one callable that writes frames of its own on the protocol's
pipe (its descriptor is in the worker's command line, as any code in the child can read),
floods it, or leaves processes behind. Loaded by the judge's children only.
"""

from __future__ import annotations

import json
import os
import sys
import time

from nnref import reference
from tests.conformance.impls import Impl


def _fd() -> int:
    """The protocol's pipe to the judge, read from the worker's command line."""
    return json.loads(sys.argv[-1])["out"]


def _call_id() -> int:
    """The id of the request in flight, read from the worker's frames."""
    frame = sys._getframe()
    while frame is not None:
        call = frame.f_locals.get("call")
        if frame.f_code.co_name == "run_call" and call is not None:
            return call.id
        frame = frame.f_back
    raise RuntimeError("no call in flight")


def _write(data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(_fd(), view) :]


def _reply(call_id: int, value, **more) -> bytes:
    frame = {"type": "reply", "id": call_id, "ok": True, "value": value, **more}
    return json.dumps(frame).encode() + b"\n"


def _second_reply(u):
    """A well-formed reply with the right id and the right value, then the real one."""
    value = reference.sigmoid(u)
    _write(_reply(_call_id(), value))
    return value


def _reply_for_the_next_call(u):
    _write(_reply(_call_id() + 1, [0.0] * len(u)))
    return reference.tanh(u)


def _reply_for_an_old_call(u):
    _write(_reply(0, [0.0] * len(u)))
    return reference.relu(u)


def _end_of_batch_too_soon(u):
    _write(b'{"type": "done", "id": 1}\n')
    return reference.softmax(u)


def _not_json(u):
    _write(b"this is not a frame\n")
    return reference.sigmoid(u)


def _wrong_field(u):
    _write(_reply(_call_id(), reference.tanh(u), ok="yes"))
    return reference.tanh(u)


def _flood(u):
    """64 MiB without a newline, as fast as the pipe takes it."""
    chunk = b"x" * (1 << 20)
    for _ in range(64):
        _write(chunk)
    return reference.relu(u)


def _trickle(u):
    """A byte every 10 ms, forever, never a newline: data always arrives, no frame does."""
    while True:
        _write(b"x")
        time.sleep(0.01)


def _forged_eight_million(u):
    """A well-formed reply of 8 million numbers (16 MB, under the frame cap)."""
    head = f'{{"type": "reply", "id": {_call_id()}, "ok": true, "value": ['.encode()
    _write(head + b"1," * (8_000_000 - 1) + b"1]}\n")
    return reference.softmax(u)


def _fifty_thousand(u):
    """An honest-looking result far larger than its arguments: 50,000 numbers."""
    return [0.0] * 50_000


def _grandchild_keeps_the_pipe(u):
    """A grandchild holds the protocol's pipe open and sleeps; the child exits with 3."""
    if os.fork() == 0:
        time.sleep(600)
        os._exit(0)
    os._exit(3)


_DAEMONS: list[int] = []


def _daemon(u):
    """Once: a daemon (double fork, new session) that outlives the call and the child; it
    writes its pid to ``NNREF_TEST_PIDFILE`` and rewrites ``NNREF_TEST_TARGET`` (if set)
    every 50 ms."""
    if not _DAEMONS:
        _DAEMONS.append(_detach(_rewrite_target))
    return reference.tanh(u)


def _detach(work) -> int:
    """Start ``work`` in a daemon: double fork, new session; the first fork has exited."""
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            try:
                work()
            finally:
                os._exit(0)
        os._exit(0)
    os.wait()
    return 1


def _rewrite_target() -> None:
    pidfile = os.environ.get("NNREF_TEST_PIDFILE")
    if pidfile:
        with open(pidfile, "w") as f:
            f.write(str(os.getpid()))
    target = os.environ.get("NNREF_TEST_TARGET")
    for _ in range(12_000):  # ten minutes
        if target:
            try:
                with open(target, "w") as f:
                    f.write('{"summary": {"passed": 999, "failed": 0}}\n')
            except OSError:
                pass
        time.sleep(0.05)


SECOND_REPLY = Impl(sigmoid=_second_reply)
REPLY_FOR_THE_NEXT_CALL = Impl(tanh=_reply_for_the_next_call)
REPLY_FOR_AN_OLD_CALL = Impl(relu=_reply_for_an_old_call)
END_OF_BATCH_TOO_SOON = Impl(softmax=_end_of_batch_too_soon)
NOT_JSON = Impl(sigmoid=_not_json)
WRONG_FIELD = Impl(tanh=_wrong_field)
FLOOD = Impl(relu=_flood)
TRICKLE = Impl(relu=_trickle)
FORGED_EIGHT_MILLION = Impl(softmax=_forged_eight_million)
FIFTY_THOUSAND = Impl(relu=_fifty_thousand)
GRANDCHILD_KEEPS_THE_PIPE = Impl(tanh=_grandchild_keeps_the_pipe)
DAEMON = Impl(tanh=_daemon)
