"""A refused form's problems beside the fields they concern.

A programme's problems are located in the file (`items[51] (new-item).body: 'ecf' is not in
bodies`): one at the entry the form edits goes beside its field, with the words alone; any
other (an item elsewhere that names a person taken out) goes above the form, whole. A field
that cannot be read says `<field>: <what is wrong>`.
"""

from __future__ import annotations

import re

from api.errors import ApiError
from api.web.fields import Field
from api.web.form_values import FormProblem
from scheduler.errors import InputError

#: An entry's name in a location (`items[3] (camhs)`): left out to compare places.
NAMED = re.compile(r" \([^)]*\)")
#: A key the entry lacks, as the programme's check says it.
REQUIRED = re.compile(r"^'(\w+)' is required$")
#: The problems above the form.
WHOLE = ""


def placed(err: Exception, at: str, fields: tuple[Field, ...]) -> dict[str, list[str]]:
    """The problems of `err` by the field of `fields` they concern (WHOLE: the form's). The form
    edits the entry at `at` in the file: `items[51]`, `bodies[0].meetings[3]`, or "" for the top
    level."""
    keys = {f.key for f in fields}
    out: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        out.setdefault(key, []).append(message)

    if isinstance(err, InputError):
        prefix = f"{at}." if at else ""
        for p in err.problems:
            where = NAMED.sub("", p.location)
            rest = where.removeprefix(prefix) if where.startswith(prefix) else None
            key = next((k for k in keys if rest and _starts(rest, k)), "")
            missing = REQUIRED.match(p.message) if where == at else None
            if missing and missing[1] in keys:
                add(missing[1], "required")
            elif key:
                add(key, p.message)
            elif where == at and at:
                add(WHOLE, p.message)
            else:
                add(WHOLE, str(p))
    elif isinstance(err, FormProblem):
        for problem in (str(a) for a in err.args):
            key, colon, message = problem.partition(": ")
            if colon and key in keys:
                add(key, message)
            else:
                add(WHOLE, problem)
    elif isinstance(err, ApiError):
        for message in [str(p) for p in err.problems] or [err.detail]:
            add(WHOLE, message)
    else:
        message = str(err)
        add("id" if "already" in message and "id" in keys else WHOLE, message)
    return out


def _starts(path: str, key: str) -> bool:
    """`path` is `key` or something inside it (`witnesses[0]`, `after.gap_days`)."""
    return path == key or path.startswith((f"{key}.", f"{key}["))
