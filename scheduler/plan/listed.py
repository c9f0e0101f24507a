"""What a plan lists without placing it (DESIGN §4.6): items carried forward to next year and
suggested topics. Neither is "not placed": nothing went wrong, the programme says so."""

from __future__ import annotations

from scheduler.plan.model import Listed
from scheduler.programme.model import Item, Programme
from scheduler.programme.words import plain_title, short_day


def carried_forward(p: Programme) -> list[Listed]:
    """Items deferred to next year, or wanted only after the programme ends, in file order."""
    return [
        Listed(item=i.id, title=plain_title(i.title), text=_carried(i))
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


def _carried(item: Item) -> str:
    if item.deferred is not None:
        return "Deferred to next year"
    span = item.window if item.window and item.window.start else item.prefer
    assert span is not None and span.start is not None
    return f"Wanted from {short_day(span.start)}, after this programme ends: carried forward"
