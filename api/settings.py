"""The service's settings, read from the environment once at start.

DATABASE_URL      SQLAlchemy URL; default: the SQLite file `scrutiny.db` in the working directory.
                  A PostgreSQL URL (postgresql+psycopg://user:password@host/db) works unchanged.
SCRUTINY_CLERK_TOKEN
                  the clerk's bearer token; when unset, one is generated on first start, printed
                  once and only its hash is kept.
SCRUTINY_PUBLIC_URL
                  the address feeds are subscribed at (for the URLs the API hands out); default:
                  the address each request came to.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_DATABASE = "sqlite:///scrutiny.db"


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE
    clerk_token: str | None = None
    public_url: str | None = None

    @classmethod
    def from_environment(cls) -> Settings:
        return cls(
            database_url=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE,
            clerk_token=os.environ.get("SCRUTINY_CLERK_TOKEN") or None,
            public_url=(os.environ.get("SCRUTINY_PUBLIC_URL") or "").rstrip("/") or None,
        )
