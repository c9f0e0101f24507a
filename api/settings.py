"""The service's settings, read from the environment once at start.

DATABASE_URL      SQLAlchemy URL; default: the SQLite file `scrutiny.db` in the working directory.
                  A PostgreSQL URL (postgresql+psycopg://user:password@host/db) works unchanged.
SCRUTINY_CLERK_TOKEN
                  before issue 25, the one shared clerk token. Still read, once: when set, it
                  becomes an API token of the admin account "The clerk (shared token)" (made if
                  need be), so that scripts go on working; then unset it. People sign in with
                  their own accounts (`scrutiny admin create` makes the first).
SCRUTINY_OIDC_ISSUER, SCRUTINY_OIDC_CLIENT_ID, SCRUTINY_OIDC_CLIENT_SECRET
                  the council's single sign-on by OpenID Connect (Entra ID, Google Workspace,
                  any certified provider): its issuer URL, and this service's client id and
                  secret there. All three, or none (passwords only).
SCRUTINY_PUBLIC_URL
                  the address feeds are subscribed at (for the URLs the API hands out); default:
                  the address each request came to.
SCRUTINY_SESSION_IDLE_HOURS
                  a web page sign-in ends after this many hours unused; default 8.
SCRUTINY_SESSION_HOURS
                  and after this many hours in all, used or not; default 12.
SCRUTINY_FEED_REFRESH_MINUTES
                  how often calendars should read the feeds again (REFRESH-INTERVAL and
                  X-PUBLISHED-TTL), a whole number of minutes from 15 to 10080 (a week);
                  default 60. Written into the feeds when a plan is published.
SCRUTINY_MODERNGOV_PRIVATE
                  addresses off the public internet that "Check Modern.gov" may call: 1 for
                  any, or networks (10.20.0.0/16,192.168.4.7) for a council whose Modern.gov is
                  on its intranet; default none (api/outbound.py).

Connections and requests (README, "Limits"), each a whole number:
SCRUTINY_BODY_SECONDS
                  a request's whole body must arrive within this many seconds (else 408);
                  default 10.
SCRUTINY_KEEP_ALIVE_SECONDS
                  a connection that has not sent a whole request line and headers this many
                  seconds after it opened, or after its last answer, is closed; default 5.
SCRUTINY_MAX_CONNECTIONS
                  connections (and requests in progress) per worker process; more are answered
                  503 at once; default 200.
SCRUTINY_MAX_HEADER_BYTES
                  the request line and headers of a request; a larger one is refused (400) and
                  its connection closed; default 16384.
SCRUTINY_SHUTDOWN_SECONDS
                  at a stop, requests under way get this many seconds to finish; default 30.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from pydantic import TypeAdapter, ValidationError

from api.outbound import EVERY_NETWORK, Network
from scheduler.outputs.ical import REFRESH, REFRESH_MINUTES
from scheduler.programme.fields import WebAddress

DEFAULT_DATABASE = "sqlite:///scrutiny.db"
#: Shorter tokens could be guessed; 32 characters of token_urlsafe are 192 random bits.
MIN_CLERK_TOKEN = 32
MAKE_A_TOKEN = 'python -c "import secrets; print(secrets.token_urlsafe(32))"'


class SettingError(ValueError):
    """Raised when a setting from the environment cannot be used: the service does not start,
    and `scrutiny serve` prints the message (what to do) and exits 2."""


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE
    clerk_token: str | None = None
    public_url: str | None = None
    session_idle: dt.timedelta = dt.timedelta(hours=8)
    session_lifetime: dt.timedelta = dt.timedelta(hours=12)
    body_seconds: int = 10
    keep_alive_seconds: int = 5
    max_connections: int = 200
    max_header_bytes: int = 16 * 1024
    shutdown_seconds: int = 30
    feed_refresh: dt.timedelta = REFRESH
    moderngov_private: tuple[Network, ...] = ()
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = None

    def __post_init__(self) -> None:
        if self.clerk_token is not None and len(self.clerk_token) < MIN_CLERK_TOKEN:
            raise SettingError(
                f"SCRUTINY_CLERK_TOKEN is {len(self.clerk_token)} characters long: the clerk's"
                f" token must have at least {MIN_CLERK_TOKEN}, so that it cannot be guessed."
                f" Make one with\n    {MAKE_A_TOKEN}\nor unset SCRUTINY_CLERK_TOKEN: people"
                " sign in with their own accounts, and scripts use their API tokens."
            )
        oidc = (self.oidc_issuer, self.oidc_client_id, self.oidc_client_secret)
        if any(oidc) and not all(oidc):
            raise SettingError(
                "single sign-on needs SCRUTINY_OIDC_ISSUER, SCRUTINY_OIDC_CLIENT_ID and"
                " SCRUTINY_OIDC_CLIENT_SECRET all three: give the missing ones, or unset them"
                " all for passwords only"
            )

    @property
    def single_sign_on(self) -> bool:
        """Whether the council's single sign-on is configured."""
        return self.oidc_issuer is not None

    @classmethod
    def from_environment(cls) -> Settings:
        """The settings the environment gives.

        Raises:
            SettingError: a variable is set to a value the service cannot use.
        """
        return cls(
            database_url=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE,
            clerk_token=os.environ.get("SCRUTINY_CLERK_TOKEN") or None,
            public_url=_address("SCRUTINY_PUBLIC_URL"),
            session_idle=_hours("SCRUTINY_SESSION_IDLE_HOURS", 8),
            session_lifetime=_hours("SCRUTINY_SESSION_HOURS", 12),
            body_seconds=_whole("SCRUTINY_BODY_SECONDS", cls.body_seconds, 1, 600),
            keep_alive_seconds=_whole(
                "SCRUTINY_KEEP_ALIVE_SECONDS", cls.keep_alive_seconds, 1, 300
            ),
            max_connections=_whole("SCRUTINY_MAX_CONNECTIONS", cls.max_connections, 1, 100_000),
            max_header_bytes=_whole(
                "SCRUTINY_MAX_HEADER_BYTES", cls.max_header_bytes, 1024, 1024 * 1024
            ),
            shutdown_seconds=_whole("SCRUTINY_SHUTDOWN_SECONDS", cls.shutdown_seconds, 1, 3600),
            feed_refresh=dt.timedelta(
                minutes=_whole(
                    "SCRUTINY_FEED_REFRESH_MINUTES", REFRESH // _MINUTE, *REFRESH_MINUTES
                )
            ),
            moderngov_private=_networks("SCRUTINY_MODERNGOV_PRIVATE"),
            oidc_issuer=_issuer("SCRUTINY_OIDC_ISSUER"),
            oidc_client_id=os.environ.get("SCRUTINY_OIDC_CLIENT_ID") or None,
            oidc_client_secret=os.environ.get("SCRUTINY_OIDC_CLIENT_SECRET") or None,
        )


