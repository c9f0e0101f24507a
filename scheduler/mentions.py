"""Whether a text names an item: by its id or its title, in any letter case or spacing.

"Foster Care Contract", "foster  care contract" and the id "foster-care-contract" all name the
same item: words are compared with case folded and everything but letters and digits dropped.
A title's {period} and {fy} stand for any text. The public must never read an exempt item's
name (`scheduler.exempt`), and a public meeting id must not carry one (`scheduler.references`).
"""

from __future__ import annotations

import re
import unicodedata

_PLACEHOLDER = re.compile(r"\{(?:period|fy)\}")


def folded(text: str) -> str:
    """`text` as names are compared: compatibility forms unified, case folded, only letters and
    digits kept ("Foster-Care  Contract" -> "fostercarecontract")."""
    return "".join(c for c in unicodedata.normalize("NFKC", text).casefold() if c.isalnum())


def mention(name: str) -> re.Pattern[str] | None:
    """A pattern that finds `name` in a `folded` text; None when the name has no letter or
    digit to find (it would match everything)."""
    pieces = [folded(piece) for piece in _PLACEHOLDER.split(name)]
    if not any(pieces):
        return None
    return re.compile(".+?".join(re.escape(piece) for piece in pieces))
