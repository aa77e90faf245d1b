"""One child process running ``nnref.conformance.isolation.worker``, seen from the judge.

The child gets two pipes of its own for the protocol (``pass_fds``), and two files the
judge made as its fds 1 and 2, opened for appending. The judge reads what a call printed
from those files itself, between the sizes the child reports at the end of each call (or,
after a crash, up to the end: what the call in flight printed), and empties them between
batches. The child runs in its own session, so the user's Ctrl-C reaches only the judge;
under ``--sandbox`` it runs in bwrap (``sandbox``).

``receive`` reads the next frame with a deadline that holds whatever arrives: data is read
in chunks into one buffer, a frame longer than ``message.MAX_FRAME`` breaks the protocol at
once, and a child that exits while one of its processes keeps the pipe open is seen
exiting (a pidfd waits beside the pipe). ``kill`` and ``close`` end the child's whole
process tree (``reaper``); what the implementation left running is in ``left_behind``.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nnref.conformance.isolation import reaper
from nnref.conformance.protocol.message import (
    MAX_FRAME,
    MAX_NUMBERS,
    PROGRESS,
    Frame,
    ProtocolError,
    TooManyNumbers,
    decode,
    encode,
    read_progress,
)

#: Bytes of stdout and of stderr the judge keeps per call.
OUTPUT_CAP = 1 << 20


class Ended(Exception):
    """The child is gone (exited or killed by a signal)."""


class Broken(Exception):
    """The child broke the protocol; the message says how."""


class Silent(Exception):
    """No frame before the deadline."""


class Oversized(Exception):
    """A frame with more numbers than its call's cap (below the protocol's own): a result
    far larger than its arguments call for. The frame was not read."""

    def __init__(self, limit: int):
        super().__init__(limit)
        self.limit = limit


class Child:
    def __init__(self, spec: str, names: list[str], memory_limit=None, sandbox=None):
        self.tmp = tempfile.TemporaryDirectory(prefix="nnref-child-")
        self.paths = [Path(self.tmp.name) / n for n in ("stdout", "stderr")]
        self._progress = os.open(Path(self.tmp.name) / "progress", os.O_RDWR | os.O_CREAT, 0o600)
        req_r, self._req_w = os.pipe()
        self._resp_r, resp_w = os.pipe()
        cwd = os.getcwd()
        path = [p for p in sys.path if p]  # what the judge could import, the child can
        config = {"spec": spec, "names": names, "in": req_r, "out": resp_w, "cwd": cwd}
        config["progress"] = self._progress
        config["path"] = path
        if memory_limit:
            config["memory_limit"] = memory_limit
        # -P: the current directory must not shadow nnref; the worker adds it for the user's code
        command = [sys.executable, "-P", "-m", "nnref.conformance.isolation.worker"]
        command.append(json.dumps(config))
        self.sandbox = sandbox
        if sandbox is not None:
            command = sandbox.command(command, cwd, [*path, *_folders_of(spec)])
        with open(self.paths[0], "ab") as out, open(self.paths[1], "ab") as err:
            self.proc = reaper.spawn(
                command,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                pass_fds=(req_r, resp_w, self._progress),
                env=reaper.environment(),
            )
        os.close(req_r)
        os.close(resp_w)
        _widen(self._req_w)
        _widen(self._resp_r)
        self._pidfd = _pidfd(self.proc.pid)
        self._buffer = bytearray()
        self._scanned = 0  # bytes of the buffer known to hold no newline
        self._exited = False
        self._read = [0, 0]  # bytes of stdout and stderr already given to a call
        self._killed_for = ""
        self.left_behind: list = []  # reaper.Proc: what the implementation left running

    def send(self, frame: Frame) -> None:
        data = memoryview(encode(frame))
        try:
            while data:
                data = data[os.write(self._req_w, data) :]
        except OSError:
            raise Ended(self.ended()) from None

    def receive(self, deadline: float | None, max_numbers: int = MAX_NUMBERS) -> Frame:
        """The next frame; Silent at ``deadline`` (monotonic), Ended, Broken, or Oversized
        (more than ``max_numbers`` numbers, when that is below the protocol's cap)."""
        line = self._line(deadline)
        try:
            return decode(line, max_numbers)
        except TooManyNumbers as exc:
            if exc.limit < MAX_NUMBERS:
                raise Oversized(exc.limit) from None
            raise Broken(str(exc)) from None
        except ProtocolError as exc:
            raise Broken(str(exc)) from None

    def _line(self, deadline: float | None) -> bytes:
        while True:
            end = self._buffer.find(b"\n", self._scanned)
            if end >= 0:
                line = bytes(self._buffer[:end])
                del self._buffer[: end + 1]
                self._scanned = 0
                return line
            self._scanned = len(self._buffer)
            if self._scanned > MAX_FRAME:
                raise Broken(f"a frame longer than {MAX_FRAME >> 20} MiB")
            if self._exited:
                raise Ended(self.ended())
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise Silent()
            self._wait_and_read(left)

    def _wait_and_read(self, left: float | None) -> None:
        """Read what the pipe holds once it holds something; notice the child's exit."""
        watch = [self._resp_r] + ([self._pidfd] if self._pidfd is not None else [])
        wait = left if self._pidfd is not None else min(0.05, 1e9 if left is None else left)
        ready, _, _ = select.select(watch, [], [], wait)
        if self._resp_r in ready:
            chunk = os.read(self._resp_r, 1 << 20)
            if not chunk:
                raise Ended(self.ended())
            self._buffer += chunk
        elif (self._pidfd in ready) if self._pidfd is not None else self.proc.poll() is not None:
            self._exited = True  # what it wrote before it ended still counts
            self._drain()

    def _drain(self) -> None:
        os.set_blocking(self._resp_r, False)
        with contextlib.suppress(OSError):
            while len(self._buffer) <= MAX_FRAME:
                chunk = os.read(self._resp_r, 1 << 20)
                if not chunk:
                    break
                self._buffer += chunk

    def progress(self) -> tuple[int, float] | None:
        """The run of a call with ``each`` in progress, and when it started (or None)."""
        try:
            return read_progress(os.pread(self._progress, PROGRESS.size, 0))
        except OSError:
            return None

    def exited(self) -> bool:
        return self._exited or self.proc.poll() is not None

    def ended(self) -> str:
        """How the child ended, in words: 'exited with status 3', 'was killed by SIGSEGV'."""
        try:
            code = self.proc.wait(timeout=1)
        except subprocess.TimeoutExpired:  # alive, but it closed the protocol's pipe
            self.kill("closed its pipe")
            return "closed the judge's channel"
        self._kill_tree()  # what it left, such as a process holding the pipe open
        if self.sandbox is not None and code > 128:  # bwrap says a signal as 128 + its number
            code = 128 - code
        if code >= 0:
            return f"exited with status {code}"
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        why = {"SIGSEGV": " (segmentation fault)", "SIGABRT": " (abort)"}.get(name, "")
        if name == "SIGKILL" and not self._killed_for:
            why = " (out of memory?)"
        return f"was killed by {name}{why}"

    def call_output(self, ends: list[int]) -> dict:
        """What the call that just ended printed: the files up to the sizes it reported."""
        if len(ends) != 2 or ends == self._read:  # nothing printed: no file is opened
            return {}
        return self._output(ends)

    def output(self) -> dict:
        """What the call in flight printed before the child died."""
        return self._output([None, None])

    def _output(self, ends) -> dict:
        out = {}
        for i, (key, path) in enumerate(zip(("stdout", "stderr"), self.paths)):
            try:
                size = path.stat().st_size
                end = size if ends[i] is None else min(ends[i], size)
                with open(path, "rb") as f:
                    f.seek(self._read[i])
                    data = f.read(max(0, min(end - self._read[i], OUTPUT_CAP)))
            except OSError:
                continue
            more = end - self._read[i] - len(data)
            self._read[i] = end  # (below what was read: the implementation truncated it)
            text = data.decode("utf-8", "replace")
            if more > 0:
                text += f"\n[... {more} more bytes]"
            if text:
                out[key] = text
        return out

    def empty_files(self) -> None:
        """Between batches (the child is idle): empty the output files once they grew."""
        for i, path in enumerate(self.paths):
            if self._read[i] >= OUTPUT_CAP:
                with contextlib.suppress(OSError):
                    os.truncate(path, 0)
                self._read[i] = 0

    def kill(self, reason: str = "killed") -> None:
        self._killed_for = reason
        self._kill_tree()

    def _kill_tree(self, seen=None) -> None:
        killed = reaper.kill_tree(self.proc, seen)
        helpers = self._helpers(killed)
        self.left_behind += [p for pid, p in killed.items() if pid not in helpers]

    def _helpers(self, procs: dict) -> set[int]:
        """The child itself, and under bwrap the sandbox's own processes (and the worker)."""
        if self.sandbox is None:
            return {self.proc.pid}
        init = {p.pid for p in procs.values() if p.ppid == self.proc.pid}
        first = [p for p in procs.values() if p.ppid in init and _namespace_pid(p.pid) == 2]
        return {self.proc.pid, *init, *(p.pid for p in first)}

    def close(self) -> None:
        """Stop the child (closing its request pipe ends it), kill what it left, remove its
        files."""
        seen = None
        if self.proc.poll() is None:  # what runs now, to kill (and, under bwrap, which kills
            procs = reaper.table()  # them with the worker, to report) once the worker is gone
            seen = {p: procs[p] for p in reaper.below(procs, [self.proc.pid])}
            seen = {p: v for p, v in seen.items() if p not in self._helpers(seen)}
        with contextlib.suppress(OSError):
            os.close(self._req_w)
        try:
            self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self._killed_for = "closed"
        self._kill_tree(seen)
        if seen and self.sandbox is not None:
            known = {p.pid for p in self.left_behind}
            self.left_behind += [p for p in seen.values() if p.pid not in known]
        for fd in (self._resp_r, self._pidfd, self._progress):
            with contextlib.suppress(OSError, TypeError):
                os.close(fd)
        self.tmp.cleanup()


def _folders_of(spec: str) -> list[str]:
    """The folders an implementation named by a path imports from (its own, and its
    package's parent), so a sandbox shows them."""
    head = Path(spec.partition(":")[0])
    if not head.is_absolute() or not head.exists():
        return []
    folder = head if head.is_dir() else head.parent
    return [str(folder), str(folder.parent)] if head.name == "__init__.py" else [str(folder)]


def _namespace_pid(pid: int) -> int | None:
    """The pid of ``pid`` inside its innermost PID namespace (``NSpid``)."""
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("NSpid:"):
                    return int(line.split()[-1])
    except (OSError, ValueError):
        pass
    return None


def _pidfd(pid: int) -> int | None:
    """A descriptor that becomes readable when ``pid`` exits (Linux 5.3), or None."""
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None


def _widen(fd: int) -> None:
    """A 1 MB pipe buffer (Linux), so a batch is written without waiting for the reader."""
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, 1 << 20)
    except (ImportError, AttributeError, OSError):
        pass  # the default buffer works, with more round trips through the scheduler