_MINUTE = dt.timedelta(minutes=1)


def _hours(name: str, default: float) -> dt.timedelta:
    text = os.environ.get(name) or str(default)
    try:
        hours = float(text)
    except ValueError:
        hours = math.nan
    # a week at most: a sign-in that never ends is what the setting exists to prevent
    if not 0 < hours <= 168:
        raise SettingError(f"{name} is '{text}': give a number of hours from 0 to 168, e.g. 8")
    return dt.timedelta(hours=hours)


def _whole(name: str, default: int, least: int, most: int) -> int:
    """A whole number from `least` to `most`: nothing unbounded, nothing that stops the service
    answering (a limit of 0)."""
    text = os.environ.get(name) or str(default)
    if not (text.isascii() and text.isdigit() and len(text) <= 12 and least <= int(text) <= most):
        raise SettingError(
            f"{name} is '{text}': give a whole number from {least} to {most}, e.g. {default}"
        )
    return int(text)


_PUBLIC = TypeAdapter(WebAddress)


def _address(name: str) -> str | None:
    """The service's public address, as links in feeds and pages give it (an http(s) site,
    no name and password, no ? or #); None when unset."""
    text = os.environ.get(name) or ""
    if not text:
        return None
    try:
        return _PUBLIC.validate_python(text)
    except ValidationError as err:
        problem = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in err.errors())
        raise SettingError(f"{name}: {problem}") from None


def _issuer(name: str) -> str | None:
    """The single sign-on provider's issuer: checked as an address, but kept exactly as given
    (an ID token's `iss` must equal it to the character, trailing slash and all). Over https,
    or http on this machine only (`localhost`, 127.0.0.0/8, ::1): its keys, and the tokens
    that say who signs in, must not be read or changed on the way."""
    if _address(name) is None:  # the same checks as any address the service is given
        return None
    text = os.environ[name]
    parts = urlsplit(text)
    host = parts.hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if parts.scheme != "https" and not loopback:
        raise SettingError(
            f"{name} is '{text}': the council's sign-in is reached over https (http only on"
            " this machine: localhost, 127.0.0.1, ::1), so that nobody on the way can read or"
            " change who it says signs in"
        )
    return text


def _networks(name: str) -> tuple[Network, ...]:
    """Networks the service may call although they are not public: `1` for any; none when
    unset or `0`."""
    text = (os.environ.get(name) or "").strip()
    if text in ("", "0"):
        return ()
    if text == "1":
        return EVERY_NETWORK
    try:
        return tuple(ipaddress.ip_network(part.strip()) for part in text.split(","))
    except ValueError:
        raise SettingError(
            f"{name} is '{text}': give 1 (any address), or networks such as "
            "10.20.0.0/16,192.168.4.7"
        ) from None
