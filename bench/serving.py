"""The service (or the bench's bare endpoint) run as a subprocess on loopback, and a
keep-alive HTTP/1.1 client of it.

`Server` starts `scrutiny serve` on its own SQLite database in a directory (or any other command
given), waits until it answers, counts its workers and their CPU seconds, and stops it and
everything it started.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.load import Failed

ROOT = Path(__file__).parent.parent


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Client:
    """One keep-alive HTTP/1.1 connection to the service."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.auth = {"Authorization": f"Bearer {token}"}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        auth: bool = True,
    ) -> Answer:
        sent = {**(self.auth if auth else {}), **(headers or {})}
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=sent)
                response = self.conn.getresponse()
                data = response.read()
                return Answer(
                    response.status, {k.lower(): v for k, v in response.getheaders()}, data
                )
            except (ConnectionError, http.client.HTTPException):
                self.conn.close()  # the server closed a kept-alive connection: open a new one
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def expect(self, status: int, method: str, path: str, **kwargs: Any) -> Answer:
        answer = self.request(method, path, **kwargs)
        if answer.status != status:
            raise Failed(f"{method} {path}: {answer.status}, not {status}: {answer.body[:300]!r}")
        return answer

    def close(self) -> None:
        self.conn.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Server:
    """`scrutiny serve` as a subprocess, on its own database."""

    def __init__(
        self,
        directory: Path,
        workers: int,
        command: list[str] | None = None,
        ready: str = "/programmes",
        name: str = "server",
    ) -> None:
        """`scrutiny serve --workers N`, or `command` (given the port as its last argument),
        answering 200 at `ready` once it is up; its output goes to `name`.log."""
        self.workers = workers
        self.port = free_port()
        self.token = secrets.token_urlsafe(32)
        self.ready = ready
        self.log = directory / f"{name}.log"
        database = f"sqlite:///{directory / 'bench.db'}"
        env = {
            **os.environ,
            "DATABASE_URL": database,
            "SCRUTINY_CLERK_TOKEN": self.token,
        }
        if command is None:
            command = [
                sys.executable, "-m", "scheduler.cli", "serve",
                "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers),
            ]  # fmt: skip
        else:
            command = [*command, str(self.port)]
        self.command = command
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait(self, timeout: float = 60) -> None:
        """Until GET `ready` answers 200 and every worker is up."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise Failed(f"the server exited ({self.process.returncode}):\n{self.tail()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", self.ready)
                if conn.getresponse().status == 200:
                    conn.close()
                    break
                conn.close()
            except OSError:
                pass
            time.sleep(0.1)
        else:
            raise Failed(f"the server did not answer within {timeout:.0f} s:\n{self.tail()}")
        while self.alive() < self.workers and time.monotonic() < deadline:
            time.sleep(0.1)
        self.check()

    def pids(self) -> list[int]:
        """uvicorn's process and its workers."""
        found = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True, check=False
        )
        return [self.process.pid, *map(int, found.stdout.split())]

    def cpu_seconds(self) -> float:
        """CPU seconds (user and system) the server's processes have used so far."""
        ticks = 0
        for pid in self.pids():
            try:
                stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks += int(stat[11]) + int(stat[12])
        return ticks / os.sysconf("SC_CLK_TCK")

    def alive(self) -> int:
        """Worker processes running (uvicorn's own process when there is one worker)."""
        if self.workers == 1:
            return int(self.process.poll() is None)
        count = 0
        for pid in self.pids()[1:]:
            try:
                stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                command = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            count += stat[0] != "Z" and b"spawn_main" in command
        return count

    def check(self) -> None:
        """Every worker still runs and none has logged a traceback."""
        alive = self.alive()
        if alive < self.workers or "Traceback" in self.log.read_text(errors="replace"):
            raise Failed(f"{alive} of {self.workers} workers running; the log:\n{self.tail()}")

    def tail(self) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-30:])

    def stop(self) -> None:
        """SIGTERM (uvicorn stops its workers), then SIGKILL to the group it started, if need be."""
        if self.process.poll() is None:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=15)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # any worker left behind
        self.process.wait()
