"""What the API answers, as pydantic models: they are its OpenAPI spec."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict

from scheduler.check.warnings import ProgrammeWarning
from scheduler.plan.model import Change


class Message(BaseModel):
    detail: str


class ProblemOut(BaseModel):
    file: str
    line: int | None
    location: str
    message: str


class Problems(BaseModel):
    """422 (and 409 for a stale plan): every problem found, located as the CLI locates them."""

    detail: str
    problems: list[ProblemOut]


class ProgrammeOut(BaseModel):
    id: str
    title: str
    revision: int = Field(description="the version edits must name in If-Match")
    version: int = Field(description="the newest programme version")
    published: int | None = Field(description="the number of the plan published, if any")
    created: dt.datetime
    updated: dt.datetime


class ProgrammeSaved(ProgrammeOut):
    """A programme just uploaded or edited, with what it says that is probably a slip."""

    warnings: list[ProgrammeWarning] = Field(
        description="legal but probably a slip (DESIGN §4.6): a meeting on a weekend or bank "
        "holiday, overlapping meetings, a date changed without moved_from; never refuses"
    )


class VersionOut(BaseModel):
    number: int
    format: Literal["yaml", "json"]
    created: dt.datetime


class PlanOut(BaseModel):
    number: int
    programme_version: int
    kind: Literal["solve", "replan", "publish"]
    based_on: int | None
    status: str
    complete: bool | None = Field(
        description="false when the plan leaves out must items no plan can hold (it places "
        "everything else; each is in its `unplaced`); null when no plan was found"
    )
    objective: int | None
    bound: int | None
    published: dt.datetime | None
    current: bool = Field(description="this is the version the public and subscribers see")
    created: dt.datetime
    stopped: bool = Field(
        default=False, description="kept by a job stopped before its time: the best found by then"
    )


def _date_text(value: object) -> object:
    """A date is written YYYY-MM-DD: not a number of seconds since 1970."""
    if value is not None and not isinstance(value, str):
        raise ValueError("a date written as YYYY-MM-DD")
    return value


class _Request(BaseModel):
    """What a client sends: unknown keys are refused, and numbers must be numbers (not true)."""

    model_config = ConfigDict(extra="forbid")


class JobIn(_Request):
    kind: Literal["solve", "replan"] = "solve"
    time_limit: Annotated[float, Strict()] = Field(
        30.0,
        gt=0,
        le=600,
        description="seconds the whole solve may take, every stage together (building the "
        "model and checking the plan add a little)",
    )
    as_of: Annotated[dt.date | None, BeforeValidator(_date_text)] = Field(
        None, description="re-plan only: the date R10 freezes before (YYYY-MM-DD)"
    )


class JobOut(BaseModel):
    id: str
    programme: str
    kind: Literal["solve", "replan"]
    state: Literal["queued", "running", "done", "failed", "interrupted", "stopped"] = Field(
        description="`stopped`: asked to stop; `plan` is the best found by then, if any"
    )
    programme_version: int
    against: int | None
    as_of: dt.date | None
    time_limit: float = Field(description="seconds the whole solve may take (as asked for)")
    solutions: int
    elapsed_seconds: float = Field(
        description="seconds the job has run (while running, updated every second); when "
        "ended, its whole time, checking the plan included"
    )
    objective: float | None
    bound: float | None
    gap: float | None = Field(description="(objective - bound) / objective, when both known")
    progress: float = Field(
        ge=0,
        le=1,
        description="an estimate: the share of the time limit used, at most 0.99 until the job "
        "has ended; 1 once it has",
    )
    plan: int | None
    complete: bool | None = Field(
        description="when done with a plan found: that plan's `complete` (false: `done`, but "
        "must items no plan can hold are left out); null until then, or when none was found"
    )
    message: str
    attempt: int = Field(
        description="1; 2 once run again from the start because the process solving it was lost"
    )
    created: dt.datetime
    finished: dt.datetime | None


class TokenIn(_Request):
    subject: str = Field(min_length=1, max_length=200, description="a person's id, or 'clerk'")
    label: str = Field("", max_length=200, pattern=r"^[^\x00]*$")


class TokenOut(BaseModel):
    id: int
    subject: str
    label: str
    created: dt.datetime
    revoked: dt.datetime | None


class NewToken(TokenOut):
    token: str = Field(description="shown once; only its hash is kept")
    url: str = Field(description="the secret address to subscribe to")


class Diff(BaseModel):
    programme: str
    from_plan: int
    to_plan: int
    changes: list[Change]
