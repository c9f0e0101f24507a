"""The plan: the solver's answer, and its JSON form (DESIGN §8, format `scrutiny-plan/1`).

A plan is plain data: for each meeting its agenda, what could not be placed and why, and on a
re-plan the changes. Hand-made plans (a clerk's own placement) use the same form.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    NonNegativeInt,
    PlainSerializer,
    ValidationError,
)

from scheduler.errors import PlanFileError, Problem, shown
from scheduler.programme.load import shape_problems
from scheduler.programme.model import Item, Programme
from scheduler.programme.source import MAX_PLAN_BYTES, Source, read_source

FORMAT: Literal["scrutiny-plan/1"] = "scrutiny-plan/1"

#: Agenda order within a meeting (DESIGN §8); a witness session follows the item it goes with,
#: and exempt (Part 2) items come last.
AGENDA_ORDER = (
    "standing",
    "scrutiny",
    "short",
    "substantive",
    "witness-session",
    "report",
    "information",
)


def relative_gap(objective: float, bound: float) -> float:
    """How far the objective may be above the best possible, as a share of it."""
    return 0.0 if objective == bound else (objective - bound) / max(abs(objective), 1)


class SolveStatus(StrEnum):
    """What the solver proved about the answer."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"

    @property
    def found(self) -> bool:
        """A plan was found (optimal or feasible): it has agendas to check, show or publish."""
        return self in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


#: The plan's text forms, exactly: nothing else `fromisoformat` would also read ("21,30", "1900Z",
#: "2017-W26-3") is taken for a date or a time.
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _iso_date(value: object) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        if isinstance(value, str) and _DAY.match(value):
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise ValueError(f"{shown(value)} is not a date written as YYYY-MM-DD")


def _clock(value: object) -> dt.time:
    if isinstance(value, dt.time) and value.tzinfo is None:
        return value
    if isinstance(value, str) and _CLOCK.match(value):
        return dt.time.fromisoformat(value)
    raise ValueError(f"{shown(value)} is not a time written as HH:MM")


def _local_moment(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value
    day, sep, time = value.partition("T") if isinstance(value, str) else ("", "", "")
    if not sep:
        raise ValueError(f"{shown(value)} is not a local date and time written as YYYY-MM-DDTHH:MM")
    return dt.datetime.combine(_iso_date(day), _clock(time))


#: The plan's dates and times are Python's in the model and ISO text only in the JSON (§8):
#: a day YYYY-MM-DD, a clock time HH:MM, a local moment YYYY-MM-DDTHH:MM.
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
Clock = Annotated[
    dt.time,
    BeforeValidator(_clock),
    PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str, when_used="json"),
]
LocalMoment = Annotated[
    dt.datetime,
    BeforeValidator(_local_moment),
    PlainSerializer(lambda m: m.strftime("%Y-%m-%dT%H:%M"), return_type=str, when_used="json"),
]


class AgendaEntry(_Strict):
    """One item (or one occurrence of a recurring item, or one rotation officer) at a meeting.

    `occurrence` is null for an ordinary item, the period (`2017/18 Q1`, `2017/18 H2`) for a
    recurring item, and the person's id for a rotation (scrutiny) item.
    """

    item: str
    title: str
    kind: str
    minutes: int
    occurrence: str | None = None
    people: list[str] = []
    exempt: bool = False
    pinned: bool = False
    provisional: bool = False


class MeetingDeadlines(_Strict):
    """A meeting's deadlines as published (dates ISO, times local)."""

    agenda_publication: IsoDate | None = None
    reports_due: IsoDate | None = None
    public_questions: LocalMoment | None = None


class PlannedMeeting(_Strict):
    """One meeting with its agenda.

    `sequence` counts the published revisions of the meeting (its calendar SEQUENCE, DESIGN §7):
    raised whenever its date, time, venue, status or agenda changes against the plan before.
    `revised` is when that last change was published; null when it is this plan's own change
    (the plan's `published` time then stands for it). Both are omitted from the JSON while unset.
    """

    id: str
    body: str
    date: IsoDate | None
    when: str | None = None
    start: Clock | None
    end: Clock | None
    venue: str | None = None
    status: Literal["scheduled", "tentative", "postponed", "cancelled"] = "scheduled"
    minutes_used: int = 0
    minutes_available: int | None = 0
    deadlines: MeetingDeadlines | None = None
    agenda: list[AgendaEntry] = []
    sequence: NonNegativeInt = 0
    revised: AwareDatetime | None = None


