"""The database: engine, migrations, and transactions.

SQLite by default, PostgreSQL by URL, through one engine. SQLite runs in WAL mode with full
synchronous commits, so that an acknowledged write survives the process being killed, and its
write transactions begin IMMEDIATE, taking the write lock at once: two clerks' edits queue instead
of failing half-way. Reads begin deferred and never wait for a writer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from alembic import command
from alembic.config import Config
from sqlalchemy import CursorResult, Engine, Result, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement

MIGRATIONS = Path(__file__).parent / "migrations"


#: How a PostgreSQL connection notices that the database is out of reach: a connection within
#: 10 seconds, anything sent acknowledged within 10 seconds (a network that drops packets
#: silently included), and an idle connection probed. A request that needs the database then
#: fails within about 20 seconds (/health's 503) rather than waiting for ever.
REACH = {
    "connect_timeout": "10",
    "tcp_user_timeout": "10000",
    "keepalives": "1",
    "keepalives_idle": "10",
    "keepalives_interval": "5",
    "keepalives_count": "2",
}
MIGRATING = 26_0001  # PostgreSQL's advisory lock of a migration under way


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets its pragmas and explicit BEGINs."""
    if not url.startswith("sqlite"):
        given = make_url(url).query  # the URL's own limits stand
        limits = {k: v for k, v in REACH.items() if k not in given}
        return create_engine(url, pool_pre_ping=True, pool_size=10, connect_args=limits)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _connect(dbapi: Any, _record: Any) -> None:
        dbapi.isolation_level = None  # SQLAlchemy's begin event below issues BEGIN itself
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
            dbapi.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        write = conn.get_execution_options().get("write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (idempotent)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.execution_options(write=True).begin() as conn:  # workers starting together queue
        if conn.dialect.name == "postgresql":  # there, by a lock of the transaction's own
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATING})")
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """A session for reads (one snapshot, nothing written)."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        yield session


@contextmanager
def writing(engine: Engine) -> Iterator[Session]:
    """One write transaction: all of it is committed, or none of it."""
    bind = engine.execution_options(write=True)
    with Session(bind, expire_on_commit=False) as session, session.begin():
        yield session


def changed(result: Result[Any]) -> int:
    """How many rows an UPDATE changed."""
    return cast(CursorResult[Any], result).rowcount


def one_row(engine: Engine, statement: ClauseElement) -> Callable[[Mapping[str, Any]], Any]:
    """A single-statement read compiled once for the engine's database and run on a pooled
    DBAPI connection: no session, no events, no result processing (values come back as the
    driver gives them). For the feeds' hot path, where SQLAlchemy's own work per execution
    would cost more than the query. A lone SELECT is a consistent snapshot by itself."""
    compiled = cast(SQLCompiler, statement.compile(dialect=engine.dialect))
    sql, order = str(compiled), compiled.positiontup

    def run(params: Mapping[str, Any]) -> Any:
        values = compiled.construct_params(params) or {}
        conn = engine.raw_connection()
        try:
            cursor = conn.cursor()
            cursor.execute(sql, [values[k] for k in order] if order else values)
            row = cursor.fetchone()
            cursor.close()
            return row
        finally:
            conn.close()  # back to the pool

    return run
