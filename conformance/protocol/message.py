"""The child protocol's frames: one dataclass per kind, written and read by both sides.

The judge and a child (``nnref.conformance.isolation``) exchange JSON lines on a pipe of
their own. Every frame names its kind (``"type"``) and carries an id:

- ``Batch`` (judge to child): calls, each a ``Request`` with its own id;
- ``Hello`` (child, first, id 0): what the implementation provides, or why its import failed;
- ``Reply``: the outcome of one call, echoing the request's id;
- ``Done``: the end of a batch, echoing the batch's id.

``decode`` reads a frame from untrusted bytes: a frame over ``MAX_FRAME`` bytes, with more
than ``MAX_NUMBERS`` numbers, not JSON, of an unknown type, or with a field of the wrong
type is a ``ProtocolError`` naming what was wrong; the judge then gives up on the child.
The child's own cap on results (``plain.MAX_ELEMENTS``) is a courtesy; this one is the
judge's. Standard library only: the child imports this before the implementation.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass, field

from nnref.conformance.protocol.plain import MAX_ELEMENTS

#: The longest frame the judge reads, in bytes (a million numbers in full precision fit).
MAX_FRAME = 32 << 20
#: The most numbers one frame may hold.
MAX_NUMBERS = MAX_ELEMENTS
#: Numbers a frame holds besides its value (its id, the two output sizes), not counted.
_OWN_NUMBERS = 8
#: The fewest numbers a reply may hold, whatever its call (see ``result_cap``).
RESULT_FLOOR = 10_000

KINDS = ("raised", "not_implemented", "unsendable")


class ProtocolError(Exception):
    """A frame that breaks the protocol; the message says how (``a reply's 'ok' is ...``)."""


class TooManyNumbers(ProtocolError):
    """A frame with more numbers than ``limit``."""

    def __init__(self, limit: int):
        super().__init__(f"a frame of more than {limit:,} numbers")
        self.limit = limit


def result_cap(request_bytes: int) -> int:
    """The most numbers a reply to a request of this many bytes may hold.

    No callable of the protocol returns more numbers than twice the numbers it is given
    (Adam returns w, m and v for w, g, m and v), and a request holds at most one number
    per two bytes; so a reply may hold ``2 x`` the request's bytes, at least
    ``RESULT_FLOOR``, at most ``MAX_NUMBERS``. The judge then never keeps a runaway
    result, whatever the child's own cap says.
    """
    return min(MAX_NUMBERS, max(RESULT_FLOOR, 2 * request_bytes))


@dataclass
class Request:
    """One call: ``name(*args, **kwargs)``, in the child.

    ``then`` (``[name, [more args]]``): the result goes on to a second callable.
    ``moves``: ``[[j, v], ...]``; the call runs once per move, on a fresh copy of
    ``args[0]`` whose number ``j`` (counted in the order of its JSON text) is ``v``; the
    value is the list of results (the finite-difference probes of one network, each a
    network with one number moved). ``raw``: fields already written as JSON text.
    """

    id: int
    name: str
    args: list = field(default_factory=list)
    kwargs: dict = field(default_factory=dict)
    native: dict | None = None
    then: list | None = None
    moves: list | None = None
    raw: dict[str, str] | None = None

    def to_json(self) -> str:
        data = {"id": self.id, "name": self.name, "args": self.args, "kwargs": self.kwargs}
        for key in ("native", "then", "moves"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        raw = self.raw or {}
        for key in raw:
            data.pop(key, None)
        text = json.dumps(data)
        return text[:-1] + "".join(f", {json.dumps(k)}: {v}" for k, v in raw.items()) + "}"

    @classmethod
    def from_json(cls, data: dict) -> Request:
        _keys(data, "a request", {"id", "name", "args", "kwargs", "native", "then", "moves"})
        moves = _typed(data, "moves", list, None)
        if moves is not None and not all(_is_move(m) for m in moves):
            raise ProtocolError("a request's 'moves' are not [position, number] pairs")
        return cls(
            _int(data, "id"),
            _str(data, "name"),
            _typed(data, "args", list, []),
            _typed(data, "kwargs", dict, {}),
            _typed(data, "native", dict, None),
            _typed(data, "then", list, None),
            moves,
        )


def _is_move(move) -> bool:
    return (
        type(move) is list
        and len(move) == 2
        and type(move[0]) is int
        and move[0] >= 0
        and type(move[1]) in (int, float)
    )


@dataclass
class Batch:
    """Calls sent in one frame; the child answers each, in order, then ``Done``.

    ``stop``: the calls are one group, made one after the other as the judge's own code
    would make them; the child stops at the first that does not succeed (it raised, or its
    result could not be sent, or it modified its arguments), answers it, and sends ``Done``
    without making the rest.
    """

    id: int
    calls: list[Request]
    stop: bool = False

    def to_json(self) -> str:
        calls = ", ".join(c.to_json() for c in self.calls)
        stop = ', "stop": true' if self.stop else ""
        return f'{{"type": "batch", "id": {self.id}{stop}, "calls": [{calls}]}}'

    @classmethod
    def from_json(cls, data: dict) -> Batch:
        _keys(data, "a batch", {"type", "id", "stop", "calls"})
        calls = _typed(data, "calls", list, [])
        for c in calls:
            if not isinstance(c, dict):
                raise ProtocolError("a batch holds a call that is not an object")
        requests = [Request.from_json(c) for c in calls]
        return cls(_int(data, "id"), requests, _typed(data, "stop", bool, False))


@dataclass
class Hello:
    """The child's first frame: the callables found, or the import's error."""

    ok: bool
    name: str = ""
    provides: list[str] = field(default_factory=list)
    signatures: dict = field(default_factory=dict)  # name -> [[param, kind, has_default]] | None
    conventions: object = None  # the object's ``nnref_conventions``, as plain data
    conventions_error: str | None = None
    output: dict = field(default_factory=dict)  # what the import printed and warned
    error: str = ""
    traceback: str = ""
    id: int = 0

    def to_json(self) -> str:
        return json.dumps({"type": "hello", **self.__dict__})

    @classmethod
    def from_json(cls, data: dict) -> Hello:
        _keys(data, "a hello", {"type", *cls.__dataclass_fields__})
        provides = _typed(data, "provides", list, [])
        if not all(isinstance(p, str) for p in provides):
            raise ProtocolError("a hello's 'provides' is not a list of names")
        signatures = _typed(data, "signatures", dict, {})
        if not all(s is None or isinstance(s, list) for s in signatures.values()):
            raise ProtocolError("a hello's 'signatures' are not lists")
        return cls(
            _bool(data, "ok"),
            _str(data, "name", ""),
            provides,
            signatures,
            data.get("conventions"),
            _typed(data, "conventions_error", str, None),
            _output(data),
            _str(data, "error", ""),
            _str(data, "traceback", ""),
            _int(data, "id"),
        )


@dataclass
class Reply:
    """The outcome of the call ``id``.

    ``ok``: ``value`` is the result as plain data; ``changed`` names the first entry of
    the arguments the call modified. Otherwise ``kind`` (``raised``, ``not_implemented``,
    ``unsendable``), ``error`` (one line), ``error_type`` and ``traceback``. ``output``
    holds the warnings; ``output_end`` the sizes of the child's stdout and stderr files
    when the call ended, so the judge reads what the call printed itself. ``fatal``: the
    child exits after this reply (a MemoryError).
    """

    id: int
    ok: bool
    value: object = None
    changed: str | None = None
    kind: str = ""
    error: str = ""
    error_type: str = ""
    traceback: str = ""
    output: dict = field(default_factory=dict)
    output_end: list[int] = field(default_factory=list)
    fatal: bool = False

    def to_json(self) -> str:
        return json.dumps({"type": "reply", **self.__dict__})

    def stops(self) -> bool:
        """True when a batch with ``stop`` ends at this reply."""
        return not self.ok or bool(self.changed)

    @classmethod
    def from_json(cls, data: dict) -> Reply:
        _keys(data, "a reply", {"type", *cls.__dataclass_fields__})
        kind = _str(data, "kind", "")
        ok = _bool(data, "ok")
        if not ok and kind not in KINDS:
            raise ProtocolError(f"a reply's 'kind' is {kind!r}, not one of {', '.join(KINDS)}")
        ends = _typed(data, "output_end", list, [])
        if not all(type(n) is int and n >= 0 for n in ends) or len(ends) not in (0, 2):
            raise ProtocolError("a reply's 'output_end' is not two sizes")
        return cls(
            _int(data, "id"),
            ok,
            data.get("value"),
            _typed(data, "changed", str, None),
            kind,
            _str(data, "error", ""),
            _str(data, "error_type", ""),
            _str(data, "traceback", ""),
            _output(data),
            ends,
            _typed(data, "fatal", bool, False),
        )


@dataclass
class Done:
    """The batch ``id`` is answered in full."""

    id: int

    def to_json(self) -> str:
        return f'{{"type": "done", "id": {self.id}}}'

    @classmethod
    def from_json(cls, data: dict) -> Done:
        _keys(data, "a done frame", {"type", "id"})
        return cls(_int(data, "id"))


Frame = Batch | Hello | Reply | Done
_TYPES = {"batch": Batch, "hello": Hello, "reply": Reply, "done": Done}

#: The progress record of a call with ``each``, rewritten in place before each run in a
#: file the judge made: the run (1-based) and when it started (``time.monotonic``). The
#: judge reads it only when a deadline passes, so a fast batch costs nothing, and a run
#: that hangs is cut one timeout after it started, naming it.
PROGRESS = struct.Struct("<Qd")


def read_progress(data: bytes) -> tuple[int, float] | None:
    """(run, started) from a progress record, or None if there is none."""
    if len(data) != PROGRESS.size:
        return None
    run, started = PROGRESS.unpack(data)
    return (run, started) if run >= 1 and started == started else None


def encode(frame: Frame) -> bytes:
    """The frame as one line of JSON (NaN and infinities as JSON's extension tokens)."""
    return frame.to_json().encode() + b"\n"


def decode(line: bytes | bytearray, max_numbers: int | None = MAX_NUMBERS) -> Frame:
    """The frame a line holds; ProtocolError when it is too long, too big, or malformed."""
    if len(line) > MAX_FRAME:
        raise ProtocolError(f"a frame of {len(line):,} bytes (the judge reads up to {_mib()})")
    try:
        if max_numbers is None or len(line) < 2 * max_numbers:  # too short to hold more
            data = json.loads(line)
        else:
            data = _counted(line, max_numbers + _OWN_NUMBERS)
    except (ValueError, RecursionError) as exc:
        if isinstance(exc, _TooMany):
            raise TooManyNumbers(max_numbers) from None
        raise ProtocolError("a frame that is not JSON") from None
    if not isinstance(data, dict):
        raise ProtocolError("a frame that is not a JSON object")
    kind = _TYPES.get(data.get("type")) if isinstance(data.get("type"), str) else None
    if kind is None:
        raise ProtocolError(f"a frame of unknown type {str(data.get('type'))[:40]!r}")
    return kind.from_json(data)


class _TooMany(ValueError):
    pass


def _counted(line, max_numbers: int):
    """``json.loads`` that stops as soon as the frame holds more than ``max_numbers`` numbers."""
    left = [max_numbers]

    def count(make):
        def parse(text):
            left[0] -= 1
            if left[0] < 0:
                raise _TooMany()
            return make(text)

        return parse

    constants = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}
    return json.loads(
        line,
        parse_float=count(float),
        parse_int=count(int),
        parse_constant=count(constants.__getitem__),
    )


def _mib() -> str:
    return f"{MAX_FRAME >> 20} MiB"


def _keys(data: dict, what: str, allowed: set[str]) -> None:
    extra = set(data) - allowed
    if extra:
        raise ProtocolError(f"{what} with the unknown field {sorted(extra)[0][:40]!r}")


def _typed(data: dict, key: str, kind, default):
    """``data[key]`` if it is of ``kind`` (None stands for a default of None), else ``default``."""
    if key not in data or (data[key] is None and default is None):
        return default
    value = data[key]
    ok = (
        type(value) is bool if kind is bool else isinstance(value, kind) and type(value) is not bool
    )
    if not ok:
        raise ProtocolError(f"a frame's {key!r} is not {_NAMES.get(kind, kind.__name__)}")
    return value


_NAMES = {list: "a list", dict: "an object", str: "text", bool: "true or false", int: "a number"}


def _int(data: dict, key: str) -> int:
    value = data.get(key)
    if type(value) is not int or value < 0:
        raise ProtocolError(f"a frame's {key!r} is not a non-negative integer")
    return value


def _bool(data: dict, key: str) -> bool:
    value = data.get(key)
    if type(value) is not bool:
        raise ProtocolError(f"a frame's {key!r} is not true or false")
    return value


def _str(data: dict, key: str, default: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise ProtocolError(f"a frame's {key!r} is not text")
    return value


def _output(data: dict) -> dict:
    """``{"stdout": str, "stderr": str, "warnings": [str]}``, any of them."""
    out = _typed(data, "output", dict, {})
    for key, value in out.items():
        ok = key in ("stdout", "stderr") and isinstance(value, str)
        ok = ok or (key == "warnings" and isinstance(value, list))
        if not ok or (key == "warnings" and not all(isinstance(w, str) for w in value)):
            raise ProtocolError(f"a frame's output has a bad {key[:40]!r}")
    return out