class Listed(_Strict):
    """An item the plan lists but does not place: carried forward to next year, or suggested
    ("if required", "to be agreed"). Never an unplaced item: nothing went wrong."""

    item: str
    title: str
    text: str


class Reason(_Strict):
    """Why, twice: `text` for people (the reason first, meetings by body and date, people by
    name, what the clerk can do about it: DESIGN §5 "Words"), and for a program or a clerk's
    "details" the `rule` it comes from and `details`, the same with ids and numbers.

    A plan written before reasons had fields gives plain text: it is read as `text` alone.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str
    rule: str | None = None
    details: str | None = None


def _reason(value: object) -> object:
    return {"text": value} if isinstance(value, str) else value


Reasons = list[Annotated[Reason, BeforeValidator(_reason)]]


class Unplaced(_Strict):
    """An item (or occurrence) the plan does not place, with its reasons.

    `missing` is set for a rotation officer some of whose sessions are placed: how many are not
    (R7: every officer keeps one session before anyone keeps a second). `conflict` names, for a
    `must` item the plan could not hold, the smallest set of rule instances (`RULE:subject`) and
    items that keeps it out: removing any one of them makes room for it.
    """

    item: str
    title: str
    occurrence: str | None = None
    missing: int | None = None
    reasons: Reasons = []
    conflict: list[str] = []


ItemChange = Literal["moved", "placed", "unplaced"]
MeetingChange = Literal["date", "time", "venue", "status", "added", "removed"]


class Change(_Strict):
    """One change against the previous plan (re-planning, DESIGN §5).

    An item change names the item (and occurrence): `moved` from one meeting to another,
    `placed` (newly, `to`) or `unplaced` (`from`). A meeting change names the meeting: its `date`,
    `time`, `venue` or `status` changed (`from` and `to` are the old and new values), or it was
    `added` or `removed`. `tell` lists the people who must be told; `reasons` says why, in words.
    `text` is the change in one sentence for people (meetings by body and date, items by title:
    DESIGN §5 "Words"); empty in a plan written before changes had it.
    """

    item: str | None = None
    occurrence: str | None = None
    meeting: str | None = None
    change: ItemChange | MeetingChange = "moved"
    from_: str | None = Field(default=None, alias="from")
    to: str | None = None
    tell: list[str] = []
    reasons: Reasons = []
    text: str = ""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Disruption(_Strict):
    """How much a re-plan moved (S3), and whether that is proven the least the rules allow.

    `moved` counts item occurrences that left a meeting of the previous plan (moved or
    unplaced); `weight` weighs each by its diaries (DESIGN S3); `bound` is the solver's proven
    lower bound on that weight, equal to it when `proven`.
    """

    moved: int
    weight: int
    bound: int
    proven: bool
    #: Placements kept as published without a search: the edit left their part of the programme
    #: as it was, where nothing can do better than keep them (`solver.held`).
    held: int = 0


class Level(_Strict):
    """One stage of the solve's goals, in their order (DESIGN §4.5): its goals (`S1`, or `S2`,
    `S4` and `S5` together), the value its plan reached, the best the search proved possible,
    and whether that is proven (the value is then the bound). How far each stage is from the
    best is said apart: S1's weight would hide the later goals' gap in one weighted number."""

    goals: list[str]
    value: int
    bound: int
    proven: bool

    @property
    def gap(self) -> float:
        return relative_gap(self.value, self.bound)


#: The last line of the explanation of a plan whose solve somebody stopped (a clerk's Stop, the
#: server stopping): the best found by then.
STOPPED_EARLY = (
    "Stopped before its time: this is the best plan found by then, checked like any other;"
    " solving again with the time it was given may find a better one."
)
#: The last line of the explanation of a plan whose search the clock stopped before its
#: deterministic limits (`scheduler.solver.solve`): the same programme may give another plan.
TIME_RAN_OUT = (
    "The time ran out before the search had done its work (the time allowed was short, or the "
    "computer was busy): solving the same programme again may give a different plan."
)


class Plan(_Strict):
    """The whole answer, as written to JSON.

    `published` is when this plan was published (set by `scrutiny publish` or the service, never
    by the solver, so that the same input gives the same plan); feeds take their DTSTAMP from it.
    `conflict` names, when no plan exists at all, the rule instances (`RULE:subject`) that
    cannot all hold; `explanation` says the same in words.
    `complete` is false when `must` items that no plan can hold are left out (DESIGN R1): the
    plan places everything else, and each of them is in `unplaced` with its conflict.
    `withdrawn` keeps, for every meeting once published and since cancelled or removed, the last
    version published: who had it in their calendar must see it cancelled (DESIGN §7).
    `levels` says how far each stage of the solve is from the best possible; `reproducible` is
    false when the wall clock stopped a search before its deterministic limit (a busy machine,
    or little time): the same input may then give another plan.
    """

    format: Literal["scrutiny-plan/1"] = FORMAT
    programme: str
    status: SolveStatus
    complete: bool = True
    published: AwareDatetime | None = None
    solve_seconds: float = 0.0
    objective: int | None = None
    bound: int | None = None
    meetings: list[PlannedMeeting] = []
    unplaced: list[Unplaced] = []
    carried_forward: list[Listed] = []
    suggested: list[Listed] = []
    changes: list[Change] | None = None
    disruption: Disruption | None = None
    explanation: list[str] = []
    conflict: list[str] = []
    withdrawn: list[PlannedMeeting] = []
    levels: list[Level] = []
    #: What the solve proved of its placing, by a digest of each part of the programme that
    #: leaves something out (`solver.proofs`): a re-plan holds an unchanged part unsearched.
    proven_parts: dict[str, list[int]] = {}
    reproducible: bool = True

    def to_json(self) -> str:
        """Stable JSON text: same plan, same bytes (keys in model order, 2-space indent)."""
        data = self.model_dump(mode="json", by_alias=True, exclude_none=False)
        for optional in ("published", "changes", "disruption"):  # present when set only
            if data[optional] is None:
                del data[optional]
        if data.get("disruption") and not data["disruption"]["held"]:
            del data["disruption"]["held"]
        for listed in ("carried_forward", "suggested", "conflict", "withdrawn", "levels"):
            if not data[listed]:  # when not empty
                del data[listed]
        if data["reproducible"]:  # said only when the clock stopped a search: false
            del data["reproducible"]
        if not data["proven_parts"]:
            del data["proven_parts"]
        for meeting in [*data["meetings"], *data.get("withdrawn", [])]:
            if not meeting["sequence"]:
                del meeting["sequence"]
            if meeting["revised"] is None:
                del meeting["revised"]
            if meeting["when"] is None:
                del meeting["when"]
            for entry in meeting["agenda"]:
                if not entry["provisional"]:
                    del entry["provisional"]
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    def placements(self) -> list[tuple[str, str | None, str]]:
        """Every (item, occurrence, meeting id) placed, in meeting then agenda order."""
        return [(e.item, e.occurrence, m.id) for m in self.meetings for e in m.agenda]


def require_programme(plan: Plan, programme_id: str, source: str) -> None:
    """Refuse a plan of another programme.

    Raises:
        PlanFileError: naming `source`, when the plan is not of programme `programme_id`.
    """
    if plan.programme != programme_id:
        message = f"the plan is for '{plan.programme}', not '{programme_id}'"
        raise PlanFileError([Problem(source, (0,), "programme", message)])


def load_plan(path: str | Path) -> Plan:
    """Read a plan JSON file.

    Raises:
        PlanFileError: when the file is missing, not JSON, or not of the plan's form.
    """
    source = read_source(path, limit=MAX_PLAN_BYTES)
    if isinstance(source, Problem):
        raise PlanFileError([source])
    return plan_from_source(source)


def plan_from_source(source: Source) -> Plan:
    """Validate already-read plan data, every problem located."""
    try:
        return Plan.model_validate(source.data)
    except ValidationError as err:
        raise PlanFileError(shape_problems(source, err)) from None


def unit_key(item: str, occurrence: str | None) -> str:
    """A unit's key from its item id and occurrence, as a plan's agenda entry names them."""
    return item if occurrence is None else f"{item}@{occurrence}"


def unit_item(key: str) -> str:
    """The item id of a unit key (item ids are slugs: they hold no `@`)."""
    return key.partition("@")[0]


def anchor_of(p: Programme, a: AgendaEntry) -> Item | None:
    """The item a witness session goes `with` (it sits beside it on the agenda)."""
    item = p.items_by_id.get(a.item)
    if a.kind != "witness-session" or item is None:
        return None
    return p.items_by_id.get(item.with_ or "")
