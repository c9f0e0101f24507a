"""Accounts (issue 25, first step): each with a role, its password kept only as an Argon2id
hash, locked after repeated wrong passwords; the first admin made by `scrutiny admin create`,
with nothing secret printed. On SQLite, and on PostgreSQL where the suite is given one."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine, select, update

from api import accounts
from api.accounts import ATTEMPTS, LOCK, AccountError, check_password, create_account
from api.app import create_app
from api.settings import Settings
from api.storage import make_engine, migrate, reading, writing
from api.tables import Account
from scheduler.cli import main

NOW = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
PASSWORD = "correct horse battery staple"


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    made = make_engine(database_url)
    migrate(made)
    try:
        yield made
    finally:
        made.dispose()


def stored(engine: Engine, email: str) -> Account:
    with reading(engine) as session:
        found = session.scalar(select(Account).where(Account.email == email))
    assert found is not None
    return found


def test_a_password_is_kept_only_as_an_argon2id_hash(engine: Engine) -> None:
    create_account(
        engine, "Philippa.Gibbs@Bromley.gov.uk", "Philippa Gibbs", "clerk", PASSWORD, NOW
    )
    account = stored(engine, "philippa.gibbs@bromley.gov.uk")  # kept lower-case
    assert account.password is not None and account.password.startswith("$argon2id$")
    assert PASSWORD not in account.password
    signed = check_password(engine, "philippa.gibbs@BROMLEY.gov.uk", PASSWORD, NOW)
    assert signed is not None and (signed.name, signed.role) == ("Philippa Gibbs", "clerk")


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("nobody@bromley.gov.uk", PASSWORD),  # no such account
        ("philippa.gibbs@bromley.gov.uk", PASSWORD + "!"),  # a wrong password
        ("philippa.gibbs@bromley.gov.uk", ""),
        ("not an address", PASSWORD),
        ("philippa.gibbs@bromley.gov.uk", PASSWORD + "x" * 2000),  # longer than any password
    ],
)
def test_a_wrong_sign_in_is_refused(engine: Engine, email: str, password: str) -> None:
    create_account(
        engine, "philippa.gibbs@bromley.gov.uk", "Philippa Gibbs", "clerk", PASSWORD, NOW
    )
    assert check_password(engine, email, password, NOW) is None


def test_repeated_wrong_passwords_lock_the_account_for_a_while(engine: Engine) -> None:
    create_account(engine, "gibbs@bromley.gov.uk", "Philippa Gibbs", "clerk", PASSWORD, NOW)
    for n in range(ATTEMPTS - 1):
        assert check_password(engine, "gibbs@bromley.gov.uk", f"wrong guess {n}", NOW) is None
    assert check_password(engine, "gibbs@bromley.gov.uk", PASSWORD, NOW) is not None  # resets
    for n in range(ATTEMPTS):
        assert check_password(engine, "gibbs@bromley.gov.uk", f"wrong guess {n}", NOW) is None
    assert stored(engine, "gibbs@bromley.gov.uk").locked_until == NOW + LOCK
    # Locked: even the right password is refused, until the lock ends.
    almost = NOW + LOCK - dt.timedelta(seconds=1)
    assert check_password(engine, "gibbs@bromley.gov.uk", PASSWORD, almost) is None
    assert check_password(engine, "gibbs@bromley.gov.uk", PASSWORD, NOW + LOCK) is not None
    assert stored(engine, "gibbs@bromley.gov.uk").locked_until is None


def test_a_disabled_account_or_one_of_single_sign_on_has_no_password_sign_in(
    engine: Engine,
) -> None:
    create_account(engine, "sso@bromley.gov.uk", "Single Sign-On", "reader", None, NOW)
    assert check_password(engine, "sso@bromley.gov.uk", PASSWORD, NOW) is None
    create_account(engine, "gone@bromley.gov.uk", "Gone Away", "clerk", PASSWORD, NOW)
    with writing(engine) as session:
        session.execute(update(Account).values(disabled=True))
    assert check_password(engine, "gone@bromley.gov.uk", PASSWORD, NOW) is None


@pytest.mark.parametrize(
    ("email", "name", "role", "password", "problem"),
    [
        ("gibbs", "Philippa Gibbs", "clerk", PASSWORD, "is not an e-mail address"),
        ("a@b.gov.uk", " ", "clerk", PASSWORD, "give the person's name"),
        ("a@b.gov.uk", "A B", "owner", PASSWORD, "the role is one of admin, clerk, reader"),
        ("a@b.gov.uk", "A B", "clerk", "short", "a password has 12 to 1024 characters"),
        ("a@b.gov.uk", "A B", "clerk", "ab" * 8, "one or two characters repeated"),
    ],
)
def test_an_account_that_cannot_be_made_says_why(
    engine: Engine, email: str, name: str, role: str, password: str, problem: str
) -> None:
    with pytest.raises(AccountError, match=problem):
        create_account(engine, email, name, role, password, NOW)  # type: ignore[arg-type]


def test_one_account_an_address(engine: Engine) -> None:
    create_account(engine, "gibbs@bromley.gov.uk", "Philippa Gibbs", "clerk", PASSWORD, NOW)
    with pytest.raises(AccountError, match="there is already an account for gibbs@bromley"):
        create_account(engine, "GIBBS@bromley.gov.uk", "P Gibbs", "admin", PASSWORD, NOW)


def test_the_first_admin_is_made_from_the_command_line_with_nothing_secret_printed(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    args = ["admin", "create", "--email", "gibbs@bromley.gov.uk", "--name", "Philippa Gibbs"]
    assert main([*args, "--password-stdin"]) == 0
    out, err = capsys.readouterr()
    assert (out, err) == (
        "", "Philippa Gibbs <gibbs@bromley.gov.uk> can now sign in as admin, with a password.\n"
    )  # fmt: skip
    engine = make_engine(database_url)
    try:
        assert check_password(engine, "gibbs@bromley.gov.uk", PASSWORD, NOW) is not None
    finally:
        engine.dispose()
    # Again: refused, in words, exit 2.
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main([*args, "--password-stdin"]) == 2
    assert capsys.readouterr().err == (
        "scrutiny admin: there is already an account for gibbs@bromley.gov.uk\n"
    )


def test_a_password_must_be_typed_or_piped(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal, nothing piped
    args = ["admin", "create", "--email", "a@bromley.gov.uk", "--name", "A"]
    assert main(args) == 2
    assert "type the password at a terminal, or pipe it with --password-stdin" in (
        capsys.readouterr().err
    )
    assert main([*args, "--sso-only", "--role", "reader"]) == 0
    assert "can now sign in as reader, with single sign-on only" in capsys.readouterr().err


def test_the_stand_in_hash_is_made_when_the_service_starts(database_url: str) -> None:
    """Made at the first sign-in without an account instead, it would make that sign-in twice
    as slow as the rest, telling an unknown address apart (bench/ACCOUNTS.md)."""
    accounts._unused.cache_clear()
    create_app(Settings(database_url=database_url), announce=False)
    assert accounts._unused.cache_info().currsize == 1


def test_one_address_made_at_once_by_many_is_one_account(engine: Engine) -> None:
    """On PostgreSQL two requests can both find the address free; the second's commit fails on
    the key, and is told in words, never a 500."""

    def make(_: int) -> str:
        try:
            create_account(engine, "gibbs@bromley.gov.uk", "Philippa Gibbs", "clerk", None, NOW)
        except AccountError as err:
            return str(err)
        return "made"

    with ThreadPoolExecutor(8) as pool:
        said = list(pool.map(make, range(8)))
    assert said.count("made") == 1
    assert set(said) - {"made"} == {"there is already an account for gibbs@bromley.gov.uk"}
    with reading(engine) as session:
        assert len(session.scalars(select(Account)).all()) == 1
