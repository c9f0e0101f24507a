"""stopped jobs: a job asked to stop (when, and by whom), and the plan version a stopped job
kept (the best found by then, marked stopped)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("stop_asked", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("stopped_by", sa.Integer(), nullable=True))
    op.add_column(
        "plans", sa.Column("stopped", sa.Boolean(), nullable=False, server_default=sa.false())
    )


def downgrade() -> None:
    op.drop_column("plans", "stopped")
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("stopped_by")
        batch.drop_column("stop_asked")
