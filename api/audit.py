"""The audit trail: who did what and when, append-only (issue 25).

Every programme version, plan version, publication, feed address given or revoked and account
change is recorded in the same transaction as the change itself, so the trail is never behind
and never ahead. Rows are never changed or deleted: the database refuses it (migration 0006).
`who` keeps the person's name as it was, so that a renamed or disabled account's past stays
readable.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.tables import AuditEvent
from api.who import Who

#: Events one page or answer lists at most, newest first.
LISTED = 200
#: The name recorded for what the service does by itself (a job finishing, a start-up).
SERVICE = "the service"


def record(
    session: Session,
    who: Who | None,
    action: str,
    words: str,
    *,
    now: dt.datetime,
    programme: str | None = None,
    version: int | None = None,
    plan: int | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Record that `who` (None: the service) did `action`, described by `words`."""
    session.add(
        AuditEvent(
            at=now.replace(microsecond=0),  # to the second, as every moment the service keeps
            account=None if who is None else who.account,
            who=SERVICE if who is None else who.name,
            action=action,
            programme=programme,
            version=version,
            plan=plan,
            words=words,
            details=json.dumps(details or {}, sort_keys=True),
        )
    )


def trail(
    session: Session, programme: str | None, before: int | None = None, limit: int = LISTED
) -> list[AuditEvent]:
    """The newest events first: of one programme, or (None) of accounts and the service; only
    those before event `before`, for the next page back."""
    query = select(AuditEvent).where(
        AuditEvent.programme.is_(None) if programme is None else AuditEvent.programme == programme
    )
    if before is not None:
        query = query.where(AuditEvent.id < before)
    return list(session.scalars(query.order_by(AuditEvent.id.desc()).limit(limit)))
