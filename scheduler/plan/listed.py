"""What a plan lists without placing it (DESIGN §4.6): items carried forward to next year and
suggested topics. Neither is "not placed": nothing went wrong, the programme says so."""

from __future__ import annotations

from scheduler.plan.model import Listed
from scheduler.programme.model import Item, Programme
from scheduler.programme.words import plain_title, short_day


def carried_forward(p: Programme) -> list[Listed]:
    """Items deferred to next year, or wanted only after the programme ends, in file order."""
    return [
        Listed(item=i.id, title=plain_title(i.title), text=_carried(p, i))
        for i in p.items
        if i.carried_forward
    ]


def suggested(p: Programme) -> list[Listed]:
    """Topics listed "if required" or "to be agreed", in file order."""
    return [
        Listed(
            item=i.id, title=plain_title(i.title), text="A suggested topic: to be added if required"
        )
        for i in p.items
        if i.suggested and not i.carried_forward
    ]


def _carried(p: Programme, item: Item) -> str:
    """Why an item is carried forward: deferred, or wanted (its window or prefer) only from a
    day after the programme's end."""
    if item.deferred is not None:
        return "Deferred to next year"
    assert p.year.end is not None
    start = min(
        s.start
        for s in (item.window, item.prefer)
        if s is not None and s.start is not None and s.start > p.year.end
    )
    return f"Wanted from {short_day(start)}, after this programme ends: carried forward"
