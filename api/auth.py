"""Who may do what: the clerk's bearer token for editing, secret addresses for private feeds.

Tokens are 256 random bits (URL-safe base64). Only their SHA-256 digests are stored: a copy of
the database gives nobody a feed or the clerk's rights. Digests are compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import Engine, select

from api.storage import writing
from api.tables import Setting

CLERK_DIGEST = "clerk_token_sha256"


def new_token() -> str:
    """A fresh secret: 32 random bytes, 43 URL-safe characters."""
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def clerk_digest(engine: Engine, configured: str | None) -> tuple[str, str | None]:
    """The clerk token's digest, and the token itself when it was made just now (print it once).

    A token from the environment wins; otherwise the stored digest; otherwise a new token is
    made and its digest stored.
    """
    if configured:
        return digest(configured), None
    with writing(engine) as session:
        stored = session.scalar(select(Setting.value).where(Setting.key == CLERK_DIGEST))
        if stored:
            return stored, None
        token = new_token()
        session.add(Setting(key=CLERK_DIGEST, value=digest(token)))
    return digest(token), token
