"""A job's progress as the clerk reads it: how much of its time is used, about how much is left,
and how good the best plan found so far is, in words (issue 22).

The estimate is honest because the time limit is the whole solve's, every stage together
(`scheduler.solver.clock`): the share used is the seconds run over the seconds asked for. It
never reads 100 % before the job has ended (building the model and checking the plan come on
top of the time limit, and a solve that proves its plan the best possible ends early).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import Engine

from api.storage import reading
from api.tables import Job, ProgrammeRow
from scheduler.plan.model import relative_gap
from scheduler.programme.words import best_words

#: The most a job that has not ended reads: it is not done until it is.
RUNNING_MOST = 0.99
#: What the page's heading says a job is doing, by its state.
DOING = {
    "queued": "waiting to start",
    "running": "under way",
    "done": "done",
    "failed": "failed",
    "interrupted": "interrupted when the server stopped",
    "stopped": "stopped",
}


def share_done(job: Job) -> float:
    """The share of the job done, estimated: 0 while queued, the seconds run over the time
    limit while running (at most `RUNNING_MOST`), 1 once ended."""
    if job.state == "queued":
        return 0.0
    if job.state != "running":
        return 1.0
    return min(RUNNING_MOST, round(job.elapsed / job.time_limit, 3))


def time_words(job: Job) -> str:
    """The job's time for the clerk: "12 of 30 seconds, about 18 seconds left"."""
    used = f"{job.elapsed:.0f} of {job.time_limit:g} seconds"
    if job.state == "queued":
        return f"{job.time_limit:g} seconds, once another solve has finished"
    if job.state != "running":
        return f"{job.elapsed:.0f} seconds"
    left = math.ceil(job.time_limit - job.elapsed)
    if left < 1:
        return f"{used}, finishing: checking the plan"
    return f"{used}, about {left} second{'s' if left != 1 else ''} left"


def quality_words(job: Job) -> str:
    """How good the best plan found so far is: "within 3 % of the best possible"."""
    if job.objective is None or job.bound is None:
        if job.state == "running" and job.solutions:  # the placing comes first
            return "a plan found; how good it is shows once the items are placed"
        return "no plan found yet" if job.state in ("queued", "running") else "no plan found"
    gap = relative_gap(job.objective, job.bound)
    if gap > 0:
        return best_words(gap)
    if job.state == "running":
        return "checking whether it is the best possible"
    return "proven the best possible" if job.state == "done" else "not proven the best possible"


@dataclass(frozen=True)
class JobPage:
    """What the job's page says, worked out once."""

    heading: str
    percent: int
    time: str
    quality: str


def job_page(engine: Engine, job: Job) -> JobPage:
    """The job's page: "Solve of Bromley ECF 2017/18 under way", its share done, its time and
    how good its best plan is."""
    with reading(engine) as session:
        programme = session.get(ProgrammeRow, job.programme)
    title = programme.title if programme is not None else job.programme
    kind = "Re-plan" if job.kind == "replan" else "Solve"
    heading = f"{kind} of {title} {DOING.get(job.state, job.state)}"
    return JobPage(heading, int(100 * share_done(job)), time_words(job), quality_words(job))
