"""the job queue: on PostgreSQL, Procrastinate's tables, where `scrutiny worker` processes take
solve and re-plan jobs; on every database, each job's attempt (2 once run again after its worker
died)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

Procrastinate's schema is the one of the version pyproject.toml pins (3.10). A later version
of Procrastinate brings its own migrations (procrastinate/sql/migrations): moving to it takes a
migration of ours that applies them, in order.
"""

import sqlalchemy as sa
from alembic import op
from procrastinate.schema import SchemaManager

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("jobs", sa.Column("attempt", sa.Integer(), nullable=False, server_default="1"))
    if op.get_bind().dialect.name == "postgresql":
        _run_script(SchemaManager.get_schema())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _run_script(
            """
            DROP TABLE procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs,
                procrastinate_workers CASCADE;
            DO $$
            DECLARE f regprocedure;
            BEGIN
                FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
                         JOIN pg_namespace n ON n.oid = p.pronamespace
                         WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate%'
                LOOP
                    EXECUTE 'DROP FUNCTION ' || f || ' CASCADE';
                END LOOP;
            END $$;
            DROP TYPE procrastinate_job_to_defer_v1, procrastinate_job_event_type,
                procrastinate_job_status CASCADE;
            """
        )
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("attempt")


def _run_script(sql: str) -> None:
    """Statements one after another, as written (psycopg runs several at once, with no
    parameters to bind), in the migration's transaction."""
    cursor = op.get_bind().connection.cursor()
    try:
        cursor.execute(sql)
    finally:
        cursor.close()
