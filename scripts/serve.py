"""A local app server for the browser tests, benchmarks and screenshots: a free port, healthy, stopped after."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Server:
    url: str  # http://127.0.0.1:<port>
    process: subprocess.Popen

    @property
    def pid(self) -> int:
        return self.process.pid


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(timeout_s: float = 60.0) -> Iterator[Server]:
    """``streamlit run app.py`` on 127.0.0.1 (settings from .streamlit/config.toml), once /_stcore/health answers.

    Raises RuntimeError if it stops or does not answer within ``timeout_s``; it is stopped on leaving.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1"]
    server = subprocess.Popen(
        [*command, "--server.port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        end = time.monotonic() + timeout_s
        while True:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).status == 200:
                    break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError(
                        f"the Streamlit server stopped at start (exit code {server.returncode})"
                    ) from None
                if time.monotonic() > end:
                    raise RuntimeError(f"the Streamlit server did not become healthy in {timeout_s:g} s") from None
                time.sleep(0.05)
        yield Server(url, server)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
