"""The judge's side: calls sent to children, one outcome per call, a fresh child after an early end.

``Session.run(calls)`` sends calls in batches and yields ``(index, Outcome)``
as each reply arrives. An outcome is a plain value, or an error in words:

- ``raised``: the code raised (SystemExit and KeyboardInterrupt included);
- ``not_implemented``: it raised NotImplementedError (counted as not provided);
- ``unsendable``: its result could not be read as numbers;
- ``ended``: the child died during the call ("the implementation exited with
  status 3 while computing tanh (case forward-d2-014)");
- ``protocol``: the child broke the protocol during the call (a frame with another
  call's id, a second reply, a frame too long or with too many numbers, not JSON);
- ``timeout``: no answer within the timeout; the child is killed;
- ``not_run``: not called: the callable timed out before (unless ``retry_timeouts``),
  or crashed ``CRASHES`` times, or the budget is spent, or the implementation could
  not be imported again.

The judge enforces the protocol: every reply must echo its request's id, in order,
exactly once, and a reply is handed on only once the next frame shows it was the only
one. After ``ended``, ``protocol`` or ``timeout`` the child's whole process tree is
killed and the remaining calls go to a fresh child. ``RemoteFn`` (``remote``) makes one
callable of the child look local.
"""

from __future__ import annotations

import contextlib
import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from nnref.conformance.errors import NnrefError
from nnref.conformance.isolation import reaper
from nnref.conformance.isolation.child import Broken, Child, Ended, Oversized, Silent
from nnref.conformance.isolation.sandbox import Sandbox
from nnref.conformance.protocol.message import (
    MAX_NUMBERS,
    Batch,
    Done,
    Hello,
    Reply,
    Request,
    result_cap,
)

__all__ = ["BATCH", "CRASHES", "SKIPPED", "Ahead", "Call", "Hello", "Outcome", "Session"]

#: Calls sent per request: large enough that the boundary costs little, small enough to stream.
BATCH = 64
#: A callable whose call ended its child this often is not called again.
CRASHES = 3
#: Why a call of a group (``Session.run(..., stop=True)``) after one that failed was not made.
SKIPPED = "not run: an earlier call of its group did not succeed"


@dataclass
class Call:
    name: str
    args: list
    kwargs: dict = field(default_factory=dict)
    label: str = ""  # "case forward-d2-014" or "property softmax-sums-to-one"
    native: dict | None = None
    then: list | None = None  # [name, [more args]]: the result goes on to a second callable
    raw: dict[str, str] | None = None  # fields given as JSON text already, e.g. {"args": "[...]"}
    runs: int = 1  # how often the callable runs (a call with ``moves``)
    moves: list | None = None  # [[j, v], ...]: one run per move of args[0]'s number j to v

    def request(self, call_id: int) -> Request:
        return Request(
            call_id, self.name, self.args, self.kwargs, self.native, self.then, self.moves, self.raw
        )


@dataclass
class Outcome:
    ok: bool
    value: object = None
    kind: str = ""
    message: str = ""
    changed: str | None = None
    traceback: str = ""
    error_type: str = ""  # the exception's class name, when the code raised
    output: dict = field(default_factory=dict)


