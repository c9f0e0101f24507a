"""What the clerk's forms ask, key by key of the programme file (DESIGN §4.4, §4.6): for each
entry of the file (an item, a person, a body, an event, a meeting, the year's settings), its
fields in the order the form shows them, each with its label and hint in the clerk's words and
the kind of input that asks for it. One place: the forms, their reading and their test
(every key of the model has a field) go by these lists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel

from scheduler.programme.meanings import MEANINGS
from scheduler.programme.model import Body, Deadlines, Event, Item, Meeting, Person, Programme

#: How a field is asked for. `choice` is one of `options`; `many` several people (boxes to
#: tick); `range` two dates; `rough` a day, a month, a range or nothing; `lines` one value per
#: line; `counts` a number for each of `options`; `pairs` `KEY: text` per line; `after`,
#: `decision` and `history` the item's entries of those names; `flag` a box whose ticked
#: value is `options[0][0]`.
Kind = Literal[
    "id",
    "text",
    "number",
    "date",
    "range",
    "rough",
    "time",
    "choice",
    "many",
    "check",
    "flag",
    "lines",
    "counts",
    "pairs",
    "after",
    "decision",
    "history",
]
#: Options are fixed `(value, words)` pairs, or the name of what the programme has.
Source = Literal["bodies", "people", "items", "events", "meetings", "kinds"]


@dataclass(frozen=True)
class Field:
    key: str  # the file's key
    label: str
    kind: Kind
    hint: str = ""
    options: tuple[tuple[str, str], ...] | Source = ()
    required: bool = False
    group: str = ""  # the heading of the fieldset it starts


ID_HINT = (
    "A short name in small letters, digits and hyphens (no spaces), by which other entries "
    "refer to it; it cannot be changed once made."
)
RANGE_HINT = "Leave both empty for no limit; one end alone is open on the other side."
ROUGH_HINT = (
    "A day (2025-01-14), a month (2025-01), a range of days or months (2025-01..2025-03), "
    "or empty if not known yet."
)
KINDS = (
    ("standing", "Standing item (at every meeting)"),
    ("substantive", "Substantive report"),
    ("short", "Short item"),
    ("information", "Information item (not discussed)"),
    ("report", "Report"),
    ("witness-session", "Witness session"),
    ("scrutiny", "Director's scrutiny (in rotation)"),
)
PRIORITIES = (
    ("must", "Must be taken this year"),
    ("high", "High"),
    ("normal", "Normal"),
    ("low", "Low"),
)

ITEM: tuple[Field, ...] = (
    Field("id", "Short name", "id", ID_HINT, required=True, group="The item"),
    Field("title", "Title", "text", "As it appears on the agenda.", required=True),
    Field("body", "Committee", "choice", "Whose agenda it goes on.", "bodies", required=True),
    Field("kind", "Kind of item", "choice", "", KINDS, required=True),
    Field("minutes", "Minutes on the agenda", "number", "Leave empty for the usual time."),
    Field("priority", "How important", "choice", "", PRIORITIES),
    Field("section", "Agenda heading", "text", "Your council's own heading, if any."),
    Field(
        "position",
        "Place on the agenda",
        "choice",
        "",
        (("first", "First, before other business"), ("last", "Last, after every heading")),
    ),
    Field("window", "Only at a meeting between", "range", RANGE_HINT, group="When"),
    Field("prefer", "Preferably at a meeting between", "range", RANGE_HINT),
    Field(
        "meeting",
        "Pinned to the meeting",
        "choice",
        "Leave empty to let the plan choose.",
        "meetings",
    ),
    Field("times", "At how many meetings", "number", "Once, unless it comes back."),
    Field(
        "every",
        "Comes every",
        "choice",
        "For a report that comes back each quarter, half-year or year.",
        (("quarter", "Quarter"), ("half-year", "Half-year"), ("year", "Year")),
    ),
    Field(
        "period",
        "Its quarters and years are",
        "choice",
        "",
        (
            ("financial", "Financial (from April)"),
            ("municipal", "Municipal (from May)"),
            ("academic", "Academic (from September)"),
        ),
    ),
    Field("release_days", "Days after each period ends before it is ready", "number"),
    Field(
        "titles",
        "Title for each period",
        "pairs",
        "One per line, such as Q4: Budget Outturn {fy}.",
    ),
    Field("after", "Only after", "after", "An item, event, meeting or committee it must follow."),
    Field("decision", "Before a decision", "decision", "The event it must come before.", "events"),
    Field("special", "Needs a special meeting", "check"),
    Field("witnesses", "Witnesses", "many", "People who must attend.", "people", group="Who"),
    Field("presenters", "Presented by", "many", "", "people"),
    Field("invitees", "Also invited", "many", "They are told of the meeting.", "people"),
    Field("organisations", "Organisations invited", "lines", "One per line."),
    Field("rotation", "Directors scrutinised, times each", "counts", "", "people"),
    Field("per_meeting", "Directors per meeting", "number"),
    Field("verbal", "A verbal update (no written report)", "check", group="How"),
    Field(
        "exempt",
        "Exempt from the public (Part 2), paragraph",
        "choice",
        "Of Schedule 12A; leave empty for a public item.",
        tuple((str(n), f"Paragraph {n}") for n in range(1, 8)),
    ),
    Field("with", "On the same agenda as", "choice", "", "items"),
    Field(
        "follows",
        "Only after a meeting of",
        "choice",
        "For a standing item: only at meetings held after a meeting of this committee.",
        "bodies",
    ),
    Field("delegated_from", "Delegated from", "choice", "", "bodies"),
    Field("delegated_to", "Delegated to", "text"),
    Field("suggested", "Only a suggestion (taken if required)", "check", group="This year"),
    Field("deferred", "Deferred to next year", "flag", "", (("next-year", "Deferred"),)),
    Field(
        "history",
        "What happened to it before",
        "history",
        "One per line: date, what happened (added, deferred, moved, withdrawn, restored, "
        "renamed, noted), a note. Such as 2017-03-23, deferred, to await the Ofsted report.",
    ),
)

PERSON: tuple[Field, ...] = (
    Field("id", "Short name", "id", ID_HINT, required=True),
    Field("name", "Name", "text", "As it is printed: Councillor Jane Smith.", required=True),
    Field("role", "Role", "text", "Chairman, Director of Education, ..."),
    Field("email", "E-mail address", "text", "Changes are sent here."),
    Field(
        "unavailable",
        "Away",
        "lines",
        "One per line: a day (2017-10-03) or from..to (2017-10-01..2017-10-10).",
    ),
)

BODY: tuple[Field, ...] = (
    Field("id", "Short name", "id", ID_HINT, required=True),
    Field("name", "Name", "text", "Education Select Committee", required=True),
    Field(
        "kind",
        "Kind",
        "choice",
        "",
        (
            ("committee", "Committee"),
            ("sub-committee", "Sub-committee"),
            ("other", "Other (a briefing, a visit)"),
        ),
    ),
    Field("parent", "Sub-committee of", "choice", "", "bodies"),
    Field("chair", "Chairman", "choice", "", "people"),
    Field("vice_chair", "Vice-chairman", "choice", "", "people"),
    Field("clerk", "Clerk", "choice", "", "people"),
    Field("members", "Members", "many", "", "people"),
    Field("venue", "Usual venue", "text"),
    Field("start", "Usual start", "time", "Leave empty if not decided: shown as to be confirmed."),
    Field(
        "minutes",
        "Agenda minutes per meeting",
        "number",
        "Leave empty to check only the limits below.",
    ),
    Field("limits", "At most per meeting", "counts", "Items of each kind.", "kinds"),
    Field("informal", "Informal (not shown to the public)", "check"),
    Field(
        "moderngov", "Modern.gov committee number", "number", "Leave empty if not in Modern.gov."
    ),
)

EVENT: tuple[Field, ...] = (
    Field("id", "Short name", "id", ID_HINT, required=True),
    Field("title", "What", "text", "Ofsted report published", required=True),
    Field("date", "When", "rough", ROUGH_HINT),
    Field("body", "Committee", "choice", "The committee it concerns, if one.", "bodies"),
    Field("attendees", "Who attends", "many", "", "people"),
)

MEETING: tuple[Field, ...] = (
    Field(
        "date",
        "Date",
        "rough",
        ROUGH_HINT + " A meeting whose day is not fixed needs a short name.",
    ),
    Field("start", "Start", "time", "Leave empty for the committee's usual start."),
    Field("venue", "Venue", "text", "Leave empty for the committee's usual venue."),
    Field(
        "status",
        "Status",
        "choice",
        "To cancel it, use Cancel meeting under it in the grid: it says what that does first.",
        (
            ("scheduled", "Scheduled"),
            ("tentative", "Tentative"),
            ("postponed", "Postponed"),
        ),
    ),
    Field("special", "A special meeting, for", "text", "What it is called for."),
    Field("minutes", "Agenda minutes", "number", "Leave empty for the committee's usual time."),
)
#: A new meeting may have a short name of its own (one whose day is not fixed needs one).
NEW_MEETING: tuple[Field, ...] = (
    Field("id", "Short name", "id", "Needed only when the day is not fixed yet. " + ID_HINT),
    *MEETING,
)

SETTINGS: tuple[Field, ...] = (
    Field("council", "Council", "text", required=True),
    Field("title", "Title", "text", required=True),
    Field(
        "year",
        "The year, from and to",
        "range",
        "From one Annual Council to the next.",
        required=True,
    ),
    Field(
        "closures",
        "Days the offices are closed",
        "lines",
        "One date per line, beside the bank holidays (which are known).",
    ),
    Field(
        "nation",
        "Nation (for bank holidays)",
        "choice",
        "",
        (
            ("england", "England"),
            ("wales", "Wales"),
            ("scotland", "Scotland"),
            ("northern-ireland", "Northern Ireland"),
        ),
    ),
    Field("timezone", "Time zone", "text", "Europe/London unless you know otherwise."),
    Field("financial_year_start", "Financial year starts", "text", "Month-day: 04-01."),
    Field(
        "years_start",
        "Municipal years start",
        "text",
        "Month-day, for a programme over several years: 05-15.",
    ),
    Field("moderngov", "Modern.gov address", "text", "e.g. https://democracy.council.gov.uk"),
)
DEADLINES: tuple[Field, ...] = (
    Field("agenda_clear_days", "Agenda published, clear days before", "number", group="Deadlines"),
    Field("reports_due_working_days", "Reports due, working days before", "number"),
    Field("questions_working_days", "Public questions by, working days before", "number"),
    Field("preparation_minutes", "Preparation meeting, minutes before", "number"),
)

#: The forms of the file's lists, by the list's name.
FORMS: dict[str, tuple[Field, ...]] = {
    "items": ITEM,
    "people": PERSON,
    "bodies": BODY,
    "events": EVENT,
}
#: What one entry of each is called, and its list's heading.
NOUNS: dict[str, tuple[str, str]] = {
    "items": ("item", "Items"),
    "people": ("person", "People"),
    "bodies": ("committee", "Committees and sub-committees"),
    "events": ("event", "Events"),
}

#: The model whose keys each form asks for: where a field gives no hint of its own, the form
#: shows what the key means (`scheduler.programme.meanings`, the one table of those words).
MODELS: dict[tuple[Field, ...], type[BaseModel]] = {
    ITEM: Item,
    PERSON: Person,
    BODY: Body,
    EVENT: Event,
    MEETING: Meeting,
    NEW_MEETING: Meeting,
    SETTINGS: Programme,
    DEADLINES: Deadlines,
}


def hints(fields: tuple[Field, ...]) -> dict[str, str]:
    """Each field's hint: its own, else what its key means."""
    meant = MEANINGS.get(MODELS[fields], {}) if fields in MODELS else {}
    return {f.key: f.hint or meant.get(f.key, ("", ""))[1] for f in fields}
