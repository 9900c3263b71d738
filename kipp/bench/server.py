"""A dashboard under ``streamlit run`` on a free loopback port, and the Chromium that drives it.

Used by the benchmark's neighbours that need a real server: the browser tests
(tests/browser), the multi-server test and scripts/load_test.py.  It lives in the
tooling package, not in tests/, so the load-test script can use it without importing
the test suite; the app never imports it.  Standard library only (plus kipp.db for the
project folder).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kipp.db import PROJECT_ROOT

DASHBOARD = PROJECT_ROOT / "dashboard.py"
SERVER_START_TIMEOUT_S = 90
CHROMIUM = "/usr/bin/chromium"  # Debian's package; Playwright cannot download a browser here
LOG_TAIL_CHARS = 3000


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def find_chromium() -> str | None:
    """The system Chromium: /usr/bin/chromium, else ``chromium`` on PATH; None when absent."""
    for candidate in (CHROMIUM, shutil.which("chromium")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def browser_missing() -> str | None:
    """Why a headless Chromium cannot be driven here (None when it can)."""
    if importlib.util.find_spec("playwright") is None:
        return "Playwright is not installed: pip install -r requirements-dev.txt"
    if find_chromium() is None:
        return f"no Chromium at {CHROMIUM} or on PATH: apt-get install chromium"
    return None


@contextmanager
def dashboard_server(url: str, log: Path, env: dict[str, str] | None = None) -> Iterator[tuple[str, int]]:
    """``streamlit run dashboard.py`` on a free loopback port with DATABASE_URL=url; yields (base URL, pid).

    Ready once ``/_stcore/health`` answers "ok"; stopped (terminate, then kill) on exit.  The file
    watcher is off, as in production: a source file edited meanwhile must not make the server
    re-import modules under running sessions.
    """
    port = free_port()
    command = [
        *(sys.executable, "-m", "streamlit", "run", str(DASHBOARD), "--server.port", str(port)),
        *("--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"),
        *("--server.fileWatcherType", "none"),
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env={**os.environ, "DATABASE_URL": url, **(env or {})},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while not healthy(base):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-LOG_TAIL_CHARS:]
                raise RuntimeError(f"streamlit on port {port} did not become healthy:\n{tail}")
            time.sleep(0.25)
        yield base, process.pid
    finally:
        stop_process(process)


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """Stop a server: terminate, then kill if it has not exited within 15 s."""
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def healthy(base: str) -> bool:
    """Whether a Streamlit server answers its health check."""
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False