class Session:
    """Children running one implementation, started on demand, replaced after an early end.

    ``budget``: seconds for the whole session (from ``start``); once spent, every call is
    *not run*. ``sandbox``: every child under bwrap (``sandbox.Sandbox``), with ``hide``
    (report paths, vector files) out of its sight.
    """

    def __init__(
        self,
        spec,
        names,
        timeout=10.0,
        memory_limit=None,
        retry_timeouts=False,
        budget: float | None = None,
        sandbox: bool = False,
        hide=(),
    ):
        self.spec, self.names = spec, list(names)
        self.timeout, self.memory_limit = timeout, memory_limit
        self.retry_timeouts, self.budget = retry_timeouts, budget
        self.sandbox = Sandbox(hide) if sandbox else None  # NnrefError if bwrap cannot run
        self.timed_out: dict[str, str] = {}  # callable -> where it first timed out
        self.crashed: dict[str, int] = {}  # callable -> calls that ended its child
        self.not_implemented: set[str] = set()  # callables that raised NotImplementedError
        self.left_behind: list = []  # reaper.Proc: processes the implementation left running
        self.children_started = 0
        self.hello: Hello | None = None
        self._child: Child | None = None
        self._ids = itertools.count(1)
        self._unloadable = ""  # why a fresh child could not import the implementation
        self._ends: float | None = None  # when the budget is spent (monotonic)
        self._open = False
        self._in_flight = False  # a batch was sent and its end not yet read
        self._ahead: Ahead | None = None  # outcomes of calls made ahead, not all read yet

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def start(self, debug: bool = False) -> Hello:
        """Start the first child and read its hello; NnrefError when the import failed."""
        if not self._open:
            reaper.enter()
            self._open = True
        if self.budget is not None:
            self._ends = time.monotonic() + self.budget
        hello = self._fresh()
        if not hello.ok:
            self.close()
            text = hello.traceback if debug else ""
            raise NnrefError(
                (hello.error or "the implementation could not be loaded")
                + ("\n" + text.rstrip() if text else "")
            )
        if not hello.name:
            hello.name = self.spec
        self.hello = hello
        return hello

    def _fresh(self) -> Hello:
        """A new child and its hello; NnrefError if it ends, breaks or hangs while importing."""
        self._drop()
        self._child = child = Child(self.spec, self.names, self.memory_limit, self.sandbox)
        self.children_started += 1
        limit = max(60.0, self.timeout)
        try:
            hello = child.receive(self._deadline(limit))
            if not isinstance(hello, Hello):
                raise Broken(f"its first frame is a {type(hello).__name__}, not a hello")
        except Silent:
            self._drop("timeout")
            took = f"the budget ({self.budget:g}s)" if self._spent() else f"{limit:g}s"
            raise NnrefError(
                f"implementation {self.spec!r}: importing it took longer than {took}"
            ) from None
        except (Ended, Broken) as exc:
            output = child.output().get("stderr", "").strip().splitlines()
            tail = f": {output[-1][:200]}" if output else ""
            what = f"broke the protocol ({exc})" if isinstance(exc, Broken) else str(exc)
            self._drop()
            raise NnrefError(
                f"implementation {self.spec!r}: the implementation {what} while being imported"
                f"{tail}"
            ) from None
        hello.output = {**child.output(), **hello.output}  # what the import printed, warned
        return hello

    def run(self, calls: list[Call], stop: bool = False) -> Iterator[tuple[int, Outcome]]:
        """Each call's outcome, in order, as it arrives.

        ``stop``: the calls are a group that the judge's code would make one after the
        other, giving up at the first that fails; they go to the child together (a batch
        with ``stop``), and after the first outcome that is not a success every later call
        is *not run* (``SKIPPED``), never sent: crash counts, timeouts and fresh children
        are what the calls one by one would have given.

        The outcomes of an ``ahead`` still coming are read first (the child answers in
        order)."""
        self._settle()
        return self._outcomes(calls, stop)

    def ahead(self, calls: list[Call], stop: bool = True) -> Ahead:
        """The outcomes of ``calls`` (a group, as ``run`` with ``stop``), read when asked for:
        the judge works on the first ones while the child computes the rest. A later
        ``run`` reads what is left into the ``Ahead`` first, so nothing is lost."""
        self._settle()
        self._ahead = Ahead(self._outcomes(calls, stop))
        return self._ahead

    def _settle(self) -> None:
        ahead, self._ahead = self._ahead, None
        if ahead is not None:
            ahead.read_all()

    def _outcomes(self, calls: list[Call], stop: bool) -> Iterator[tuple[int, Outcome]]:
        i = 0
        while i < len(calls):
            reason = self._not_run(calls[i])
            if reason:
                yield i, Outcome(False, kind="not_run", message=reason)
                i += 1
                if stop:
                    break
                continue
            batch = []
            for call in calls[i : i + BATCH]:
                if self._not_run(call):
                    break
                batch.append(call)
            outcome = None
            for outcome in self._send(batch, stop):  # (read to its end: it tidies up after)
                yield i, outcome
                i += 1
            if stop and outcome is not None and _stops(outcome):
                break
        for j in range(i, len(calls)):
            yield j, Outcome(False, kind="not_run", message=SKIPPED)

    def early_end(self) -> str:
        """Why no call can be made any more ("" while calls can be made): the budget is
        spent, or the implementation cannot be imported again."""
        if self._spent():
            return f"not run: budget spent ({self.budget:g}s)"
        return f"not run: {self._unloadable}" if self._unloadable else ""

    def _not_run(self, call: Call) -> str:
        """Why ``call`` is not made ("" if it is)."""
        if self._spent():
            return f"not run: budget spent ({self.budget:g}s)"
        if self._unloadable:
            return f"not run: {self._unloadable}"
        if call.name in self.timed_out and not self.retry_timeouts:
            return f"not run: {call.name} timed out in {self.timed_out[call.name]}"
        if self.crashed.get(call.name, 0) >= CRASHES:
            return f"not run: {call.name} crashed {self.crashed[call.name]} times"
        return ""

    def _spent(self) -> bool:
        return self._ends is not None and time.monotonic() >= self._ends

    def _deadline(self, seconds: float) -> float:
        return self._deadline_at(time.monotonic() + seconds)

    def _deadline_at(self, deadline: float) -> float:
        return deadline if self._ends is None else min(deadline, self._ends)

    def _send(self, batch: list[Call], stop: bool = False) -> Iterator[Outcome]:
        """Outcomes of ``batch`` in order, stopping after the call during which the child ended
        (with ``stop``: after the first that did not succeed, when the child sends ``Done``).

        The previous call's outcome is held until the next frame arrives: a second reply
        to it makes it the call that broke the protocol."""
        child = self._ready()
        if child is None:
            yield Outcome(False, kind="not_run", message=self._not_run(batch[0]) or "not run")
            return
        ids = [next(self._ids) for _ in batch]
        batch_id = next(self._ids)
        requests = [c.request(k) for c, k in zip(batch, ids)]
        caps = [result_cap(len(r.to_json())) for r in requests]
        with contextlib.suppress(Ended):  # reported on the first receive below
            child.send(Batch(batch_id, requests, stop))
        self._in_flight = True  # until its end: a child closed before must not go on with it
        held: tuple[Call, int, Outcome] | None = None
        for call, call_id, cap in zip(batch, ids, caps):
            frame = self._frame(child, call, [0, 0.0] if call.runs > 1 else None, cap)
            if held is not None:
                if _about(frame, held[1]):
                    yield self._broke(held[0], "sent a second reply to one call")
                    return
                yield held[2]
            outcome = self._answer(child, call, call_id, frame)
            if self._child is not child:
                yield outcome
                return
            held = (call, call_id, outcome)
            if stop and _stops(outcome):
                break  # the child sends the end of the batch next
        frame = self._frame(child, held[0])
        if _about(frame, held[1]):
            yield self._broke(held[0], "sent a second reply to one call")
            return
        if isinstance(frame, Broken | Reply):
            what = frame if isinstance(frame, Broken) else _unexpected(frame, held[1])
            yield self._broke(held[0], str(what))
            return
        self._in_flight = False
        if not (isinstance(frame, Done) and frame.id == batch_id):
            self._drop("no end of batch")  # silent or gone after its last reply
        else:
            child.empty_files()
        yield held[2]  # (last: a caller that stops reading here leaves nothing undone)

    def _frame(self, child: Child, call: Call, run: list | None = None, cap: int = MAX_NUMBERS):
        """The next frame, or the exception that stands for what happened instead.

        For a call with ``moves`` (``run``: ``[the run seen, when it started]``), a deadline
        that passes while a later run has started since is moved to one timeout after that
        run's start: the timeout holds for each run, up to ``runs`` times in all."""
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                return child.receive(self._deadline_at(deadline), cap)
            except Silent as exc:
                now = time.monotonic()
                seen = child.progress() if run is not None and not self._spent() else None
                if seen is None or not run[0] < seen[0] <= call.runs:
                    return exc
                run[:] = [seen[0], min(seen[1], now)]
                deadline = run[1] + self.timeout
                if deadline <= now:
                    return exc
            except (Ended, Broken, Oversized) as exc:
                return exc

    def _answer(self, child: Child, call: Call, call_id: int, frame) -> Outcome:
        """The outcome of ``call`` from ``frame``."""
        if isinstance(frame, Reply) and frame.id == call_id:
            return self._from_reply(child, call, frame)
        if isinstance(frame, Silent):
            seen = child.progress() if call.runs > 1 else None
            return self._timed_out(child, call, seen[0] if seen else 1)
        if isinstance(frame, Ended):
            return self._ended(child, call, frame)
        if isinstance(frame, Oversized):  # not read: the child is not trusted to go on
            output = child.output()
            self._drop("oversized")
            message = (
                f"the result has more than {frame.limit:,} numbers, far more than its "
                "arguments call for"
            )
            return Outcome(False, kind="unsendable", message=message, output=output)
        why = str(frame) if isinstance(frame, Broken) else _unexpected(frame, call_id)
        return self._broke(call, why)

    def _from_reply(self, child: Child, call: Call, reply: Reply) -> Outcome:
        output = child.call_output(reply.output_end)
        if reply.output.get("warnings"):
            output["warnings"] = reply.output["warnings"]
        if reply.fatal:
            self._drop()
        if reply.ok:
            return Outcome(True, reply.value, changed=reply.changed, output=output)
        if reply.kind == "not_implemented":
            self.not_implemented.add(call.name)
        return Outcome(
            False,
            kind=reply.kind,
            message=reply.error,
            traceback=reply.traceback,
            error_type=reply.error_type,
            output=output,
        )

    def _timed_out(self, child: Child, call: Call, runs: int) -> Outcome:
        output = child.output()
        self._drop("timeout")
        what = f" ({call.label})" if call.label else ""
        if self._spent():
            message = f"not run: budget spent ({self.budget:g}s) while computing {call.name}{what}"
            return Outcome(False, kind="not_run", message=message, output=output)
        self.timed_out.setdefault(call.name, call.label)
        run = f" (run {runs} of {call.runs})" if call.runs > 1 else ""
        message = f"{call.name} timed out after {self.timeout:g}s{run}"
        return Outcome(False, kind="timeout", message=message, output=output)

    def _ended(self, child: Child, call: Call, exc: Ended) -> Outcome:
        output = child.output()
        self._drop()
        self.crashed[call.name] = self.crashed.get(call.name, 0) + 1
        what = f" ({call.label})" if call.label else ""
        message = f"the implementation {exc} while computing {call.name}{what}"
        return Outcome(False, kind="ended", message=message, output=output)

    def _broke(self, call: Call, why: str) -> Outcome:
        output = self._child.output() if self._child is not None else {}
        self._drop("broke the protocol")
        self.crashed[call.name] = self.crashed.get(call.name, 0) + 1
        what = f" ({call.label})" if call.label else ""
        message = f"the implementation broke the protocol while computing {call.name}{what}: {why}"
        return Outcome(False, kind="protocol", message=message, output=output)

    def _ready(self) -> Child | None:
        """The child to send to: a fresh one after an early end; None if none can be had."""
        if self._child is not None and not self._child.exited():
            return self._child
        try:
            hello = self._fresh()
        except NnrefError as exc:
            if not self._spent():
                self._unloadable = f"the implementation could not be imported again: {exc}"
            return None
        if not hello.ok:  # it imported before; now it does not: this child is never used
            self._drop()
            self._unloadable = f"the implementation could not be imported again: {hello.error}"
            return None
        return self._child

    def _drop(self, reason: str = "") -> None:
        """End the child and its whole process tree (at once, with a ``reason``)."""
        child, self._child = self._child, None
        self._in_flight = False
        if child is not None:
            if reason:
                child.kill(reason)
            child.close()
            self.left_behind += child.left_behind

    def call(
        self, name: str, args: list, kwargs=None, label: str = "", then=None, native=None
    ) -> Outcome:
        """One call, synchronously."""
        return next(self.run([Call(name, args, kwargs or {}, label, native, then=then)]))[1]

    def notes(self) -> list[str]:
        """One line on the processes the implementation left running, if it left any."""
        if not self.left_behind:
            return []
        n = len(self.left_behind)
        return [
            f"the implementation left {n} process{'es' if n > 1 else ''} running after its "
            f"child ended, killed by nnref: {reaper.describe(self.left_behind)}"
        ]

    def close(self) -> None:
        """End the session; a child still busy with a batch (Ctrl-C) is killed at once."""
        self._ahead = None  # (its outcomes are no longer wanted)
        self._drop("closed while busy" if self._in_flight else "")
        self._in_flight = False
        if self._open:
            reaper.leave()
            self._open = False


