"""The shared clerk token of before issue 25 goes: an existing deployment's token (kept as a
hash by migration 0005's schema) becomes an API token of an admin account, its page sessions
that account's, and the setting is removed; a token still set in SCRUTINY_CLERK_TOKEN is
adopted the same way at start, once."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, text

from api.admin import FORMER_CLERK_EMAIL, FORMER_CLERK_NAME, adopt_shared_token
from api.app import create_app
from api.auth import digest, new_token
from api.settings import Settings
from api.storage import MIGRATIONS, make_engine, migrate, reading
from api.tables import Account, ApiToken, AuditEvent, ClerkSession, Setting
from api.web.session import COOKIE
from tests.conftest import BROMLEY

LATER = dt.datetime.now(dt.UTC) + dt.timedelta(hours=4)


def migrated_to(engine: Engine, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def migrated_to_down(engine: Engine, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


@pytest.fixture
def database_url(empty_database_url: str) -> str:
    """These tests start from a database as an older release left it: from an empty one."""
    return empty_database_url


def deployment_before_accounts(database_url: str, token: str, sid: str) -> None:
    """A database as the service left it before issue 25: the shared token's hash stored, and a
    page session signed in with it."""
    engine = make_engine(database_url)
    migrated_to(engine, "0005")
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO settings (key, value) VALUES ('clerk_token_sha256', :d)"),
            {"d": digest(token)},
        )
        conn.execute(
            text(
                "INSERT INTO sessions (digest, clerk, created, last_used, expires)"
                " VALUES (:s, :c, :now, :now, :later)"
            ),
            {"s": digest(sid), "c": digest(token), "now": dt.datetime.now(dt.UTC), "later": LATER},
        )
    engine.dispose()


def test_migration_turns_the_shared_token_into_an_admins_api_token(database_url: str) -> None:
    token, sid = new_token(), new_token()
    deployment_before_accounts(database_url, token, sid)
    app = create_app(Settings(database_url=database_url), announce=False)  # migrates to head
    engine: Engine = app.state.scrutiny.engine
    with reading(engine) as session:
        admin = session.scalar(select(Account).where(Account.email == FORMER_CLERK_EMAIL))
        assert admin is not None and admin.role == "admin" and admin.password is None
        assert admin.name == FORMER_CLERK_NAME
        held = session.scalars(select(ApiToken).where(ApiToken.account == admin.id)).all()
        assert [t.digest for t in held] == [digest(token)]
        assert session.get(Setting, "clerk_token_sha256") is None
        kept = session.get(ClerkSession, digest(sid))
        assert kept is not None and kept.clerk == f"account:{admin.id}:token:{held[0].id}"
        said = session.scalars(select(AuditEvent.words).where(AuditEvent.account == admin.id))
        assert "The shared clerk token became this admin account's API token." in list(said)
    with TestClient(app) as client:
        made = client.post(
            "/programmes",
            content=BROMLEY.read_bytes(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/yaml"},
        )
        assert made.status_code == 201, made.text
        client.cookies.set(COOKIE, sid)  # the page signed in before goes on
        assert 'action="/sign-out"' in client.get("/").text


def test_a_deployment_that_never_started_gets_no_admin(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate(engine)
    with reading(engine) as session:
        assert session.scalars(select(Account)).all() == []
        assert session.scalars(select(ApiToken)).all() == []
    engine.dispose()


def test_a_token_in_the_environment_is_adopted_once(database_url: str) -> None:
    token = new_token()
    engine = make_engine(database_url)
    migrate(engine)
    now = dt.datetime.now(dt.UTC)
    assert adopt_shared_token(engine, token, now)
    assert not adopt_shared_token(engine, token, now)  # held already: nothing more
    other = new_token()
    assert adopt_shared_token(engine, other, now)  # rotated: the same account, the old one ends
    with reading(engine) as session:
        accounts = session.scalars(select(Account)).all()
        assert [a.email for a in accounts] == [FORMER_CLERK_EMAIL]
        held = session.execute(select(ApiToken.digest, ApiToken.revoked).order_by(ApiToken.id))
        assert [(d, r is not None) for d, r in held] == [
            (digest(token), True),
            (digest(other), False),
        ]
    engine.dispose()


def test_a_stored_token_the_environment_overrode_is_not_brought_back(database_url: str) -> None:
    """Before accounts, SCRUTINY_CLERK_TOKEN overrode a token stored at an earlier start: after
    the migration only the one in the environment works."""
    stored, set_now = new_token(), new_token()
    deployment_before_accounts(database_url, stored, new_token())
    app = create_app(Settings(database_url=database_url, clerk_token=set_now), announce=False)
    with TestClient(app) as client:
        for token, status in ((stored, 401), (set_now, 200)):
            answer = client.get("/me", headers={"Authorization": f"Bearer {token}"})
            assert answer.status_code == status, token


def test_the_migration_goes_down_and_up_again(database_url: str) -> None:
    token = new_token()
    deployment_before_accounts(database_url, token, new_token())
    engine = make_engine(database_url)
    migrate(engine)
    migrated_to_down(engine, "0005")
    with reading(engine) as session:  # the shared token is the shared token again
        assert session.get(Setting, "clerk_token_sha256").value == digest(token)  # type: ignore[union-attr]
    migrate(engine)  # and up: the same account, not a second one
    with reading(engine) as session:
        accounts = session.scalars(select(Account.email)).all()
        assert list(accounts) == [FORMER_CLERK_EMAIL]
    engine.dispose()


def test_the_trail_cannot_be_replaced_or_emptied(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate(engine)
    assert adopt_shared_token(engine, new_token(), dt.datetime.now(dt.UTC))
    dialect = engine.dialect.name
    sneaky = (
        "TRUNCATE audit_events"
        if dialect == "postgresql"
        else "INSERT OR REPLACE INTO audit_events (id, at, who, action, words, details)"
        " SELECT id, at, 'someone else', action, 'rewritten', details FROM audit_events"
    )
    try:
        with engine.begin() as conn:
            conn.execute(text(sneaky))
    except Exception as err:
        assert "append-only" in str(err)
    else:
        raise AssertionError(f"the database let through: {sneaky}")
    with reading(engine) as session:
        assert [e.who for e in session.scalars(select(AuditEvent))] == ["the service"]
    engine.dispose()


def test_the_audit_trail_refuses_changes_and_deletions(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate(engine)
    assert adopt_shared_token(engine, new_token(), dt.datetime.now(dt.UTC))  # one event
    for statement in ("UPDATE audit_events SET who = 'someone else'", "DELETE FROM audit_events"):
        try:
            with engine.begin() as conn:
                conn.execute(text(statement))
        except Exception as err:  # the database's own refusal, whatever its driver calls it
            assert "append-only" in str(err)
        else:
            raise AssertionError(f"the database let through: {statement}")
    with reading(engine) as session:
        assert len(session.scalars(select(AuditEvent)).all()) == 1
    engine.dispose()
