"""sign-in starts: single sign-ons begun and not yet finished, kept server-side (state and
browser binding as digests, nonce, PKCE verifier, where to go next)

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
        sa.Column("nonce", sa.String(length=128), nullable=False),
        sa.Column("verifier", sa.String(length=128), nullable=False),
        sa.Column("next", sa.Text(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("state"),
    )
    op.create_index("ix_sign_in_starts_created", "sign_in_starts", ["created"])


def downgrade() -> None:
    op.drop_index("ix_sign_in_starts_created", "sign_in_starts")
    op.drop_table("sign_in_starts")
