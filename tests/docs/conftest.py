"""Fixtures shared by the docs tests: KaTeX installed once, the site built once per session,
served on 127.0.0.1 and opened in one headless Chromium.

A fresh clone has no ``docs/node_modules``: the first test that needs KaTeX runs
``npm ci --prefix docs`` (pinned by ``docs/package-lock.json``) and later
sessions reuse it. Without ``npm`` (or ``node``, or ``chromium`` for the browser
tests) the tests skip and the reason names the missing tool.
"""

from __future__ import annotations

import fcntl
import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from tests.docs import DOCS
from tests.docs.browser import Browser, find_chromium

REPO = DOCS.parent
LOCK = DOCS / "package-lock.json"
# npm writes this file on every install; it is older than the lock file when the lock changed.
INSTALLED = DOCS / "node_modules" / ".package-lock.json"


def _require(module: str, reason: str) -> None:
    try:
        __import__(module)
    except ImportError:
        pytest.skip(reason)


def katex_is_current() -> bool:
    """docs/node_modules holds what docs/package-lock.json pins (and is not older than it)."""
    from nnref_docs import katex

    return (
        INSTALLED.exists()
        and INSTALLED.stat().st_mtime >= LOCK.stat().st_mtime
        and katex.installed_version() == katex.pinned_version()
    )


def ensure_katex() -> None:
    """Run ``npm ci --prefix docs`` when KaTeX is missing or stale; skip when npm is absent."""
    _require("mkdocs", "mkdocs is not installed (pip install 'nnref[docs]')")
    if shutil.which("node") is None:
        pytest.skip("node is not installed: the docs build checks every formula with KaTeX")
    # One install even when pytest-xdist workers start together.
    with open(Path(tempfile.gettempdir()) / "nnref-npm-ci.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if katex_is_current():
            return
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is not installed: it installs KaTeX (npm ci --prefix docs)")
        done = subprocess.run(
            [npm, "ci", "--prefix", str(DOCS), "--no-audit", "--no-fund"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, f"npm ci --prefix docs failed:\n{done.stderr[-2000:]}"
        INSTALLED.touch()


@pytest.fixture(scope="session")
def katex_installed() -> None:
    ensure_katex()


@pytest.fixture(scope="session")
def site(tmp_path_factory, katex_installed) -> Path:
    """The site built once with ``mkdocs build --strict``; the build's output names any failure."""
    _require("material", "mkdocs-material is not installed (pip install 'nnref[docs]')")
    _require(
        "mkdocs_static_i18n", "mkdocs-static-i18n is not installed (pip install 'nnref[docs]')"
    )
    out = tmp_path_factory.mktemp("site")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    elapsed = time.perf_counter() - start
    assert done.returncode == 0, f"mkdocs build --strict failed:\n{done.stdout}\n{done.stderr}"
    print(f"mkdocs build --strict: {elapsed:.1f} s")
    (out.parent / "build.log").write_text(done.stdout + done.stderr, encoding="utf-8")
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def server(site):
    """The built site served on 127.0.0.1 (a free port) from a thread; yields its origin."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def browser(server):
    executable = find_chromium()
    if executable is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    _require("websocket", "websocket-client is not installed (pip install websocket-client)")
    with Browser(executable) as chromium:
        yield chromium
