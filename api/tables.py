"""The service's tables (SQLAlchemy 2). Migrations in `api/migrations` create exactly these.

Programme versions and plan versions are immutable: rows are only ever added. A programme's
`revision` counts every edit (new source, publication); it is the ETag that edits must carry
(If-Match), and the compare-and-set on it is what stops lost updates.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A moment stored as UTC and read back aware, on SQLite and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: the service stores aware moments only")
        return value.astimezone(dt.UTC)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    pass


class Setting(Base):
    """Service-wide values (before issue 25: the shared clerk token's hash)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ProgrammeRow(Base):
    __tablename__ = "programmes"
    id: Mapped[str] = mapped_column(Text, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    revision: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)  # latest programme version
    published: Mapped[int | None] = mapped_column(Integer, nullable=True)  # plan number
    created: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    updated: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class ProgrammeVersion(Base):
    __tablename__ = "programme_versions"
    programme: Mapped[str] = mapped_column(ForeignKey("programmes.id"), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    format: Mapped[str] = mapped_column(String(8))  # yaml | json
    source: Mapped[str] = mapped_column(Text)
    created: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    # What it changed from the version before, in words (a JSON list); None for the first and
    # for versions stored before this was kept.
    changes: Mapped[str | None] = mapped_column(Text, nullable=True)


class PlanRow(Base):
    __tablename__ = "plans"
    __table_args__ = (
        ForeignKeyConstraint(
            ["programme", "programme_version"],
            ["programme_versions.programme", "programme_versions.number"],
        ),
    )
    programme: Mapped[str] = mapped_column(ForeignKey("programmes.id"), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))  # solve | replan | publish
    based_on: Mapped[int | None] = mapped_column(Integer, nullable=True)
    status: Mapped[str] = mapped_column(String(16))
    # the plan's `complete`; null when no plan was found (status infeasible or unknown)
    complete: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    objective: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    bound: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    published: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    body: Mapped[str] = mapped_column(Text)  # the plan's JSON (DESIGN §8)
    created: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    # kept by a job stopped before its time: the best plan found by then
    stopped: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class FeedRow(Base):
    """Every feed of a published plan, made once when it is published."""

    __tablename__ = "feeds"
    __table_args__ = (
        ForeignKeyConstraint(["programme", "plan"], ["plans.programme", "plans.number"]),
    )
    programme: Mapped[str] = mapped_column(Text, primary_key=True)
    plan: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(Text, primary_key=True)
    etag: Mapped[str] = mapped_column(String(80))
    body: Mapped[bytes] = mapped_column(LargeBinary)


class FeedToken(Base):
    __tablename__ = "feed_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    programme: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    subject: Mapped[str] = mapped_column(Text)  # a person's id, or "clerk"
    digest: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of the token
    label: Mapped[str] = mapped_column(Text, default="")
    created: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    revoked: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)


class ClerkSession(Base):
    """A web page sign-in: only the SHA-256 digest of its id (the cookie) is kept, with the
    digest of the clerk token it was made under (a rotated token ends it)."""

    __tablename__ = "sessions"
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    clerk: Mapped[str] = mapped_column(String(64))
    created: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    last_used: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    expires: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)


class Job(Base):
    __tablename__ = "jobs"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    programme: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # solve | replan
    programme_version: Mapped[int] = mapped_column(Integer)
    against: Mapped[int | None] = mapped_column(Integer, nullable=True)
    as_of: Mapped[str | None] = mapped_column(String(10), nullable=True)
    time_limit: Mapped[float] = mapped_column(Float)
    state: Mapped[str] = mapped_column(String(16))  # queued running done failed interrupted
    # who runs it: a web process's own runner; on PostgreSQL "queue" until a worker takes it
    runner: Mapped[str] = mapped_column(String(32))
    # 1, and 2 once run again after its worker died (`api.job_queue.reap`)
    attempt: Mapped[int] = mapped_column(Integer, default=1)
    # who asked for it (their plan version is recorded as theirs); None before issue 25
    account: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # asked to stop: when, and by whom (the running job's process sees it within a second)
    stop_asked: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    stopped_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    heartbeat: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    solutions: Mapped[int] = mapped_column(Integer, default=0)
    elapsed: Mapped[float] = mapped_column(Float, default=0.0)
    objective: Mapped[float | None] = mapped_column(Float, nullable=True)
    bound: Mapped[float | None] = mapped_column(Float, nullable=True)
    plan: Mapped[int | None] = mapped_column(Integer, nullable=True)
    complete: Mapped[bool | None] = mapped_column(Boolean, nullable=True)  # its plan's, when found
    message: Mapped[str] = mapped_column(Text, default="")
    created: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    finished: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)


