"""plans.complete and jobs.complete: whether a plan found holds every must item

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

FOUND = ("optimal", "feasible")


def upgrade() -> None:
    for table in ("plans", "jobs"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("complete", sa.Boolean(), nullable=True))
    # Existing rows, from their stored plan: `"complete": false` is only ever the top-level key
    # (a quote inside a JSON string is escaped), and a plan not found stays null.
    plans = sa.table(
        "plans",
        sa.column("programme", sa.Text()),
        sa.column("number", sa.Integer()),
        sa.column("status", sa.String()),
        sa.column("body", sa.Text()),
        sa.column("complete", sa.Boolean()),
    )
    found = plans.c.status.in_(FOUND)
    op.execute(plans.update().where(found).values(complete=True))
    left_out = plans.c.body.contains('"complete": false')
    op.execute(plans.update().where(found, left_out).values(complete=False))
    jobs = sa.table(
        "jobs",
        sa.column("programme", sa.Text()),
        sa.column("plan", sa.Integer()),
        sa.column("complete", sa.Boolean()),
    )
    its_plan = (
        sa.select(plans.c.complete)
        .where(plans.c.programme == jobs.c.programme, plans.c.number == jobs.c.plan)
        .scalar_subquery()
    )
    op.execute(jobs.update().where(jobs.c.plan.is_not(None)).values(complete=its_plan))


def downgrade() -> None:
    for table in ("jobs", "plans"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("complete")
