"""Secrets: accounts' API tokens, sessions' ids, private feeds' addresses.

Each is 256 random bits (URL-safe base64). Only their SHA-256 digests are stored: a copy of the
database gives nobody a feed, a sign-in or an account's rights. Digests are compared in
constant time where one secret is checked against another.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_token() -> str:
    """A fresh secret: 32 random bytes, 43 URL-safe characters."""
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
