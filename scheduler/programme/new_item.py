"""A new item given as the text of one item entry (YAML or JSON), added to a programme.

"Where could it go?" is asked of an item not yet in the file too (a call-in, a member's
request). Its text is checked as an entry of `items:` is: shapes first, then references, every
problem located in that text (`content.yaml:3: witnesses[0]: 'x' is not in people`).
"""

from __future__ import annotations

from scheduler.errors import Problem, ProgrammeError
from scheduler.programme.load import validated
from scheduler.programme.model import Item, Programme
from scheduler.programme.references import check_references
from scheduler.programme.source import parse_source


def with_new_item(programme: Programme, text: str, name: str) -> tuple[Programme, str]:
    """`programme` with the item of `text` added last, and the item's id.

    Args:
        programme: a validated programme.
        text: one item entry, as it would be written under `items:`.
        name: how messages name the text (`--new-item`, `new item`).

    Raises:
        ProgrammeError: every problem of the entry, located in `text`.
    """
    source = parse_source(text, name)
    if isinstance(source, Problem):
        raise ProgrammeError([source])
    item = validated(source, Item, "an item is a mapping of keys (id, title, ...)")
    if programme.year.end is not None:  # as `Programme` notes of its own items
        item.beyond(programme.year.end)
    fields = {name: getattr(programme, name) for name in Programme.model_fields}
    added = Programme.model_construct(**{**fields, "items": [*programme.items, item]})
    index = len(programme.items)
    # The programme itself passed these checks: whatever they find now is the new item's.
    problems = [
        source.problem(path[2:] if path[:2] == ("items", index) else (), message)
        for path, message in check_references(added)
    ]
    if problems:
        raise ProgrammeError(problems)
    return added, item.id
