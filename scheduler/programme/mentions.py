"""Whether a text names an item: by its id or its title, in any letter case, accent or spacing.

"Foster Care Contract", "foster  care contract", "Fostér-Care" and the id
"foster-care-contract" all name the same item: words are compared with compatibility forms
unified, accents and case dropped, and everything but letters and digits left out. A title's
{period} and {fy} stand for any text. The public must never read an exempt item's name
(`outputs.exempt`), and nothing public in a programme may carry one (`programme.references`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from scheduler.programme.model import Programme

_PLACEHOLDER = re.compile(r"\{(?:period|fy)\}")


def folded(text: str) -> str:
    """`text` as names are compared ("Fostér-Care  Contract" -> "fostercarecontract")."""
    decomposed = unicodedata.normalize("NFKD", text).casefold()
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


def _pattern(name: str) -> str | None:
    """The regular expression that finds `name` in a `folded` text; None when the name has no
    letter or digit (it would be found everywhere)."""
    pieces = [folded(piece) for piece in _PLACEHOLDER.split(name)]
    if not any(pieces):
        return None
    return ".*?".join(re.escape(piece) for piece in pieces)


class Mentions:
    """Finds any of some names in a text, folding the text once (one pattern for all names:
    a whole council's exempt items against each of its meetings stays linear).

    Args:
        names: (name, what it names) pairs, e.g. an exempt item's title and its index.
    """

    def __init__(self, names: Iterable[tuple[str, int]]) -> None:
        alternatives: dict[str, list[str]] = {}
        for name, what in names:
            if found := _pattern(name):
                alternatives.setdefault(f"n{what}", []).append(found)
        self._pattern = (
            re.compile("|".join(f"(?P<{g}>{'|'.join(a)})" for g, a in alternatives.items()))
            if alternatives
            else None
        )

    def __bool__(self) -> bool:
        return self._pattern is not None

    def first(self, text: str) -> int | None:
        """What the first name found in `text` names, or None."""
        if self._pattern is None:
            return None
        found = self._pattern.search(folded(text))
        return None if found is None else int(str(found.lastgroup)[1:])


def exempt_mentions(programme: Programme, ids: bool = True) -> Mentions:
    """The exempt items' titles (and ids, unless `ids` is false: an id such as "legal-claim" is
    too short to look for in free text), each naming its index in `programme.items`."""
    return Mentions(
        (name, index)
        for index, item in enumerate(programme.items)
        if programme.part_2(item)
        for name in ((item.id, item.title) if ids else (item.title,))
    )
