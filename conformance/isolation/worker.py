"""The child: imports the implementation under test and calls it on the judge's behalf.

    python -m nnref.conformance.isolation.worker '{"spec": "pkg.mod:attr", "in": 5, "out": 6, ...}'

It speaks JSON lines on two dedicated pipe descriptors (``in`` and ``out``),
never on its standard output or error: file descriptors 1 and 2 are files the
judge created, emptied before each call and read after it, so whatever the
implementation prints (and whatever a crash dumps there) is that call's
captured output. Warnings are recorded per call too.

First it sends a hello: the names it provides, the object's
``nnref_conventions`` (as plain data), the import's output, or the import's
error with its traceback as text. Then, for each request ``{"calls": [...]}``,
it answers one line per call, in order, as soon as the call ends (a call with
``each`` runs once per entry and answers once, see ``run_call``)::

    {"ok": true, "value": <plain data>, "changed": null, "output": {...}}
    {"ok": false, "kind": "raised", "error": "ValueError: boom", "traceback": "...", ...}

``kind`` is ``raised``, ``not_implemented`` (NotImplementedError), or
``unsendable`` (the result could not be turned into numbers). ``changed``
names the first entry of the arguments the call modified. After a
MemoryError the child answers and exits, so the judge starts a fresh one.
"""

from __future__ import annotations

import contextlib
import faulthandler
import inspect
import json
import os
import resource
import sys
import traceback
import warnings

from nnref.conformance.errors import NnrefError
from nnref.conformance.isolation.loader import describe, load_implementation
from nnref.conformance.protocol.names import ARGUMENTS
from nnref.conformance.protocol.plain import NotPlain, first_change, to_plain

#: Bytes of stdout and of stderr kept per call, and warnings kept per call.
OUTPUT_CAP = 1 << 20
WARNINGS_CAP = 200


def main(argv: list[str]) -> int:
    config = json.loads(argv[0])
    _die_with_parent()
    _limit_memory(config.get("memory_limit"))

    faulthandler.enable()  # a segfault's Python traceback lands in the captured stderr
    out = config["out"]
    reader = os.fdopen(config["in"], "rb", buffering=1 << 16)
    capture = Capture()
    warnings.simplefilter("always")
    sys.path[:0] = [p for p in config.get("path", []) if p not in sys.path]
    fns, hello = _load(config["spec"], config["names"], config.get("cwd"))
    hello["output"] = capture.stop()
    _send(out, hello)
    while True:
        line = reader.readline()
        if not line:
            return 0
        # parsed twice: the second copy stays pristine, to find what a call modified
        for call, pristine in zip(json.loads(line)["calls"], json.loads(line)["calls"]):
            reply = run_call(fns, call, pristine, capture)
            _send(out, reply)
            if reply.get("fatal"):
                return 1


