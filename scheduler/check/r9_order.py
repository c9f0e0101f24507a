"""Hard R9 order, checked: `after` an item or event by its gap; `with` partners together."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from scheduler.check.facts import waited_for
from scheduler.check.view import Finding, View, hard
from scheduler.programme.model import After, Item


@hard("R9")
def check_r9(view: View) -> Iterator[Finding]:
    """Hard R9 order: `after` an item's last meeting, an event, a meeting or a body's first
    dated meeting by `gap_days`; `with` together.

    An item after an unplaced item, or after anything with no date at all (an undated event, a
    cancelled meeting, a body with no dated meeting), stays unplaced. A date known roughly is
    waited for by its earliest day; a meeting not fixed yet is placed by its earliest day and
    follows an item by that item's latest. A `with` pair of plain items with equal `times` goes
    to exactly the same meetings.
    """
    for item in view.programme.items:
        for after in item.after:
            yield from _r9_after(view, item, after)
        partner = view.programme.items_by_id.get(item.with_ or "")
        if partner is not None:
            yield from _r9_with(view, item, partner)


def _r9_after(view: View, item: Item, after: After) -> Iterator[Finding]:
    placed = view.at(item.id)
    if after.item is not None:
        before = [p.meeting.latest for p in view.at(after.item)]
        start, what = (max(before), f"the last meeting of {after.item}") if before else (None, "")
        missing = f"{after.item} is unplaced"
    else:
        start, what = waited_for(view.programme, after)
        missing = f"{what} has no date yet"
    if start is None:
        if placed:
            yield item.id, f"{item.id} is placed but {missing}: it must stay unplaced"
        return
    earliest = start + dt.timedelta(days=after.gap_days)
    for p in placed:
        if p.date < earliest:
            gap = f"{after.gap_days} days after {what} on {start}"
            yield p.subject, f"{p.at}, before {earliest}, {gap}"


def _plain(item: Item) -> bool:
    return item.kind not in ("standing", "scrutiny") and item.every is None and item.placed_here


def _r9_with(view: View, item: Item, partner: Item) -> Iterator[Finding]:
    mine, theirs = view.meetings_of(item.id), view.meetings_of(partner.id)
    for where in sorted(mine - theirs):
        yield item.id, f"{item.id} is at {where} without {partner.id}"
    # One way: the item goes only where its partner goes; the partner may go alone (a theme
    # without its witness session). Once both are placed, at the same meetings.
    if mine and _plain(item) and _plain(partner) and item.times == partner.times:
        for where in sorted(theirs - mine):
            yield item.id, f"{partner.id} is at {where} without {item.id}"
