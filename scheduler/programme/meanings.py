"""What each key of the programme file means, in a clerk's words: a short title and a sentence.

The one table of them: the JSON Schema (`programme.schema`) gives them to editors, and the
clerk's forms show them beside a field that gives no hint of its own (`api.web.fields`). Keys
are as the file writes them (a meeting's `date`, an item's `with`); docs/programme-file.md says
the same at length, with examples.
"""

from __future__ import annotations

from pydantic import BaseModel

from scheduler.programme.model import (
    After,
    Body,
    Deadlines,
    Decision,
    Event,
    History,
    Item,
    Meeting,
    Person,
    Programme,
)

#: Model -> key as the file writes it -> (title, what it says).
MEANINGS: dict[type[BaseModel], dict[str, tuple[str, str]]] = {
    Programme: {
        "id": (
            "Programme id",
            "The programme's own id (lower-case letters, digits and hyphens). "
            "It starts every calendar entry's identity: keep it once published.",
        ),
        "council": ("Council", "The council's name, as the work programme document heads it."),
        "title": ("Title", "The work programme's title, e.g. Scrutiny Work Programme 2026/27."),
        "year": (
            "Year",
            "The programme's first and last day, FROM..TO: usually from one Annual "
            "Council to the next. Every meeting falls inside it.",
        ),
        "timezone": ("Time zone", "The time zone of every time in the file (Europe/London)."),
        "nation": (
            "Nation",
            "Whose bank holidays are not working days, and the clear days' "
            "notice of a meeting (England 5, the others 3).",
        ),
        "closures": (
            "Closures",
            "Extra days the council does not work (between Christmas and "
            "New Year): no deadline falls on them.",
        ),
        "financial_year_start": (
            "Financial year starts",
            'The first day of the financial year, MM-DD (default "04-01"): quarters count from it.',
        ),
        "years_start": (
            "Municipal years start",
            "In a programme of several municipal years, the day each begins, MM-DD (01 to 28).",
        ),
        "moderngov": (
            "Modern.gov",
            "The council's Modern.gov address, e.g. https://democracy.council.gov.uk: "
            "its meetings are brought up to date from there.",
        ),
        "deadlines": (
            "Deadlines",
            "How far before a meeting its agenda is published, reports "
            "are due and public questions close. Write only what differs.",
        ),
        "people": ("People", "Everyone the programme names: members, officers, witnesses, clerks."),
        "bodies": (
            "Bodies",
            "The committees, sub-committees and other bodies, each with its meetings.",
        ),
        "items": ("Items", "What the bodies consider: each goes to a meeting of its body."),
        "events": (
            "Events",
            "Things outside the programme that items wait for: a decision, an "
            "inspection, a publication; or a body's own visit.",
        ),
    },
    Deadlines: {
        "agenda_clear_days": (
            "Clear days' notice",
            "Working days between the agenda's publication and the meeting (default by nation).",
        ),
        "reports_due_working_days": (
            "Reports due",
            "Reports are due this many working days before the meeting (default 10).",
        ),
        "questions_working_days": (
            "Public questions close",
            "Public questions close at 17:00 "
            "this many working days before the meeting (default 4).",
        ),
        "preparation_minutes": (
            "Preparation meeting",
            "Minutes before the start that the "
            "members' preparation meeting begins (default 30; 0: none).",
        ),
    },
    Person: {
        "id": ("Id", "A short name for the person, used everywhere else in the file."),
        "name": ("Name", "The name people read, e.g. Councillor Sara Ahmed."),
        "role": ("Role", "What they are, e.g. Director of Place."),
        "email": (
            "E-mail",
            "Their address, to tell them of changes and to reach the clerk from a calendar entry.",
        ),
        "unavailable": (
            "Unavailable",
            "Days they cannot come, each a day or FROM..TO: nothing of theirs is planned then.",
        ),
    },
    Body: {
        "id": ("Id", "A short name for the body; it appears in calendar addresses."),
        "name": ("Name", "The body's name, e.g. Services Select Committee."),
        "kind": (
            "Kind",
            "committee (the default), sub-committee (give its parent) or other "
            "(a forum, a board, a working group).",
        ),
        "parent": ("Parent body", "A sub-committee's parent body (its id)."),
        "chair": ("Chairman", "The chairman (a person's id)."),
        "vice_chair": ("Vice-Chairman", "The vice-chairman (a person's id)."),
        "clerk": ("Clerk", "The clerk (a person's id): the contact on each calendar entry."),
        "members": (
            "Members",
            "The members, co-opted members included (people's ids). They get "
            "the body's meetings in their calendars.",
        ),
        "venue": ("Venue", "Where its meetings are, unless a meeting says otherwise."),
        "start": (
            "Start",
            'When its meetings start, "HH:MM" in quotes. Leave it out when the '
            "council states no time.",
        ),
        "minutes": (
            "Agenda minutes",
            "The agenda time of a meeting. Leave it out when the council states none.",
        ),
        "limits": (
            "Limits",
            "The most items of a kind at one meeting, e.g. {substantive: 1, short: 2}.",
        ),
        "informal": (
            "Informal",
            "true for a briefing, panel or task and finish group: no "
            "statutory notice, never in anything public.",
        ),
        "moderngov": (
            "Modern.gov committee",
            "Its number in the council's Modern.gov: its meetings are brought up to date "
            "from there.",
        ),
        "meetings": ("Meetings", "Its meetings: each a day, or {date: ..., start: ..., ...}."),
    },
    Meeting: {
        "id": (
            "Id",
            "An id of your own: needed when the day is not fixed yet. Otherwise it is "
            "the body's id and the day.",
        ),
        "date": (
            "Date",
            "A day (2025-01-22), a month (2025-01), a range (2025-01..2025-03) or "
            "null when not known yet.",
        ),
        "start": ("Start", 'When this meeting starts, "HH:MM" in quotes.'),
        "venue": ("Venue", "Where this meeting is."),
        "status": (
            "Status",
            "scheduled (the default), tentative (pencilled in), postponed or "
            "cancelled (it stays in calendars, marked cancelled).",
        ),
        "moved_from": (
            "Moved from",
            "The day it was first set for: it keeps its id and its calendar entry.",
        ),
        "special": (
            "Special meeting",
            "A single-purpose meeting, with its purpose: it takes "
            "only items pinned to it and standing items marked special.",
        ),
        "minutes": (
            "Agenda minutes",
            "The agenda time of this meeting, when not its body's.",
        ),
        "moderngov": (
            "Modern.gov meeting",
            "Its number in the council's Modern.gov, where it came from.",
        ),
    },
    Event: {
        "id": ("Id", "A short name for the event, used by items' after and decision."),
        "title": ("Title", "What happens, e.g. Draft Local Plan published."),
        "date": ("Date", "A day, a month, a range (2024-10..2024-12) or null when not known yet."),
        "body": ("Body", "For a body's own event (a members' visit): the body's id."),
        "attendees": ("Also attending", "People going beside the body's members (ids)."),
    },
    Item: {
        "id": ("Id", "A short name for the item."),
        "title": (
            "Title",
            "As the work programme shows it; {period} and {fy} name the quarter "
            "and the financial year of a recurring item.",
        ),
        "body": ("Body", "The body that takes it (its id)."),
        "kind": (
            "Kind",
            "standing, substantive, short, information, report, witness-session or scrutiny.",
        ),
        "minutes": ("Agenda minutes", "Its agenda time, when not its kind's."),
        "priority": (
            "Priority",
            "must, high, normal or low: when not everything fits, higher priority wins.",
        ),
        "window": ("Only between", "Only meetings in this range, FROM..TO."),
        "prefer": ("Preferably between", "Meetings in this range if possible, FROM..TO."),
        "meeting": ("Meeting", "This meeting and no other: its id or its day."),
        "times": ("Times", "How many meetings it goes to (default 1)."),
        "every": ("Every", "Recurring: quarter, half-year or year."),
        "period": (
            "Year reported on",
            "For every: year, which year: financial, municipal or academic.",
        ),
        "release_days": ("Ready after", "Days after its quarter or year ends that it is ready."),
        "titles": (
            "Titles",
            'A title of its own for one quarter or half-year, e.g. {Q4: "Budget Outturn {fy}"}.',
        ),
        "witnesses": ("Witnesses", "People who give evidence (ids): each must be free."),
        "presenters": (
            "Presenters",
            "People who present it (ids): each must be free; they get the reports-due date.",
        ),
        "after": (
            "After",
            "Only after another item, an event, a meeting or a body's next meeting, by gap_days.",
        ),
        "decision": ("Pre-decision", "Pre-decision scrutiny: at least lead_days before the event."),
        "verbal": ("Verbal", "true: a verbal update, no written report, so no reports-due date."),
        "with": ("With", "At the same meeting as that item (its id)."),
        "follows": (
            "Follows",
            "Standing items only: only at meetings after a meeting of that body (its id).",
        ),
        "delegated_from": (
            "Delegated from",
            "The parent body whose item this sub-committee takes (its id).",
        ),
        "delegated_to": (
            "Delegated to",
            "A body outside the programme that takes it: listed, not placed.",
        ),
        "exempt": (
            "Exempt",
            "The Schedule 12A paragraph (1-7): a Part 2 item, its title hidden "
            "from everything public.",
        ),
        "rotation": (
            "Rotation",
            "Scrutiny items: each officer's id and sessions a year, e.g. {dce: 2, doe: 1}.",
        ),
        "per_meeting": ("Per meeting", "Scrutiny items: how many officers a meeting."),
        "special": (
            "Also at special meetings",
            "Standing items only: also on special meetings' agendas.",
        ),
        "invitees": ("Invited", "People invited to attend for it (ids)."),
        "organisations": ("Organisations invited", "Organisations invited, in words."),
        "suggested": (
            "Suggested only",
            "true: a topic only suggested (if required): listed, never placed.",
        ),
        "deferred": ("Deferred", "next-year: carried forward to next year's programme."),
        "history": ("History", "What happened to it before: each {date, change, note}."),
        "section": ("Agenda heading", "The council's own agenda heading it goes under."),
        "position": ("Position", "first or last on the agenda."),
    },
    After: {
        "item": ("Item", "After this item (its last meeting)."),
        "event": ("Event", "After this event."),
        "meeting": ("Meeting", "After this meeting (its id or day)."),
        "body": ("Body", "After this body's next meeting with a fixed day."),
        "gap_days": ("Days between", "The least number of days between them (default 0)."),
    },
    Decision: {
        "event": ("Event", "The decision-maker's meeting (an event's id)."),
        "lead_days": ("Days before", "At least this many days before it (default 0)."),
    },
    History: {
        "date": ("Date", "When it happened."),
        "change": ("Change", "added, deferred, moved, withdrawn, restored, renamed or noted."),
        "note": ("Note", "In words, e.g. Deferred from 5 March at the Chairman's request."),
    },
}
