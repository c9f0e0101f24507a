"""What changed between two versions of a programme, in words: the edits a plan does not yet
reflect ("re-plan pending"), listed for the clerk and marked in the grid (DESIGN §10).

Each difference names what it concerns: a meeting by its body and day, an item by its title, a
person by name; and carries the ids the page marks (`meeting`, `item`) apart from its words.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from scheduler.programme.model import Body, Meeting, Programme
from scheduler.programme.words import day_words, rough_words


@dataclass(frozen=True)
class Difference:
    """One change. `kind`: moved, cancelled, restored, added, removed, changed, pinned,
    unpinned; `meeting` or `item`: the id it marks in the grid (the meeting an item is pinned
    to is `meeting` too); `day`: a moved meeting's new day (YYYY-MM-DD), for the move form."""

    kind: str
    text: str
    meeting: str | None = None
    item: str | None = None
    day: str | None = None
    mark: str = ""  # what the grid says beside the meeting or item: "moved to ..."


def differences(old: Programme, new: Programme) -> list[Difference]:
    """Everything `new` changes from `old`: meetings, items, people, bodies, events, settings."""
    return [
        *_meetings(old, new),
        *_items(old, new),
        *_named(old, new),
        *_settings(old, new),
    ]


def _where(body: Body, meeting: Meeting) -> str:
    return f"{body.name}, {day_words(meeting)}"


def _meetings(old: Programme, new: Programme) -> list[Difference]:
    out: list[Difference] = []
    before, after = old.meetings_by_id, new.meetings_by_id
    for mid, (body, m) in after.items():
        was = before.get(mid)
        if was is None:
            out.append(Difference("added", f"Meeting added: {_where(body, m)}", mid, mark="added"))
            continue
        _, w = was
        if w.when != m.when:
            day = m.day.isoformat() if m.day else None
            text = f"Meeting moved: {_where(body, w)}, now {rough_words(m.when)}"
            mark = f"moved to {rough_words(m.when)}"
            out.append(Difference("moved", text, mid, day=day, mark=mark))
        if w.status != m.status:
            kind = {"cancelled": "cancelled", "scheduled": "restored"}.get(m.status, "changed")
            words = {"cancelled": "cancelled", "scheduled": "restored"}.get(
                m.status, f"now {m.status}"
            )
            out.append(Difference(kind, f"Meeting {words}: {_where(body, m)}", mid, mark=words))
        if (w.start, w.venue, w.special) != (m.start, m.venue, m.special):
            said = [
                f"starts at {m.start:%H:%M}" if m.start != w.start and m.start else "",
                f"at {m.venue}" if m.venue != w.venue and m.venue else "",
                f"special, for {m.special}" if m.special != w.special and m.special else "",
            ]
            text = f"Meeting changed: {_where(body, m)}" + (
                ": " + ", ".join(s for s in said if s) if any(said) else ""
            )
            out.append(Difference("changed", text, mid, mark="venue, start or purpose changed"))
    for mid, (body, w) in before.items():
        if mid not in after:
            text = f"Meeting taken out: {_where(body, w)}"
            out.append(Difference("removed", text, mid, mark="taken out"))
    return out


def _items(old: Programme, new: Programme) -> list[Difference]:
    out: list[Difference] = []
    before, after = old.items_by_id, new.items_by_id
    meetings = new.meetings_by_id
    for iid, item in after.items():
        was = before.get(iid)
        if was is None:
            out.append(Difference("added", f"Item added: {item.title}", item=iid))
            continue
        if was.meeting != item.meeting and item.meeting:
            held = meetings.get(item.meeting)
            there = _where(*held) if held else item.meeting
            text = f"Item pinned: {item.title}, to {there}"
            mark = f"pinned to {day_words(held[1])}" if held else "pinned"
            out.append(Difference("pinned", text, held[1].key if held else None, iid, mark=mark))
        elif was.meeting != item.meeting:
            text = f"Item unpinned: {item.title}"
            out.append(Difference("unpinned", text, item=iid, mark="unpinned"))
        if _fields(was, "meeting") != _fields(item, "meeting"):
            out.append(Difference("changed", f"Item changed: {item.title}", item=iid))
    for iid, was in before.items():
        if iid not in after:
            out.append(Difference("removed", f"Item taken out: {was.title}", item=iid))
    return out


def _named(old: Programme, new: Programme) -> list[Difference]:
    """People, bodies and events: added, taken out or changed (a body's meetings apart)."""
    out: list[Difference] = []
    lists = (
        ("Person", old.people, new.people, "name"),
        ("Committee", old.bodies, new.bodies, "name"),
        ("Event", old.events, new.events, "title"),
    )
    for noun, before_list, after_list, words in lists:
        before = {e.id: e for e in before_list}
        after = {e.id: e for e in after_list}
        for eid, entry in after.items():
            was = before.get(eid)
            if was is None:
                out.append(Difference("added", f"{noun} added: {getattr(entry, words)}"))
            elif _fields(was, "meetings") != _fields(entry, "meetings"):
                out.append(Difference("changed", f"{noun} changed: {getattr(entry, words)}"))
        for eid, was in before.items():
            if eid not in after:
                out.append(Difference("removed", f"{noun} taken out: {getattr(was, words)}"))
    return out


def _settings(old: Programme, new: Programme) -> list[Difference]:
    lists = ("people", "bodies", "items", "events")
    if _fields(old, *lists) != _fields(new, *lists):
        return [Difference("changed", "The year's settings or deadlines changed")]
    return []


def _fields(entry: BaseModel, *leaving: str) -> dict[str, object]:
    """An entry's values but `leaving`, to compare (nested entries compare by their values)."""
    return {k: getattr(entry, k) for k in type(entry).model_fields if k not in leaving}
