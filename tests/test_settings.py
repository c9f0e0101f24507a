"""The service's settings from the environment: a clerk's token too short to be safe, or a
session length that is not a number of hours, stops `scrutiny serve` with what to do (exit 2,
no traceback)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from api.settings import MIN_CLERK_TOKEN, SettingError, Settings
from scheduler.cli import main


def never_started(*_: object, **__: object) -> None:
    raise AssertionError("the service started with settings it should have refused")


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """A clean environment for `scrutiny serve`, which must stop before serving anything."""
    monkeypatch.setattr("uvicorn.run", never_started)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'scrutiny.db'}")
    for name in ("SCRUTINY_CLERK_TOKEN", "SCRUTINY_SESSION_IDLE_HOURS", "SCRUTINY_SESSION_HOURS"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_a_clerk_token_shorter_than_32_characters_is_refused() -> None:
    with pytest.raises(SettingError, match="31 characters long") as refused:
        Settings(clerk_token="x" * (MIN_CLERK_TOKEN - 1))
    assert 'python -c "import secrets; print(secrets.token_urlsafe(32))"' in str(refused.value)
    assert Settings(clerk_token="x" * MIN_CLERK_TOKEN).clerk_token


def test_serve_with_a_short_token_says_what_to_do_and_exits_2(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    environment.setenv("SCRUTINY_CLERK_TOKEN", "password123")
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("scrutiny serve: SCRUTINY_CLERK_TOKEN is 11 characters long")
    assert "secrets.token_urlsafe(32)" in err and "Traceback" not in err


def test_serve_refuses_session_hours_that_are_not_hours(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for value in ("eight", "0", "-1", "nan", "1000"):
        environment.setenv("SCRUTINY_SESSION_IDLE_HOURS", value)
        assert main(["serve"]) == 2
        err = capsys.readouterr().err
        assert f"SCRUTINY_SESSION_IDLE_HOURS is '{value}'" in err, err


def test_session_lengths_come_from_the_environment(environment: pytest.MonkeyPatch) -> None:
    assert Settings.from_environment().session_idle == dt.timedelta(hours=8)
    assert Settings.from_environment().session_lifetime == dt.timedelta(hours=12)
    environment.setenv("SCRUTINY_SESSION_IDLE_HOURS", "1.5")
    environment.setenv("SCRUTINY_SESSION_HOURS", "4")
    settings = Settings.from_environment()
    assert settings.session_idle == dt.timedelta(minutes=90)
    assert settings.session_lifetime == dt.timedelta(hours=4)


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        ("https://clerk:S3cret@scrutiny.council.gov.uk", "without a name and password"),
        ("scrutiny.council.gov.uk", "is not a web address"),
        ("https://scrutiny.council.gov.uk/?from=feed", "without ? or #"),
    ],
)
def test_a_public_address_links_cannot_use_stops_the_service(
    monkeypatch: pytest.MonkeyPatch, given: str, problem: str
) -> None:
    monkeypatch.setenv("SCRUTINY_PUBLIC_URL", given)
    with pytest.raises(SettingError, match=re.escape(problem)) as raised:
        Settings.from_environment()
    assert "S3cret" not in str(raised.value)


def test_the_public_address_is_kept_without_its_trailing_slash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SCRUTINY_PUBLIC_URL", "https://scrutiny.council.gov.uk/")
    assert Settings.from_environment().public_url == "https://scrutiny.council.gov.uk"


def test_a_number_of_thousands_of_digits_is_a_setting_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SCRUTINY_FEED_REFRESH_MINUTES", "9" * 5000)
    with pytest.raises(SettingError, match="give a whole number from 15 to 10080"):
        Settings.from_environment()


def test_the_issuer_is_kept_exactly_as_given(monkeypatch: pytest.MonkeyPatch) -> None:
    """An ID token's `iss` must equal the configured issuer to the character: a trailing
    slash (Auth0's issuers have one) is not taken off, as it is off the service's address."""
    monkeypatch.setenv("SCRUTINY_OIDC_ISSUER", "https://bromley.eu.auth0.com/")
    monkeypatch.setenv("SCRUTINY_OIDC_CLIENT_ID", "scrutiny")
    monkeypatch.setenv("SCRUTINY_OIDC_CLIENT_SECRET", "a secret of the council's")
    assert Settings.from_environment().oidc_issuer == "https://bromley.eu.auth0.com/"
    monkeypatch.setenv("SCRUTINY_OIDC_ISSUER", "https://user:pw@login.example/")
    with pytest.raises(SettingError, match="SCRUTINY_OIDC_ISSUER"):
        Settings.from_environment()


def test_single_sign_on_needs_all_three_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCRUTINY_OIDC_ISSUER", "https://login.microsoftonline.com/x/v2.0")
    with pytest.raises(SettingError, match="all three"):
        Settings.from_environment()


@pytest.mark.parametrize(
    "issuer",
    ["http://login.microsoftonline.com/x/v2.0", "http://localhost.example.net"],
)
def test_an_issuer_not_over_https_stops_the_service(
    monkeypatch: pytest.MonkeyPatch, issuer: str
) -> None:
    """The provider's keys, and the tokens that say who signs in, come from the issuer's
    address: over plain http, anybody on the way could change them."""
    monkeypatch.setenv("SCRUTINY_OIDC_ISSUER", issuer)
    with pytest.raises(SettingError, match="SCRUTINY_OIDC_ISSUER") as raised:
        Settings.from_environment()
    assert "is reached over https (http only on this machine" in str(raised.value)


@pytest.mark.parametrize(
    "issuer",
    ["http://localhost:8080", "http://127.0.0.1:9000/", "http://127.8.0.1", "http://[::1]:80"],
)
def test_an_issuer_on_this_machine_may_be_plain_http(
    monkeypatch: pytest.MonkeyPatch, issuer: str
) -> None:
    monkeypatch.setenv("SCRUTINY_OIDC_ISSUER", issuer)
    monkeypatch.setenv("SCRUTINY_OIDC_CLIENT_ID", "scrutiny")
    monkeypatch.setenv("SCRUTINY_OIDC_CLIENT_SECRET", "a secret of the council's")
    assert Settings.from_environment().oidc_issuer == issuer