class Ahead:
    """Outcomes of calls made ahead (``Session.ahead``), read from the child on demand."""

    def __init__(self, outcomes: Iterator[tuple[int, Outcome]]):
        self._source, self._got = outcomes, []

    def __getitem__(self, k: int) -> Outcome:
        """The outcome of call ``k``, waiting for it if it has not arrived yet."""
        while len(self._got) <= k:
            _, outcome = next(self._source)  # (every call has an outcome: never exhausted)
            self._got.append(outcome)
        return self._got[k]

    def read_all(self) -> None:
        self._got.extend(outcome for _, outcome in self._source)


def _stops(outcome: Outcome) -> bool:
    """A group of calls (``run(..., stop=True)``) ends at this outcome (``Reply.stops``)."""
    return not outcome.ok or bool(outcome.changed)


def _about(frame, call_id: int) -> bool:
    """``frame`` is a reply to the call ``call_id``."""
    return isinstance(frame, Reply) and frame.id == call_id


def _unexpected(frame, call_id: int) -> str:
    if isinstance(frame, Reply):
        return (
            f"a reply to request {frame.id} came while waiting for the reply to request {call_id}"
        )
    if isinstance(frame, Done):
        return f"the end of batch {frame.id} came before the reply to request {call_id}"
    return f"a {type(frame).__name__.lower()} frame came before the reply to request {call_id}"