class Account(Base):
    """A person who signs in (issue 25): a clerk, a chairman, an officer, with one role.

    `email` is kept lower-case and is unique: it is how single sign-on finds the account.
    `sso_issuer` and `sso_subject` are the provider and the council account (an ID token's `iss`
    and `sub`) that first signed in to it by single sign-on: afterwards only that council
    account does (`api.sso_accounts`); None until then, or since an admin had it bound again.
    `password` is an Argon2id hash, or None for an account that signs in only by the council's
    single sign-on. `failures` counts wrong passwords since the last right one; `locked_until`
    stops password sign-in after too many (`api.accounts`).
    """

    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16))  # admin | clerk | reader
    password: Mapped[str | None] = mapped_column(Text, nullable=True)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    sso_issuer: Mapped[str | None] = mapped_column(Text, nullable=True)
    sso_subject: Mapped[str | None] = mapped_column(Text, nullable=True)


class ApiToken(Base):
    """A script's bearer token, one of an account's (issue 25): it acts with the account's role.
    Only its SHA-256 digest is kept; a revoked token stays listed, with when."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    name: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    last_used: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    revoked: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)


class Grant(Base):
    """A programme given to a clerk: a clerk edits, solves and publishes only these (an admin
    every programme). Whoever creates a programme is given it."""

    __tablename__ = "grants"
    programme: Mapped[str] = mapped_column(ForeignKey("programmes.id"), primary_key=True)
    account: Mapped[int] = mapped_column(ForeignKey("accounts.id"), primary_key=True, index=True)


class SsoDomain(Base):
    """An e-mail domain whose people get an account on their first single sign-on, with
    `role`; an admin allows it. People of other domains need an account made for them."""

    __tablename__ = "sso_domains"
    domain: Mapped[str] = mapped_column(String(253), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))
    created: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class AuditEvent(Base):
    """Who did what, when (issue 25): programme and plan versions, publications, feed addresses,
    accounts. Rows are only added: the database itself refuses to change or delete one
    (triggers made by migration 0006). `who` is the person's name as it was then; `words` says
    what happened as the page shows it; `details` is JSON for the API."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    account: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), nullable=True)
    who: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(32))
    programme: Mapped[str | None] = mapped_column(Text, nullable=True, index=True)
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    plan: Mapped[int | None] = mapped_column(Integer, nullable=True)
    words: Mapped[str] = mapped_column(Text)
    details: Mapped[str] = mapped_column(Text, default="{}")


class SignInStart(Base):
    """A single sign-on begun and not yet finished (`api.oidc`): kept here, not in the browser.
    `state` is the SHA-256 digest of the state sent to the provider, `browser` that of the
    random value in the cookie of the browser that began it; `address` the client's address (a
    flood of starts from one address is refused); the nonce and PKCE verifier wait for the
    provider's answer. Each is used once, within ten minutes."""

    __tablename__ = "sign_in_starts"
    state: Mapped[str] = mapped_column(String(64), primary_key=True)
    browser: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(Text, index=True)
    nonce: Mapped[str] = mapped_column(String(128))
    verifier: Mapped[str] = mapped_column(String(128))
    next: Mapped[str] = mapped_column(Text)
    created: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
