"""roles at work: API tokens per account, programmes given to clerks, domains allowed single
sign-on, the append-only audit trail, who asked for each job; and the shared clerk token turned
into an admin account's API token

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

#: The account an existing deployment's shared clerk token now belongs to (`.invalid` is never
#: a real domain: the admin gives the account a real address, or makes their own and disables
#: this one).
FORMER_CLERK_EMAIL = "clerk@former-shared-token.invalid"
FORMER_CLERK_NAME = "The clerk (shared token)"
FORMER_TOKEN_NAME = "the shared clerk token"
_MOMENT = sa.DateTime(timezone=True)
_APPEND_ONLY = "the audit trail is append-only"


def upgrade() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account", sa.Integer(), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("created", _MOMENT, nullable=False),
        sa.Column("last_used", _MOMENT, nullable=True),
        sa.Column("revoked", _MOMENT, nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("digest"),
    )
    op.create_index("ix_api_tokens_account", "api_tokens", ["account"])
    op.create_table(
        "grants",
        sa.Column("programme", sa.Text(), sa.ForeignKey("programmes.id"), nullable=False),
        sa.Column("account", sa.Integer(), sa.ForeignKey("accounts.id"), nullable=False),
        sa.PrimaryKeyConstraint("programme", "account"),
    )
    op.create_index("ix_grants_account", "grants", ["account"])
    op.create_table(
        "sso_domains",
        sa.Column("domain", sa.String(length=253), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("created", _MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("domain"),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", _MOMENT, nullable=False),
        sa.Column("account", sa.Integer(), sa.ForeignKey("accounts.id"), nullable=True),
        sa.Column("who", sa.Text(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("programme", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("plan", sa.Integer(), nullable=True),
        sa.Column("words", sa.Text(), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_events_at", "audit_events", ["at"])
    op.create_index("ix_audit_events_programme", "audit_events", ["programme"])
    _append_only()
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("account", sa.Integer(), nullable=True))
    _former_clerk()


def _append_only() -> None:
    """The database refuses to change or delete an audit event, whatever the code asks: an
    UPDATE, a DELETE, and on PostgreSQL a TRUNCATE; on SQLite also an INSERT that would
    replace an event (INSERT OR REPLACE deletes without firing the DELETE trigger)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS"
            f" $$ BEGIN RAISE EXCEPTION '{_APPEND_ONLY}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events"
            " FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()"
        )
        op.execute(
            "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events"
            " FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()"
        )
        return
    for change in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_events_no_{change.lower()} BEFORE {change} ON audit_events"
            f" BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END"
        )
    op.execute(
        "CREATE TRIGGER audit_events_no_replace BEFORE INSERT ON audit_events"
        " WHEN EXISTS (SELECT 1 FROM audit_events WHERE id = NEW.id)"
        f" BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END"
    )


def _former_clerk() -> None:
    """An existing deployment's shared clerk token (its stored hash) becomes an API token of an
    admin account (made, or found again after a downgrade), so that scripts and signed-in pages
    go on working; the setting goes. (A token set in SCRUTINY_CLERK_TOKEN overrode the stored
    one: the service's start then revokes this one, `api.admin.adopt_shared_token`.)"""
    bind = op.get_bind()
    stored = bind.execute(
        sa.text("SELECT value FROM settings WHERE key = 'clerk_token_sha256'")
    ).scalar()
    if not stored:
        return
    now = dt.datetime.now(dt.UTC)
    account = sa.table(
        "accounts",
        sa.column("id", sa.Integer()),
        sa.column("email", sa.String()),
        sa.column("name", sa.Text()),
        sa.column("role", sa.String()),
        sa.column("password", sa.Text()),
        sa.column("disabled", sa.Boolean()),
        sa.column("failures", sa.Integer()),
        sa.column("created", _MOMENT),
    )
    found = sa.select(account.c.id).where(account.c.email == FORMER_CLERK_EMAIL)
    if bind.execute(found).scalar() is None:
        bind.execute(
            account.insert().values(
                email=FORMER_CLERK_EMAIL,
                name=FORMER_CLERK_NAME,
                role="admin",
                password=None,
                disabled=False,
                failures=0,
                created=now,
            )
        )
    number = bind.execute(found).scalar_one()
    bind.execute(
        sa.text(
            "INSERT INTO api_tokens (account, name, digest, created)"
            " VALUES (:account, :name, :digest, :created)"
        ),
        {"account": number, "name": FORMER_TOKEN_NAME, "digest": stored, "created": now},
    )
    token = bind.execute(
        sa.text("SELECT id FROM api_tokens WHERE digest = :digest"), {"digest": stored}
    ).scalar_one()
    bind.execute(
        sa.text("UPDATE sessions SET clerk = :holder WHERE clerk = :digest"),
        {"holder": f"account:{number}:token:{token}", "digest": stored},
    )
    bind.execute(
        sa.text(
            "INSERT INTO audit_events (at, account, who, action, words, details)"
            " VALUES (:at, :account, :who, 'account.created', :words, '{}')"
        ),
        {
            "at": now,
            "account": number,
            "who": FORMER_CLERK_NAME,
            "words": "The shared clerk token became this admin account's API token.",
        },
    )
    bind.execute(sa.text("DELETE FROM settings WHERE key = 'clerk_token_sha256'"))


def downgrade() -> None:
    """Back to the shared token: the former clerk's newest live token becomes it again (the
    account stays, for an upgrade to find)."""
    bind = op.get_bind()
    stored = bind.execute(
        sa.text(
            "SELECT t.digest FROM api_tokens t JOIN accounts a ON a.id = t.account"
            " WHERE a.email = :email AND t.revoked IS NULL ORDER BY t.id DESC"
        ),
        {"email": FORMER_CLERK_EMAIL},
    ).first()
    if stored is not None:
        bind.execute(
            sa.text("INSERT INTO settings (key, value) VALUES ('clerk_token_sha256', :d)"),
            {"d": stored[0]},
        )
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("account")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_events_append_only ON audit_events")
        op.execute("DROP TRIGGER audit_events_no_truncate ON audit_events")
        op.execute("DROP FUNCTION audit_events_append_only()")
    op.drop_table("audit_events")
    op.drop_table("sso_domains")
    op.drop_table("grants")
    op.drop_table("api_tokens")