def _die_with_parent() -> None:
    """On Linux, the kernel kills this child when the judge dies (even mid-call, in a hang)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # the protocol pipe's end-of-file still ends an idle child


def _limit_memory(limit) -> None:
    if not limit:
        return

    resource.setrlimit(resource.RLIMIT_AS, (int(limit), int(limit)))


def _load(spec: str, names: list[str], cwd: str | None) -> tuple[dict, dict]:
    """The callables found and the hello message (or the import's error)."""

    if cwd and cwd not in sys.path:
        sys.path.insert(0, cwd)
    try:
        impl = load_implementation(spec)
    except NnrefError as exc:
        cause = exc.__context__
        text = "".join(traceback.format_exception(cause)) if cause is not None else ""
        return {}, {"hello": 1, "ok": False, "error": str(exc), "traceback": text}
    except BaseException as exc:  # SystemExit, KeyboardInterrupt raised while importing
        message = f"implementation {spec!r}: importing it raised {_one_line(exc)}"
        text = "".join(traceback.format_exception(exc))
        return {}, {"hello": 1, "ok": False, "error": message, "traceback": text}
    fns = {}
    for name in names:
        try:
            fn = getattr(impl, name, None)
        except Exception:  # a hostile __getattr__: treated as absent
            fn = None
        if callable(fn):
            fns[name] = fn
    hello = {"hello": 1, "ok": True, "name": describe(spec, impl), "provides": sorted(fns)}
    hello["signatures"] = {name: _signature(fn) for name, fn in fns.items()}
    hello["conventions"], hello["conventions_error"] = _conventions(impl)
    return fns, hello


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


def run_call(fns: dict, call: dict, pristine: dict, capture: Capture) -> dict:
    """Call ``fns[call['name']]`` and describe what happened, as plain data.

    ``pristine`` is a second, untouched copy of ``call``. With ``then`` (``[name,
    [more args]]``), the result is passed on to a second callable in the same
    round trip: ``loss(forward(layers, x), t)``. With ``each`` (a list of first
    arguments), the call runs once per entry, each put before ``args``, and the
    value is the list of results: the finite-difference probes of one network
    cost one request and one reply. It stops at the first run that raises or
    modifies its arguments.
    """
    reply: dict = {"ok": False}
    warnings.showwarning = capture.warning
    try:
        args, args0 = call.get("args", []), pristine.get("args", [])
        if "each" in call:
            values, changed = [], None
            for first, first0 in zip(call["each"], pristine["each"]):
                value, changed = _run_once(fns, call, [first, *args], [first0, *args0])
                values.append(value)
                if changed:
                    break
            reply = {"ok": True, "value": values, "changed": changed}
        else:
            value, changed = _run_once(fns, call, args, args0)
            reply = {"ok": True, "value": value, "changed": changed}
    except NotPlain as exc:
        reply = {"ok": False, "kind": "unsendable", "error": f"the result {exc}"}
    except NotImplementedError as exc:
        reply = {"ok": False, "kind": "not_implemented", "error": _one_line(exc)}
    except BaseException as exc:  # SystemExit and KeyboardInterrupt from the code are errors too
        reply = _raised(exc)
    reply["output"] = capture.stop()
    return reply


def _run_once(fns: dict, call: dict, args: list, pristine: list) -> tuple:
    """(the result as plain data, the first change made to ``args`` or None)."""
    given = _native(args, call.get("native"), call["name"])
    if given is not args:  # converted arguments are compared with themselves as converted
        pristine = to_plain(given)  # (float32 rounds them)
    value = fns[call["name"]](*given, **call.get("kwargs", {}))
    if call.get("then"):
        name, more = call["then"]
        value = fns[name](value, *more)
    value = to_plain(value)
    after = to_plain(given) if given is not args else args
    if after == pristine:  # NaN != NaN: first_change decides
        return value, None
    names = ARGUMENTS.get(call["name"], ())
    if len(names) == len(after) == len(pristine):
        return value, first_change(dict(zip(names, pristine)), dict(zip(names, after)))
    return value, first_change(pristine, after)


def _native(args, native, name: str):
    """The arguments as the implementation declared it takes them (numpy or torch arrays)."""
    if not native or (native.get("type", "list"), native.get("dtype")) == ("list", "float64"):
        return args
    from nnref.conformance.protocol.native import to_native  # numpy, torch: only when declared

    names = list(ARGUMENTS.get(name, ())) or [f"arg{i}" for i in range(len(args))]
    converted = to_native(dict(zip(names, args)), native.get("type", "list"), native["dtype"])
    return [converted[n] for n in names[: len(args)]]


def _raised(exc: BaseException) -> dict:
    return {
        "ok": False,
        "kind": "raised",
        "error": _one_line(exc),
        "type": type(exc).__name__,
        "traceback": "".join(traceback.format_exception(exc)),
        "fatal": isinstance(exc, MemoryError),
    }


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


class Capture:
    """Per-call output: fds 1 and 2 (files the judge made) emptied before, read after; warnings."""

    def __init__(self):
        self.warnings: list[str] = []
        self.more_warnings = 0

    def warning(self, message, category, filename, lineno, file=None, line=None) -> None:
        if len(self.warnings) < WARNINGS_CAP:
            self.warnings.append(f"{category.__name__}: {message} ({filename}:{lineno})")
        else:
            self.more_warnings += 1

    def stop(self) -> dict:
        """What was written and warned since the last ``stop``; the files are emptied."""
        _flush()
        out = {name: _read(fd) for name, fd in (("stdout", 1), ("stderr", 2))}
        out["warnings"] = list(self.warnings)
        if self.more_warnings:
            out["warnings"].append(f"... and {self.more_warnings} more warnings")
        self.warnings, self.more_warnings = [], 0
        return {k: v for k, v in out.items() if v}


def _flush() -> None:
    streams = (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__)
    for stream in {id(s): s for s in streams}.values():
        with contextlib.suppress(Exception):
            stream.flush()


def _read(fd: int) -> str:
    """What fd 1 or 2 (a file the judge made) holds; then it is emptied for the next call."""
    try:
        size = os.fstat(fd).st_size
        if not size:
            return ""
        data = os.pread(fd, min(size, OUTPUT_CAP), 0)
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
    except OSError:
        return ""  # not a file (run by hand): nothing to capture
    text = data.decode("utf-8", "replace")
    return text + (f"\n[... {size - OUTPUT_CAP} more bytes]" if size > OUTPUT_CAP else "")


def _send(fd: int, message: dict) -> None:
    try:
        data = json.dumps(message).encode() + b"\n"
    except Exception as exc:  # something in the reply that json cannot write
        reply = {"ok": False, "kind": "unsendable", "error": f"the reply: {exc}"}
        data = json.dumps(reply).encode() + b"\n"
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
