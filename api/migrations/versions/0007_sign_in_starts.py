"""sign-in starts: single sign-ons begun and not yet finished, kept server-side (state and
browser binding as digests, nonce, PKCE verifier, where to go next, the client's address); and
each account's binding to the council account that first signed in to it (issuer and subject)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_starts",
        sa.Column("state", sa.String(length=64), nullable=False),
        sa.Column("browser", sa.String(length=64), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("nonce", sa.String(length=128), nullable=False),
        sa.Column("verifier", sa.String(length=128), nullable=False),
        sa.Column("next", sa.Text(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("state"),
    )
    op.create_index("ix_sign_in_starts_created", "sign_in_starts", ["created"])
    op.create_index("ix_sign_in_starts_browser", "sign_in_starts", ["browser"])
    op.create_index("ix_sign_in_starts_address", "sign_in_starts", ["address"])
    # Accounts made before single sign-on are bound at their first sign-in by it.
    op.add_column("accounts", sa.Column("sso_issuer", sa.Text(), nullable=True))
    op.add_column("accounts", sa.Column("sso_subject", sa.Text(), nullable=True))


def downgrade() -> None:
    # Not in a batch: SQLite would copy `accounts`, which other tables' foreign keys name
    # (SQLite 3.35 or later drops a column in place).
    op.drop_column("accounts", "sso_subject")
    op.drop_column("accounts", "sso_issuer")
    op.drop_index("ix_sign_in_starts_address", "sign_in_starts")
    op.drop_index("ix_sign_in_starts_browser", "sign_in_starts")
    op.drop_index("ix_sign_in_starts_created", "sign_in_starts")
    op.drop_table("sign_in_starts")
