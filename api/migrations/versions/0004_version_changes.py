"""programme_versions.changes: what each version changed, in words, kept when it is stored

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Versions stored before have none: the page works them out from the versions themselves.
    with op.batch_alter_table("programme_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("changes", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("programme_versions", schema=None) as batch_op:
        batch_op.drop_column("changes")
