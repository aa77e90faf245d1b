"""The child: imports the implementation under test and calls it on the judge's behalf.

    python -m nnref.conformance.isolation.worker '{"spec": "pkg.mod:attr", "in": 5, "out": 6, ...}'

It speaks the protocol of ``nnref.conformance.protocol.message`` on two dedicated pipe
descriptors (``in`` and ``out``), never on its standard output or error: file
descriptors 1 and 2 are files the judge created, and each reply says how long they were
when the call ended, so the judge reads what the call printed itself. Warnings are
recorded per call.

First it sends a ``Hello``: the names it provides, the object's ``nnref_conventions``
(as plain data), what the import printed, or the import's error with its traceback as
text. Then, for each ``Batch``, it answers every call with a ``Reply`` echoing its id, in
order, as soon as the call ends, and then ``Done`` (a batch with ``stop`` ends early, at
the first call that does not succeed). Before each run of a call with
``moves`` it rewrites the progress record (``message.PROGRESS``) in the file the judge
passed as ``progress``. After a MemoryError the child answers and exits, so the judge
starts a fresh one.

The checks made here (inputs not modified, the size cap of a result, warnings) run in
the implementation's process: they are a courtesy it can switch off. The judge checks
the protocol, the size of every frame and the deadline itself.
"""

from __future__ import annotations

import contextlib
import faulthandler
import inspect
import json
import os
import resource
import stat
import sys
import time
import traceback
import warnings

from nnref.conformance.errors import NnrefError
from nnref.conformance.isolation.loader import describe, load_implementation
from nnref.conformance.protocol.message import (
    PROGRESS,
    Batch,
    Done,
    Hello,
    Reply,
    Request,
    decode,
    encode,
)
from nnref.conformance.protocol.names import ARGUMENTS
from nnref.conformance.protocol.plain import NotPlain, first_change, to_plain

#: Warnings kept per call.
WARNINGS_CAP = 200


def main(argv: list[str]) -> int:
    config = json.loads(argv[0])
    _linux_guards()
    _limit_memory(config.get("memory_limit"))

    faulthandler.enable()  # a segfault's Python traceback lands in the captured stderr
    out = config["out"]
    reader = os.fdopen(config["in"], "rb", buffering=1 << 16)
    capture = Capture()
    progress = _progress(config.get("progress"))
    warnings.simplefilter("always")
    sys.path[:0] = [p for p in config.get("path", []) if p not in sys.path]
    fns, hello = _load(config["spec"], config["names"], config.get("cwd"))
    hello.output = capture.stop()
    _send(out, hello)
    while True:
        line = reader.readline()
        if not line:
            return 0
        # decoded twice: the second copy stays pristine, to find what a call modified
        batch, pristine = decode(line, None), decode(line, None)
        if not isinstance(batch, Batch) or not isinstance(pristine, Batch):
            return 2  # the judge sends batches only
        for call, call0 in zip(batch.calls, pristine.calls):
            reply = run_call(fns, call, call0, capture, progress)
            _send(out, reply)
            if reply.fatal:
                return 1
            if batch.stop and reply.stops():
                break
        _send(out, Done(batch.id))


def _progress(fd: int | None):
    """``progress(k)``: run k of a call with ``moves`` starts now (the record the judge reads)."""
    if fd is None:
        return None
    return lambda k: os.pwrite(fd, PROGRESS.pack(k, time.monotonic()), 0)


