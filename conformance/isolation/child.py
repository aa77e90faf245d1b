"""One child process running ``nnref.conformance.isolation.worker``, seen from the judge.

The child gets two pipes of its own for the JSON-lines protocol (passed with
``pass_fds``), and two temporary files as its fds 1 and 2 (its captured
output; after a crash the judge reads what the call in flight printed). It
runs in its own session, so the user's Ctrl-C reaches only the judge.
``receive`` waits at most ``timeout`` seconds for the next line; a child that
dies or goes silent is described in words by ``ended``.
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


class Ended(Exception):
    """The child is gone (exited, killed by a signal, or broke the protocol)."""


class Silent(Exception):
    """No reply within the timeout."""


class Child:
    def __init__(self, spec: str, names: list[str], memory_limit: int | None = None):
        self.tmp = tempfile.TemporaryDirectory(prefix="nnref-child-")
        self.out_path, self.err_path = (Path(self.tmp.name) / n for n in ("stdout", "stderr"))
        req_r, self._req_w = os.pipe()
        self._resp_r, resp_w = os.pipe()
        config = {"spec": spec, "names": names, "in": req_r, "out": resp_w, "cwd": os.getcwd()}
        config["path"] = [p for p in sys.path if p]  # what the judge could import, the child can
        if memory_limit:
            config["memory_limit"] = memory_limit
        env = dict(os.environ)
        # -P: the current directory must not shadow nnref; the worker adds it for the user's code
        command = [sys.executable, "-P", "-m", "nnref.conformance.isolation.worker"]
        with open(self.out_path, "w+b") as out, open(self.err_path, "w+b") as err:
            self.proc = subprocess.Popen(
                [*command, json.dumps(config)],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                pass_fds=(req_r, resp_w),
                start_new_session=True,
                env=env,
            )
        os.close(req_r)
        os.close(resp_w)
        _widen(self._req_w)
        _widen(self._resp_r)
        self._buffer = b""
        self._killed_for = ""

    def send_text(self, line: str) -> None:
        """One request (JSON text, one line)."""
        data = memoryview(line.encode() + b"\n")
        try:
            while data:
                data = data[os.write(self._req_w, data) :]
        except OSError:
            raise Ended(self.ended()) from None

    def receive(self, timeout: float | None) -> dict:
        """The next reply; Silent after ``timeout`` seconds; Ended if the child is gone."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([self._resp_r], [], [], left)
            if not ready:
                raise Silent()
            chunk = os.read(self._resp_r, 1 << 20)
            if not chunk:
                raise Ended(self.ended())
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        try:
            message = json.loads(line)
        except (ValueError, RecursionError):
            self.kill()
            raise Ended("broke the judge's channel (a reply was not JSON)") from None
        if not isinstance(message, dict):
            self.kill()
            raise Ended("broke the judge's channel (a reply was not an object)")
        return message

    def ended(self) -> str:
        """How the child ended, in words: 'exited with status 3', 'was killed by SIGSEGV'."""
        try:
            code = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()
            code = self.proc.wait()
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

    def output(self) -> dict:
        """What the call in flight wrote before the child died."""
        out = {}
        for key, path in (("stdout", self.out_path), ("stderr", self.err_path)):
            try:
                with open(path, "rb") as f:
                    text = f.read(1 << 20).decode("utf-8", "replace")
            except OSError:
                text = ""
            if text:
                out[key] = text
        return out

    def kill(self, reason: str = "killed") -> None:
        self._killed_for = reason
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except OSError:
                self.proc.kill()
        self.proc.wait()

    def close(self) -> None:
        """Stop the child (closing its request pipe ends it) and remove its files."""
        with contextlib.suppress(OSError):
            os.close(self._req_w)
        try:
            self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.kill("closed")
        for fd in (self._resp_r,):
            with contextlib.suppress(OSError):
                os.close(fd)
        self.tmp.cleanup()


def _widen(fd: int) -> None:
    """A 1 MB pipe buffer (Linux), so a batch is written without waiting for the reader."""
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, 1 << 20)
    except (ImportError, AttributeError, OSError):
        pass  # the default buffer works, with more round trips through the scheduler
