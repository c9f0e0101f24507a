"""For the operator: `/health` (is the service up, does it reach its database) and `/metrics`
(Prometheus's text format: jobs by state, plans made, seconds spent solving, and on PostgreSQL
the worker processes alive)."""

from __future__ import annotations

from fastapi import APIRouter, Response
from sqlalchemy import func, select

from api.job_queue import live_workers, postgres
from api.job_run import ACTIVE
from api.routes.common import answers
from api.state import Admin, Public
from api.storage import reading
from api.tables import Job, PlanRow

router = APIRouter(tags=["operations"])
#: Prometheus's text exposition format.
PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8"
JSON = "application/json"
#: Every state a job can be in, so that each is said, 0 included (a series does not vanish).
STATES = (*ACTIVE, "done", "failed", "interrupted", "stopped")


@router.get("/health", responses={503: {"description": "the database cannot be reached"}})
def health(s: Public) -> Response:
    """200 while the service answers and reaches its database; 503 when it does not, or does
    not answer within seconds (`api.db_probe`). Says nothing else (anyone may ask)."""
    answered = s.probe.answers(s.engine)
    if answered is None:
        return Response('{"status":"database not answering"}', 503, media_type=JSON)
    if not answered:
        return Response('{"status":"database unreachable"}', 503, media_type=JSON)
    return Response('{"status":"ok"}', media_type=JSON)


@router.get(
    "/metrics",
    responses={200: {"content": {"text/plain": {}}}, **answers(401, 403)},
)
def metrics(s: Admin) -> Response:
    """Jobs by state, plans made and the seconds jobs have spent, for Prometheus (scraped with
    an admin's API token): counted from the database, so every worker process answers alike."""
    with reading(s.engine) as session:
        counted = session.execute(select(Job.state, func.count()).group_by(Job.state))
        states = {state: number for state, number in counted}
        spent = session.scalar(
            select(func.coalesce(func.sum(Job.elapsed), 0.0)).where(Job.state.not_in(ACTIVE))
        )
        plans = session.scalar(select(func.count()).select_from(PlanRow))
        workers = live_workers(session) if postgres(s.settings.database_url) else None
    lines = [
        "# HELP scrutiny_jobs Solve and re-plan jobs, by state.",
        "# TYPE scrutiny_jobs gauge",
        *(f'scrutiny_jobs{{state="{state}"}} {states.get(state, 0)}' for state in STATES),
        "# HELP scrutiny_solve_seconds_total Seconds the jobs that ended spent, checking included.",
        "# TYPE scrutiny_solve_seconds_total counter",
        f"scrutiny_solve_seconds_total {float(spent or 0):.3f}",
        "# HELP scrutiny_plans_total Plan versions kept, publications included.",
        "# TYPE scrutiny_plans_total counter",
        f"scrutiny_plans_total {plans or 0}",
    ]
    if workers is not None:  # the queue's (on SQLite the web processes run the jobs)
        lines += [
            "# HELP scrutiny_workers Worker processes that beat within the last 30 seconds.",
            "# TYPE scrutiny_workers gauge",
            f"scrutiny_workers {workers}",
        ]
    return Response("\n".join(lines) + "\n", media_type=PROMETHEUS)
