"""What the public may not read: text naming an exempt (Part 2) item (DESIGN §4.4, §7).

An exempt item is named by its id, or by its title with any {period} or {fy} filled in (an
explanation names "Contract Monitoring 1st Half"), in any letter case or spacing
(`scheduler.mentions`). The document and the feeds ask here before they show the public a reason
or a special meeting's label.
"""

from __future__ import annotations

from scheduler.mentions import folded, mention
from scheduler.model import Programme

#: All the public reads of an exempt item, wherever it is listed.
EXEMPT = "Exempt item (Part 2)"


class Secrets:
    """The exempt items of a programme, as patterns that find them in any text."""

    def __init__(self, programme: Programme) -> None:
        self.patterns = [
            pattern
            for item in programme.items
            if programme.part_2(item)
            for name in (item.id, item.title)
            if (pattern := mention(name)) is not None
        ]

    def named_in(self, text: str) -> bool:
        """True when `text` names an exempt item."""
        words = folded(text)
        return any(pattern.search(words) for pattern in self.patterns)
