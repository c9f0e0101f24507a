"""Who a request acts for, and what their role lets them do (issue 25, DESIGN §10).

| role   | read drafts, plans, sources | edit, solve, publish, feed addresses | accounts, domains |
|--------|-----------------------------|--------------------------------------|-------------------|
| reader | every programme             | nothing                              | nothing           |
| clerk  | every programme             | the programmes given to them         | nothing           |
| admin  | every programme             | every programme                      | yes               |

A clerk is given a programme by an admin, or by creating it. Anyone, signed in or not, reads
what is published (the public page, public feeds, open data).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.tables import Account, Grant

Role = Literal["admin", "clerk", "reader"]
ROLES: tuple[Role, ...] = get_args(Role)
#: A role as people read it.
ROLE_WORDS: dict[str, str] = {"admin": "an admin", "clerk": "a clerk", "reader": "a reader"}
EDITING_ROLES: tuple[Role, ...] = ("admin", "clerk")


@dataclass(frozen=True)
class Who:
    """A signed-in person, as a request acts for them: their account, name (as the audit trail
    records it) and role; and the API token they came with, if they did (the session a token
    opens on the page ends when the token is revoked)."""

    account: int
    name: str
    role: Role
    token: int | None = None

    @classmethod
    def of(cls, account: Account, token: int | None = None) -> Who:
        role: Role = account.role  # type: ignore[assignment]  # one of ROLES: create_account
        return cls(account.id, account.name, role, token)

    @property
    def edits(self) -> bool:
        """Whether the role changes anything at all (a reader does not)."""
        return self.role in EDITING_ROLES

    @property
    def administers(self) -> bool:
        return self.role == "admin"


def may_edit(session: Session, who: Who, programme: str) -> bool:
    """Whether `who` may change programme `programme`: an admin any, a clerk those given."""
    if who.administers:
        return True
    if who.role != "clerk":
        return False
    found = session.scalar(
        select(Grant.account).where(Grant.programme == programme, Grant.account == who.account)
    )
    return found is not None


def give(session: Session, who: Who, programme: str) -> None:
    """Programme `programme` given to `who` (a clerk who creates one is given it)."""
    if who.role == "clerk" and session.get(Grant, (programme, who.account)) is None:
        session.add(Grant(programme=programme, account=who.account))


def who_of(session: Session, account: int | None) -> Who | None:
    """The person account `account` is, as the audit trail names them (None: nobody)."""
    found = None if account is None else session.get(Account, account)
    return None if found is None else Who.of(found)