def _linux_guards() -> None:
    """On Linux: the kernel kills this child when the judge dies (even mid-call, in a hang),
    and the processes the implementation starts stay below it (a child subreaper)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal

        prctl = ctypes.CDLL(None, use_errno=True).prctl
        prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        prctl(36, 1)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass  # the protocol pipe's end-of-file still ends an idle child


def _limit_memory(limit) -> None:
    if not limit:
        return

    resource.setrlimit(resource.RLIMIT_AS, (int(limit), int(limit)))


def _load(spec: str, names: list[str], cwd: str | None) -> tuple[dict, Hello]:
    """The callables found and the hello (or the import's error)."""

    if cwd and cwd not in sys.path:
        sys.path.insert(0, cwd)
    try:
        impl = load_implementation(spec)
    except NnrefError as exc:
        cause = exc.__context__
        text = "".join(traceback.format_exception(cause)) if cause is not None else ""
        return {}, Hello(False, error=str(exc), traceback=text)
    except BaseException as exc:  # SystemExit, KeyboardInterrupt raised while importing
        message = f"implementation {spec!r}: importing it raised {_one_line(exc)}"
        return {}, Hello(False, error=message, traceback="".join(traceback.format_exception(exc)))
    fns = {}
    for name in names:
        try:
            fn = getattr(impl, name, None)
        except Exception:  # a hostile __getattr__: treated as absent
            fn = None
        if callable(fn):
            fns[name] = fn
    conventions, conventions_error = _conventions(impl)
    return fns, Hello(
        True,
        name=describe(spec, impl),
        provides=sorted(fns),
        signatures={name: _signature(fn) for name, fn in fns.items()},
        conventions=conventions,
        conventions_error=conventions_error,
    )


def _signature(fn) -> list | None:
    """``[[name, kind, has_default], ...]``: the parameters, so the judge can see keywords."""

    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return None
    return [[p.name, p.kind.name, p.default is not p.empty] for p in params]


def _conventions(impl):
    try:
        declared = getattr(impl, "nnref_conventions", None)
        return (None if declared is None else to_plain(declared)), None
    except NotPlain as exc:
        return None, f"nnref_conventions {exc}"
    except Exception as exc:
        return None, f"reading nnref_conventions raised {_one_line(exc)}"


def run_call(fns: dict, call: Request, pristine: Request, capture: Capture, progress=None) -> Reply:
    """Call ``fns[call.name]`` and describe what happened in a ``Reply``.

    ``pristine`` is a second, untouched copy of ``call``. With ``then`` (``[name,
    [more args]]``), the result is passed on to a second callable in the same
    round trip: ``loss(forward(layers, x), t)``. With ``moves`` (``[[j, v], ...]``),
    the call runs once per move, on a fresh copy of the first argument with its number
    ``j`` set to ``v``, and the value is the list of results: the finite-difference
    probes of one network cost one request and one reply; ``progress(k)`` is called
    before run k. It stops at the first run that raises or modifies its arguments.
    """
    warnings.showwarning = capture.warning
    try:
        if call.moves is not None:
            values, changed = [], None
            base = pristine.args[0]  # each run's arguments as they must stay, moved in place
            slots = _slots(base, [])
            if any(j >= len(slots) for j, _ in call.moves):
                raise IndexError(f"a move beyond the {len(slots)} numbers of the first argument")
            for k, (j, v) in enumerate(call.moves, 1):
                if progress is not None:
                    progress(k)
                holder, key = slots[j]
                kept, holder[key] = holder[key], v
                value, changed = _run_once(
                    fns, call, [_copied(base), *call.args[1:]], pristine.args
                )
                holder[key] = kept
                values.append(value)
                if changed:
                    break
            reply = Reply(call.id, True, values, changed)
        else:
            value, changed = _run_once(fns, call, call.args, pristine.args)
            reply = Reply(call.id, True, value, changed)
    except NotPlain as exc:
        reply = Reply(call.id, False, kind="unsendable", error=f"the result {exc}")
    except NotImplementedError as exc:
        reply = Reply(call.id, False, kind="not_implemented", error=_one_line(exc))
    except BaseException as exc:  # SystemExit and KeyboardInterrupt from the code are errors too
        reply = _raised(call.id, exc)
    reply.output = capture.stop()
    reply.output_end = _sizes()
    return reply


def _run_once(fns: dict, call: Request, args: list, pristine: list) -> tuple:
    """(the result as plain data, the first change made to ``args`` or None)."""
    given = _native(args, call.native, call.name)
    if given is not args:  # converted arguments are compared with themselves as converted
        pristine = to_plain(given)  # (float32 rounds them)
    value = fns[call.name](*given, **call.kwargs)
    if call.then:
        name, more = call.then
        value = fns[name](value, *more)
    value = to_plain(value)
    after = to_plain(given) if given is not args else args
    if after == pristine:  # NaN != NaN: first_change decides
        return value, None
    names = ARGUMENTS.get(call.name, ())
    if len(names) == len(after) == len(pristine):
        return value, first_change(dict(zip(names, pristine)), dict(zip(names, after)))
    return value, first_change(pristine, after)


def _slots(value, out: list) -> list:
    """``(container, key)`` of every number in ``value`` (plain data), in JSON order."""
    items = (
        value.items() if type(value) is dict else enumerate(value) if type(value) is list else ()
    )
    for key, v in items:
        if type(v) in (int, float):
            out.append((value, key))
        else:
            _slots(v, out)
    return out


def _copied(value):
    """A fresh copy of plain data (lists and dicts copied, numbers and text shared)."""
    if type(value) is list:
        return [_copied(v) if type(v) in (list, dict) else v for v in value]
    if type(value) is dict:
        return {k: _copied(v) if type(v) in (list, dict) else v for k, v in value.items()}
    return value


def _native(args, native, name: str):
    """The arguments as the implementation declared it takes them (numpy or torch arrays)."""
    if not native or (native.get("type", "list"), native.get("dtype")) == ("list", "float64"):
        return args
    from nnref.conformance.protocol.native import to_native  # numpy, torch: only when declared

    names = list(ARGUMENTS.get(name, ())) or [f"arg{i}" for i in range(len(args))]
    converted = to_native(dict(zip(names, args)), native.get("type", "list"), native["dtype"])
    return [converted[n] for n in names[: len(args)]]


def _raised(call_id: int, exc: BaseException) -> Reply:
    return Reply(
        call_id,
        False,
        kind="raised",
        error=_one_line(exc),
        error_type=type(exc).__name__,
        traceback="".join(traceback.format_exception(exc)),
        fatal=isinstance(exc, MemoryError),
    )


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


class Capture:
    """Per-call warnings (the judge reads fds 1 and 2 itself)."""

    def __init__(self):
        self.warnings: list[str] = []
        self.more_warnings = 0

    def warning(self, message, category, filename, lineno, file=None, line=None) -> None:
        if len(self.warnings) < WARNINGS_CAP:
            self.warnings.append(f"{category.__name__}: {message} ({filename}:{lineno})")
        else:
            self.more_warnings += 1

    def stop(self) -> dict:
        """The warnings since the last ``stop``; Python's buffers are flushed to fds 1 and 2."""
        _flush()
        out = list(self.warnings)
        if self.more_warnings:
            out.append(f"... and {self.more_warnings} more warnings")
        self.warnings, self.more_warnings = [], 0
        return {"warnings": out} if out else {}


def _flush() -> None:
    streams = (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__)
    for stream in {id(s): s for s in streams}.values():
        with contextlib.suppress(Exception):
            stream.flush()


def _sizes() -> list[int]:
    """How long fds 1 and 2 (files the judge made) are now; [] if they are not files."""
    try:
        found = [os.fstat(1), os.fstat(2)]
    except OSError:
        return []
    return [s.st_size for s in found] if all(stat.S_ISREG(s.st_mode) for s in found) else []


def _send(fd: int, frame) -> None:
    try:
        data = encode(frame)
    except Exception as exc:  # something in the reply that json cannot write
        reply = Reply(frame.id, False, kind="unsendable", error=f"the reply: {_one_line(exc)}")
        data = encode(reply)
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
