"""``exportcheck serve`` as a real process on a loopback port, for browser and load tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def live_server(database_url: str, data_dir: Path, *, workers: int = 1,
                timeout: float = 90.0, env: dict[str, str] | None = None) -> Iterator[str]:
    """Start the service, wait until ``/healthz`` answers, yield its base URL, stop it.
    ``env``: extra environment variables for the server."""
    port = free_port()
    env = {**os.environ, "EXPORTCHECK_DATABASE_URL": database_url,
           "EXPORTCHECK_DATA_DIR": str(data_dir), **(env or {})}
    log = data_dir.parent / f"server-{port}.log"
    data_dir.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "exportcheck", "serve", "--host", "127.0.0.1", "--port",
             str(port), "--workers", str(workers)], env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://localhost:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"exportcheck serve exited ({proc.returncode}):\n"
                                   + log.read_text(errors="replace"))
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("exportcheck serve did not answer /healthz in time:\n"
                                   + log.read_text(errors="replace"))
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
