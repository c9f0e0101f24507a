"""The real service in tests: `scrutiny serve` in a subprocess on a loopback port, for what only
it does (being killed, bounding slow clients and connections), and clients straight to it."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import httpx

from tests.service import CLERK

REPO = Path(__file__).parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def http(base: str) -> httpx.Client:
    """A client of the server at `base`, straight to it (no proxy from the environment)."""
    return httpx.Client(base_url=base, timeout=30, trust_env=False)


@contextlib.contextmanager
def server(
    database_url: str, log: Path, settings: Mapping[str, str] | None = None
) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """`scrutiny serve` on `database_url`, with more environment `settings`, answering; killed
    at the end whatever happened. Its output goes to `log`."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "SCRUTINY_CLERK_TOKEN": CLERK}
    env.pop("SCRUTINY_PUBLIC_URL", None)
    env.update(settings or {})
    command = [sys.executable, "-m", "scheduler.cli", "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port)]
    with log.open("ab") as out:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=out)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise AssertionError(
                    f"the server exited ({process.returncode}):\n{log.read_text()}"
                )
            try:
                if httpx.get(f"{base}/programmes", timeout=2, trust_env=False).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"the server did not answer:\n{log.read_text()}")
            time.sleep(0.05)
        yield process, base
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
