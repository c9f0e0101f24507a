"""What the public may not read: text naming an exempt (Part 2) item (DESIGN §4.4, §7).

An exempt item is named by its id, or by its title with any {period} or {fy} filled in (an
explanation names "Contract Monitoring 1st Half"), in any letter case or spacing
(`programme.mentions`). The document and the feeds ask here before they show the public a reason
or a special meeting's label.
"""

from __future__ import annotations

from scheduler.programme.mentions import exempt_mentions
from scheduler.programme.model import Programme

#: All the public reads of an exempt item, wherever it is listed.
EXEMPT = "Exempt item (Part 2)"


class Secrets:
    """The exempt items of a programme, as one pattern that finds them in any text."""

    def __init__(self, programme: Programme) -> None:
        self.mentions = exempt_mentions(programme)

    def named_in(self, text: str) -> bool:
        """True when `text` names an exempt item."""
        return self.mentions.first(text) is not None
