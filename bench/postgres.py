"""PostgreSQL for the benchmarks and the tests: a server to use (SCRUTINY_TEST_POSTGRES, else a
throwaway cluster of our own started as `.ci/run` starts one), and a new database on it that is
dropped after use."""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from bench.load import Failed
from bench.serving import free_port


@contextmanager
def postgres_server() -> Iterator[str | None]:
    """A PostgreSQL server's URL (its `postgres` database, as a superuser): SCRUTINY_TEST_POSTGRES,
    else a throwaway cluster of our own; None when there are no PostgreSQL binaries."""
    given = os.environ.get("SCRUTINY_TEST_POSTGRES")
    if given:
        yield given
        return
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/postgres"),
        key=lambda p: int(Path(p).parent.parent.name.split(".")[0]),
    )
    if not found:
        yield None
        return
    with throwaway_cluster(Path(found[-1]).parent) as url:
        yield url


@contextmanager
def throwaway_cluster(bindir: Path) -> Iterator[str]:
    """A cluster in a temporary directory on a free loopback port (as the `postgres` user when
    run as root: PostgreSQL refuses root), role `scrutiny` a trusted superuser; stopped and its
    directory removed afterwards."""
    directory = Path(tempfile.mkdtemp(prefix="bench-queue-pg-"))
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def run(*command: str | Path) -> None:
        done = subprocess.run(
            [*as_postgres, *map(str, command)], cwd=directory, capture_output=True
        )
        if done.returncode != 0:
            log = directory / "server.log"
            said = log.read_text() if log.exists() else ""
            raise Failed(f"{command[0]} failed: {done.stdout!r} {done.stderr!r}\n{said}")

    data, port = directory / "data", free_port()
    try:
        if as_postgres:
            if not _user("postgres"):
                subprocess.run(["useradd", "--system", "--home-dir", "/var/lib/postgresql",
                                "postgres"], check=True)  # fmt: skip
            shutil.chown(directory, "postgres")
        run(bindir / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
            "--no-locale", "--no-sync")  # fmt: skip
        options = f"-h 127.0.0.1 -p {port} -k {directory} -c fsync=off -c max_connections=200"
        run(bindir / "pg_ctl", "-D", data, "-l", directory / "server.log", "-w", "-t", "60",
            "-o", options, "start")  # fmt: skip
        admin = create_engine(
            f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", isolation_level="AUTOCOMMIT"
        )
        with admin.connect() as conn:
            conn.exec_driver_sql("CREATE ROLE scrutiny LOGIN SUPERUSER")
        admin.dispose()
        yield f"postgresql+psycopg://scrutiny@127.0.0.1:{port}/postgres"
    finally:
        if (data / "postmaster.pid").exists():
            with contextlib.suppress(Failed):
                run(bindir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(directory, ignore_errors=True)


def _user(name: str) -> bool:
    """Whether the system has user `name`."""
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


@contextmanager
def fresh_database(
    server: str, prefix: str = "bench", template: str | None = None
) -> Iterator[str]:
    """A new database on the server (empty, or a copy of database `template`), named from
    `prefix`, dropped after (its connections closed first)."""
    name = f"{prefix}_{secrets.token_hex(6)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    copy = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"{copy}')
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.dispose()
