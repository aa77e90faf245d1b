"""The judge's side: calls sent to children, one outcome per call, a fresh child after an early end.

``Session.run(calls)`` sends calls in batches and yields ``(index, Outcome)``
as each reply arrives. An outcome is a plain value, or an error in words:

- ``raised``: the code raised (SystemExit and KeyboardInterrupt included);
- ``not_implemented``: it raised NotImplementedError (counted as not provided);
- ``unsendable``: its result could not be read as numbers;
- ``ended``: the child died during the call ("the implementation exited with
  status 3 while computing tanh (case forward-d2-014)");
- ``timeout``: no answer within the timeout; the child is killed;
- ``not_run``: the callable timed out before, so it is not called again
  (unless ``retry_timeouts``).

After ``ended`` or ``timeout`` the remaining calls go to a fresh child.
``RemoteFn`` makes one callable of the child look local (for the hypothesis
properties, which draw their inputs in the judge).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from nnref.conformance.errors import NnrefError
from nnref.conformance.isolation.child import Child, Ended, Silent

#: Calls sent per request: large enough that the boundary costs little, small enough to stream.
BATCH = 64


@dataclass
class Call:
    name: str
    args: list
    kwargs: dict = field(default_factory=dict)
    label: str = ""  # "case forward-d2-014" or "property softmax-sums-to-one"
    native: dict | None = None
    then: list | None = None  # [name, [more args]]: the result goes on to a second callable
    raw: dict[str, str] | None = None  # fields given as JSON text already, e.g. {"each": "[...]"}
    runs: int = 1  # how often the callable runs (a call with ``each``): its timeout scales

    def request(self) -> str:
        """The call as JSON text (the ``raw`` fields spliced in as they are)."""
        out = {"name": self.name, "args": self.args, "kwargs": self.kwargs}
        if self.native:
            out["native"] = self.native
        if self.then:
            out["then"] = self.then
        raw = self.raw or {}
        for key in raw:
            out.pop(key, None)
        text = json.dumps(out)
        return text[:-1] + "".join(f", {json.dumps(k)}: {v}" for k, v in raw.items()) + "}"


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


@dataclass
class Hello:
    name: str
    provides: list[str]
    conventions: object = None
    conventions_error: str | None = None
    output: dict = field(default_factory=dict)
    signatures: dict = field(default_factory=dict)  # name -> [[param, kind, has_default]]


class Session:
    """Children running one implementation, started on demand, replaced after an early end."""

    def __init__(self, spec, names, timeout=10.0, memory_limit=None, retry_timeouts=False):
        self.spec, self.names = spec, list(names)
        self.timeout, self.memory_limit = timeout, memory_limit
        self.retry_timeouts = retry_timeouts
        self.timed_out: dict[str, str] = {}  # callable -> where it first timed out
        self.not_implemented: set[str] = set()  # callables that raised NotImplementedError
        self.children_started = 0
        self._child: Child | None = None
        self.hello: Hello | None = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def start(self, debug: bool = False) -> Hello:
        """Start the first child and read its hello; NnrefError when the import failed."""
        hello = self._fresh(import_timeout=max(60.0, self.timeout))
        if not hello.get("ok"):
            self.close()
            text = hello.get("traceback", "") if debug else ""
            raise NnrefError(
                hello.get("error", "the implementation could not be loaded")
                + ("\n" + text.rstrip() if text else "")
            )
        self.hello = Hello(
            hello.get("name") or self.spec,
            list(hello.get("provides", [])),
            hello.get("conventions"),
            hello.get("conventions_error"),
            hello.get("output") or {},
            hello.get("signatures") or {},
        )
        return self.hello

    def _fresh(self, import_timeout: float | None = None) -> dict:
        self.close()
        self._child = child = Child(self.spec, self.names, self.memory_limit)
        self.children_started += 1
        try:
            return child.receive(import_timeout or max(60.0, self.timeout))
        except Silent:
            child.kill("timeout")
            self.close()
            raise NnrefError(
                f"implementation {self.spec!r}: importing it took longer than "
                f"{import_timeout or 60:g}s"
            ) from None
        except Ended as exc:
            output = child.output().get("stderr", "").strip().splitlines()
            tail = f": {output[-1][:200]}" if output else ""
            self.close()
            raise NnrefError(
                f"implementation {self.spec!r}: the implementation {exc} while being imported{tail}"
            ) from None

    def run(self, calls: list[Call]) -> Iterator[tuple[int, Outcome]]:
        """Each call's outcome, in order, as it arrives."""
        i = 0
        while i < len(calls):
            if self._skipped(calls[i]):
                name = calls[i].name
                message = f"not run: {name} timed out in {self.timed_out[name]}"
                yield i, Outcome(False, kind="not_run", message=message)
                i += 1
                continue
            batch = []
            for call in calls[i : i + BATCH]:
                if self._skipped(call):
                    break
                batch.append(call)
            for outcome in self._send(batch):
                yield i, outcome
                i += 1

    def _skipped(self, call: Call) -> bool:
        return call.name in self.timed_out and not self.retry_timeouts

    def _send(self, batch: list[Call]) -> Iterator[Outcome]:
        """Outcomes of ``batch`` in order, stopping after the call during which the child ended."""
        child = self._ready()
        with contextlib.suppress(Ended):  # reported on the first receive below
            child.send_text('{"calls": [' + ", ".join(c.request() for c in batch) + "]}")
        for call in batch:
            yield self._receive(child, call)
            if self._child is not child:
                return

    def _receive(self, child: Child, call: Call) -> Outcome:
        limit = self.timeout * call.runs
        try:
            reply = child.receive(limit)
        except Silent:
            output = child.output()
            child.kill("timeout")
            self._drop()
            self.timed_out.setdefault(call.name, call.label)
            return Outcome(
                False,
                kind="timeout",
                message=f"{call.name} timed out after {limit:g}s",
                output=output,
            )
        except Ended as exc:
            output = child.output()
            self._drop()
            what = f" ({call.label})" if call.label else ""
            return Outcome(
                False,
                kind="ended",
                message=f"the implementation {exc} while computing {call.name}{what}",
                output=output,
            )
        if reply.get("fatal"):
            self._drop()
        if reply.get("kind") == "not_implemented":
            self.not_implemented.add(call.name)
        return _outcome(reply)

    def _ready(self) -> Child:
        if self._child is None or self._child.proc.poll() is not None:
            hello = self._fresh()
            if not hello.get("ok"):  # it imported before; now it does not
                raise NnrefError(hello.get("error", "the implementation could not be reloaded"))
        return self._child

    def _drop(self) -> None:
        if self._child is not None:
            self._child.kill("dropped")
            self._child.close()
            self._child = None

    def call(
        self, name: str, args: list, kwargs=None, label: str = "", then=None, native=None
    ) -> Outcome:
        """One call, synchronously."""
        return next(self.run([Call(name, args, kwargs or {}, label, native, then=then)]))[1]

    def close(self) -> None:
        if self._child is not None:
            self._child.close()
            self._child = None


def _outcome(reply: dict) -> Outcome:
    output = reply.get("output") or {}
    if reply.get("ok"):
        return Outcome(True, reply.get("value"), changed=reply.get("changed"), output=output)
    return Outcome(
        False,
        kind=str(reply.get("kind", "raised")),
        message=str(reply.get("error", "")),
        traceback=str(reply.get("traceback", "")),
        error_type=str(reply.get("type", "")),
        output=output,
    )
