"""Headless Chromium driven over the Chrome DevTools Protocol (CDP), for the docs test.

A small synchronous CDP client over ``websocket-client``: it starts Debian's
``chromium`` with a fresh profile and ``--remote-debugging-port=0``, attaches to
one page, and records every request the page makes, every failed load, every
console error and every uncaught exception, so a test can assert that a page
rendered, loaded its images and fonts, and talked to no other host.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--mute-audio",
    "--window-size=1280,900",
    # Resolve no host but the local server: a request to another host is still seen (and
    # failed) by the test, but never leaves the machine.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
)


def find_chromium() -> str | None:
    """The Chromium executable, or None when none is installed."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@dataclass
class PageLog:
    """What one page load did."""

    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class Browser:
    """One headless Chromium with one attached page; use as a context manager."""

    def __init__(self, executable: str, timeout: float = 20.0):
        import websocket  # websocket-client

        self.timeout = timeout
        self.profile = tempfile.TemporaryDirectory(
            prefix="nnref-chromium-", ignore_cleanup_errors=True
        )
        self.proc = subprocess.Popen(
            [
                executable,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={self.profile.name}",
                "--remote-debugging-port=0",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: close() ends every helper it forked
        )
        port = self._devtools_port()
        target = self._page_target(port)
        self.ws = websocket.create_connection(
            target, timeout=timeout, suppress_origin=True, enable_multithread=False
        )
        self._next_id = 0
        self._events: list[dict] = []
        for domain in ("Page", "Network", "Runtime", "Log"):
            self.call(f"{domain}.enable")
        # Workers (Material's search worker loads lunr and the Japanese segmenter) make
        # requests of their own: attach to each one, paused, and watch its network too.
        self.call(
            "Target.setAutoAttach", autoAttach=True, waitForDebuggerOnStart=True, flatten=True
        )

    # -- setup ---------------------------------------------------------------

    def _devtools_port(self) -> int:
        marker = Path(self.profile.name) / "DevToolsActivePort"
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"chromium exited with status {self.proc.returncode}")
            if marker.exists():
                lines = marker.read_text().split()
                if lines:
                    return int(lines[0])
            time.sleep(0.05)
        raise RuntimeError("chromium did not open its DevTools port in time")

    def _page_target(self, port: int) -> str:
        from urllib.request import urlopen

        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            with urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as response:
                targets = json.load(response)
            pages = [t for t in targets if t.get("type") == "page"]
            if pages:
                return pages[0]["webSocketDebuggerUrl"]
            time.sleep(0.05)
        raise RuntimeError("chromium opened no page target")

    # -- protocol ------------------------------------------------------------

    def _send(self, method: str, params: dict, session: str | None = None) -> int:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self.ws.send(json.dumps(message))
        return self._next_id

    def _event(self, message: dict) -> None:
        """Keep an event; start watching a newly attached worker's network, then resume it."""
        self._events.append(message)
        if message["method"] == "Target.attachedToTarget":
            session = message["params"]["sessionId"]
            self._send("Network.enable", {}, session)
            self._send("Runtime.enable", {}, session)
            self._send("Runtime.runIfWaitingForDebugger", {}, session)

    def call(self, method: str, **params) -> dict:
        """Send one CDP command and return its result; events seen meanwhile are kept."""
        ident = self._send(method, params)
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error'].get('message')}")
                return message.get("result", {})
            if "method" in message:
                self._event(message)

    def _pump(self, seconds: float) -> None:
        """Read events for up to ``seconds``."""
        import websocket

        self.ws.settimeout(seconds)
        try:
            while True:
                message = json.loads(self.ws.recv())
                if "method" in message:
                    self._event(message)
        except websocket.WebSocketTimeoutException:
            pass
        finally:
            self.ws.settimeout(self.timeout)

    def evaluate(self, expression: str):
        """The JSON value of a JavaScript expression in the page."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"evaluating {expression!r}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float | None = None):
        """Poll a JavaScript expression until it is truthy; return its value."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while time.monotonic() < deadline:
            try:
                value = self.evaluate(expression)
            except RuntimeError as exc:  # a click's navigation replaced the page meanwhile
                if not any(s in str(exc) for s in ("navigated or closed", "context")):
                    raise
                value = None
            if value:
                return value
            self._pump(0.05)
        raise TimeoutError(f"timed out waiting for {expression}")

    def open(self, url: str, ready: str = "document.readyState === 'complete'") -> PageLog:
        """Load ``url``, wait until ``ready`` holds, and return what the page did."""
        self._events.clear()
        self.call("Page.navigate", url=url)
        self.wait_for(ready)
        self._pump(0.2)  # late requests (fonts, images, the search index)
        return self._log()

    def _log(self) -> PageLog:
        log = PageLog()
        urls = {}
        for event in self._events:
            method, params = event["method"], event.get("params", {})
            if method == "Network.requestWillBeSent":
                urls[params["requestId"]] = params["request"]["url"]
                log.requests.append(params["request"]["url"])
            elif method == "Network.loadingFailed":
                url = urls.get(params["requestId"], "?")
                log.failed.append(f"{url}: {params.get('errorText')}")
            elif method == "Network.responseReceived":
                status = params["response"]["status"]
                if status >= 400:
                    log.failed.append(f"{params['response']['url']}: HTTP {status}")
            elif method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                text = details.get("exception", {}).get("description") or details.get("text")
                log.errors.append(f"exception: {text}")
            elif method == "Runtime.consoleAPICalled" and params["type"] == "error":
                args = " ".join(str(a.get("value", a.get("description"))) for a in params["args"])
                log.errors.append(f"console.error: {args}")
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                entry = params["entry"]
                log.errors.append(f"{entry.get('source')}: {entry.get('text')} {entry.get('url')}")
        return log

    def screenshot(self, path: Path) -> None:
        """Save a PNG of the viewport (handy when a check fails)."""
        import base64

        data = self.call("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))

    # -- teardown ------------------------------------------------------------

    def close(self) -> None:
        try:
            self.ws.close()
        finally:
            self._signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._signal(signal.SIGKILL)
                self.proc.wait()
            self._wait_for_group(5.0)  # helpers may still write to the profile as they exit
            self.profile.cleanup()

    def _wait_for_group(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                os.killpg(self.proc.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)
        self._signal(signal.SIGKILL)

    def _signal(self, sig: int) -> None:
        """Signal the process group this object started (chromium and its helpers)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, sig)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
