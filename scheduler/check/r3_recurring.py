"""Hard R3 recurring, checked: each occurrence on or after its release, occurrences apart."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from scheduler.check.facts import periods
from scheduler.check.view import Finding, View, hard


@hard("R3")
def check_r3(view: View) -> Iterator[Finding]:
    """Hard R3 recurring: each occurrence on or after its release date; occurrences apart."""
    for placed, item in view.entries():
        release = periods(view.programme, item).get(placed.entry.occurrence or "")
        if release is not None and placed.date < release:
            yield placed.subject, f"{placed.at}, before its release on {release}"
    for item in view.programme.items:
        labels: dict[str, set[str]] = defaultdict(set)
        for placed in view.at(item.id) if item.every else []:
            labels[placed.where].add(placed.entry.occurrence or "none")
        for where, here in labels.items():
            if len(here) > 1:
                listed = ", ".join(sorted(here))
                yield item.id, f"{item.id} has {len(here)} occurrences at {where}: {listed}"
