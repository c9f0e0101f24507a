"""Single sign-ons begun and not yet finished, kept server-side (`SignInStart`): each one's
state (as its digest), the browser it was begun in (its binding cookie, as a digest), the
client's network, the nonce and PKCE verifier, and where the person was going.

A start is usable once, for `PENDING`. Starts are bounded, so that nobody can keep others from
signing in by starting many: `PER_ADDRESS` at once from one network (an IPv6 /64 counts as one
address), `PER_BROWSER` in one browser (a new one drops its oldest), `MOST_PENDING` in all.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from api.auth import digest
from api.storage import changed, writing
from api.tables import SignInStart

#: A sign-in begun must come back within this long, and only once.
PENDING = dt.timedelta(minutes=10)
#: Sign-ins under way at once from one client address, at most: one address's flood of starts
#: cannot keep everybody else from signing in.
PER_ADDRESS = 30
#: Sign-ins under way at once in one browser (its binding cookie), at most: a new one drops the
#: oldest.
PER_BROWSER = 5
#: Sign-ins under way at once, at most: a flood of starts cannot fill the database.
MOST_PENDING = 10_000
#: Stale starts cleared by one new start, so that no request pays for a backlog.
CLEAR_AT_MOST = 100
#: The longest `next` kept with a start: a page of this site, not a story.
LONGEST_NEXT = 2000
TOO_MANY_HERE = (
    "too many sign-ins have been started from your network and not finished: try again in {minutes}"
)


class TooMany(Exception):
    """No room for another start: `words` for the person, `status` the answer's (429 or 503),
    `why` for the log, `wait` the seconds before trying again is any use (0: not known)."""

    def __init__(self, status: int, words: str, why: str = "", wait: int = 0) -> None:
        super().__init__(words)
        self.status, self.words, self.why, self.wait = status, words, why or words, wait


def keep(
    engine: Engine,
    state: str,
    browser: str,
    address: str,
    *,
    nonce: str,
    verifier: str,
    then: str,
    now: dt.datetime,
) -> None:
    """Keep a start of `state`, begun in `browser` (its binding cookie's value) from `address`.

    Raises:
        TooMany: no room for it (`_make_room`).
    """
    network = _network(address)
    with writing(engine) as session:
        _make_room(session, browser=digest(browser), network=network, now=now)
        session.add(
            SignInStart(
                state=digest(state),
                browser=digest(browser),
                address=network,
                nonce=nonce,
                verifier=verifier,
                next=then if len(then) <= LONGEST_NEXT else "/",
                created=now,
            )
        )


def _make_room(session: Session, *, browser: str, network: str, now: dt.datetime) -> None:
    """Room for one more start in `browser` (its digest) from `network`: a few stale starts
    cleared, the browser's oldest dropped to leave it `PER_BROWSER` with the new one. Under
    PostgreSQL two starts at once may both pass a count: the bounds are near, not exact.

    Raises:
        TooMany: `PER_ADDRESS` starts from `network` are under way (429, with how long until
            the oldest expires), or `MOST_PENDING` in all (503).
    """
    live = SignInStart.created > now - PENDING
    stale = select(SignInStart.state).where(~live).limit(CLEAR_AT_MOST)
    kept = select(SignInStart.state).where(SignInStart.browser == browser)
    kept = kept.order_by(SignInStart.created.desc()).limit(PER_BROWSER - 1)
    for gone in (
        SignInStart.state.in_(stale),
        (SignInStart.browser == browser) & SignInStart.state.not_in(kept),
    ):
        session.execute(
            delete(SignInStart).where(gone), execution_options={"synchronize_session": False}
        )
    here = session.execute(
        select(func.count(), func.min(SignInStart.created)).where(
            live, SignInStart.address == network
        )
    ).one()
    if here[0] >= PER_ADDRESS:
        wait = max(1, math.ceil((here[1] + PENDING - now).total_seconds()))
        words = TOO_MANY_HERE.format(minutes=_minutes(wait))
        raise TooMany(429, words, f"{PER_ADDRESS} sign-ins under way from {network}", wait)
    everyone = session.scalar(select(func.count()).where(live))
    if everyone is not None and everyone >= MOST_PENDING:
        raise TooMany(503, "too many sign-ins are under way: try again in a few minutes")


def _network(address: str) -> str:
    """What starts are counted by: the client's address; for IPv6, its /64, as one machine (or
    household) is commonly given a whole /64."""
    try:
        found = ipaddress.ip_address(address)
    except ValueError:
        return address[:100]  # not an IP address (a test client's name, or none)
    if isinstance(found, ipaddress.IPv4Address):
        return str(found)
    if found.ipv4_mapped is not None:
        return str(found.ipv4_mapped)
    return str(ipaddress.IPv6Network((int(found), 64), strict=False))  # without a %scope


def _minutes(seconds: int) -> str:
    """`seconds` in whole minutes, rounded up, in words: "1 minute", "7 minutes"."""
    minutes = math.ceil(seconds / 60)
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def taken(engine: Engine, state: str) -> SignInStart | None:
    """The start of this `state`, deleted as it is read: only one answer ever finds it."""
    if not state or len(state) > 512:
        return None
    key = digest(state)
    with writing(engine) as session:
        found = session.get(SignInStart, key)
        if found is None:
            return None
        gone = session.execute(delete(SignInStart).where(SignInStart.state == key))
        return found if changed(gone) == 1 else None
