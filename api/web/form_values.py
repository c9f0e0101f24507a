"""Between the file's values and the forms' fields (`api.web.fields`): what a field shows for
a value written in the file, and what the clerk's entries in it mean as a value to write.

A form writes only what the clerk changed: a field whose meaning is the same as the file's
(`2017-6-5` and `2017-06-05`, a box left unticked and `verbal: false`) is left alone, so that
the file keeps its own way of writing it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from starlette.datastructures import FormData

from api.routes.common import MAX_NUMBER
from api.web.fields import Field
from scheduler.programme.edits_source import Changes, Value
from scheduler.programme.fields import is_slug

#: Input name -> what it holds: text, or the values of the boxes ticked.
Shown = dict[str, str | list[str]]
#: A field's options, by the value written and the words shown.
Options = list[tuple[str, str]]
DAY = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
CLOCK = re.compile(r"^([01]?\d|2[0-3]):[0-5]\d$")
AFTER_KEYS = ("item", "event", "meeting", "body")
#: Rows offered for `after` beyond those the item has: room for one more.
SPARE_ROWS = 1
#: Rows of `after`, and of names and numbers, a form reads at most (an item has a few).
MOST_ROWS = 100


class FormProblem(Exception):
    """Form fields that cannot be read, each '<field>: <what is wrong>' (one per argument)."""


#: The longest short name a page's address or cookie may carry.
LONGEST_NAME = 100


def hidden_number(value: Any) -> int | None:
    """A plan or revision number from a hidden field; anything else (or too big) is none."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 12:
        return int(value) if int(value) <= MAX_NUMBER else None
    return None


def revision_of(form: FormData) -> int | None:
    """The programme revision a form was made from (the API's If-Match): an edit from a page
    older than the programme is refused."""
    return hidden_number(form.get("revision"))


def short_name(value: object) -> bool:
    """A committee's or programme's short name as the file writes ids (never a path, a comma
    or a quote): safe in an address and in a cookie."""
    return isinstance(value, str) and len(value) <= LONGEST_NAME and is_slug(value)


def shown(field: Field, raw: Any) -> Shown:
    """What the field's inputs show for the file's value `raw` (None when the file has none)."""
    key, kind = field.key, field.kind
    if kind == "range":
        if isinstance(raw, dict):  # written {start: ..., end: ...}
            return {f"{key}-from": _text(raw.get("start")), f"{key}-to": _text(raw.get("end"))}
        text = "" if raw is None else _text(raw)
        start, dots, end = text.partition("..")
        return {f"{key}-from": start, f"{key}-to": end if dots else start}
    if kind == "many":
        return {key: [str(v) for v in raw] if isinstance(raw, list) else []}
    if kind == "check":
        return {key: "yes" if raw is True else ""}
    if kind == "lines":
        return {key: "\n".join(_text(v) for v in raw) if isinstance(raw, list) else ""}
    if kind == "counts":
        counts = raw if isinstance(raw, dict) else {}
        return {f"{key}-{k}": _text(v) for k, v in counts.items()}
    if kind == "pairs":
        pairs = raw if isinstance(raw, dict) else {}
        return {key: "\n".join(f"{k}: {_text(v)}" for k, v in pairs.items())}
    if kind == "after":
        return _after_shown(key, raw)
    if kind == "decision":
        d = raw if isinstance(raw, dict) else {}
        return {f"{key}-event": _text(d.get("event")), f"{key}-lead": _text(d.get("lead_days"))}
    if kind == "history":
        rows = raw if isinstance(raw, list) else []
        return {key: "\n".join(_history_line(r) for r in rows if isinstance(r, dict))}
    return {key: _text(raw)}


def posted(field: Field, form: FormData, options: Options) -> Shown:
    """What the clerk entered in the field's inputs, as `shown` gives it."""
    key, kind = field.key, field.kind
    if kind == "range":
        return {n: _one(form, n) for n in (f"{key}-from", f"{key}-to")}
    if kind == "many":  # ticked boxes (ids), or names typed in rows (a long list)
        said = [v.strip() for v in form.getlist(key) if isinstance(v, str) and v.strip()]
        return {key: [_chosen(v, options) for v in said]}
    if kind == "counts":
        counts: Shown = {f"{key}-{v}": _one(form, f"{key}-{v}") for v, _ in options}
        known = {v for v, _ in options}
        unknown: list[str] = []
        for i in range(MOST_ROWS):  # rows of a name and a number (a long list)
            who = _one(form, f"{key}-who-{i}").strip()
            chosen = _chosen(who, options) if who else ""
            if chosen in known:
                counts[f"{key}-{chosen}"] = _one(form, f"{key}-n-{i}")
            elif chosen:
                unknown.append(who)
        return counts | ({f"{key}-unknown": unknown} if unknown else {})
    if kind == "after":
        return {
            name: _one(form, name)
            for i in range(MOST_ROWS)
            for name in (f"{key}-{i}-target", f"{key}-{i}-gap")
            if name in form
        }
    if kind == "decision":
        return {n: _one(form, n) for n in (f"{key}-event", f"{key}-lead")}
    return {key: _one(form, key)}


def _chosen(said: str, options: Options) -> str:
    """The value of the option the clerk typed or chose: by its value (an id), its words, or
    the words before the first comma (a person's name without the role); else as typed, for
    the programme's check to name."""
    for value_, words in options:
        if said in (value_, words, words.split(", ")[0]):
            return value_
    return said


def value(field: Field, entered: Shown, options: Options) -> Value | None:
    """The value to write for what a field shows; None for nothing (the key taken out).

    Raises:
        FormProblem: what was entered is not what the field asks for.
    """
    key, kind = field.key, field.kind
    text = entered.get(key, "")
    one = text.strip() if isinstance(text, str) else ""
    allowed = {v for v, _ in options}
    match kind:
        case "range":
            start, end = (str(entered.get(f"{key}-{e}", "")).strip() for e in ("from", "to"))
            return f"{_day(key, start)}..{_day(key, end)}" if start or end else None
        case "many":
            ticked: list[Value] = [v for v in (text if isinstance(text, list) else []) if v]
            return ticked or None
        case "check":
            return True if one else None
        case "flag":
            return options[0][0] if one else None
        case "number":
            return _number(key, one)
        case "time":
            if one and not CLOCK.match(one):
                raise FormProblem(f"{key}: '{one}' is not a time of day, such as 18:30")
            return one.zfill(5) if one else None
        case "date" | "rough":
            return _written_day(one) if one else None
        case "choice":  # what is not a choice, the programme's check names
            return int(one) if one.isdigit() else (one or None)
        case "lines":
            lines = [_written_day(s.strip()) for s in one.splitlines() if s.strip()]
            return list(lines) or None
        case "counts" if entered.get(f"{key}-unknown"):
            unknown = ", ".join(f"'{w}'" for w in entered[f"{key}-unknown"])
            raise FormProblem(f"{key}: {unknown}: nobody of that name in the programme")
        case "counts":
            counts = {v: _number(key, str(entered.get(f"{key}-{v}", "")).strip()) for v in allowed}
            return {k: n for k, n in counts.items() if n is not None} or None
        case "pairs":
            return _pairs(key, one) or None
        case "after":
            return _after(key, entered) or None
        case "decision":
            event = str(entered.get(f"{key}-event", "")).strip()
            lead = _number(key, str(entered.get(f"{key}-lead", "")).strip())
            if not event:
                return None
            return {"event": event, "lead_days": lead} if lead else {"event": event}
        case "history":
            return [_history(key, line) for line in one.splitlines() if line.strip()] or None
    return one or None


def changes(
    fields: tuple[Field, ...],
    raw: Mapping[str, Any],
    form: FormData,
    options: Mapping[str, Options],
) -> tuple[Changes, Shown]:
    """The keys whose meaning the clerk changed (None: taken out), and what the form held.

    Raises:
        FormProblem: a field cannot be read.
    """
    out: Changes = {}
    entered: Shown = {}
    problems: list[str] = []
    for field in fields:
        if field.kind == "id" and field.key in raw:
            continue  # an id is never changed
        choices = options.get(field.key, [])
        now = posted(field, form, choices)
        entered |= now
        try:
            new = value(field, now, choices)
        except FormProblem as err:
            problems += [str(a) for a in err.args]
            continue
        if new is None and field.required:
            problems.append(f"{field.key}: required")
        elif field.key in raw and _same(field, raw[field.key], new, choices):
            continue
        elif new is not None or field.key in raw:
            out[field.key] = new
    if problems:
        raise Refused(entered, *problems)
    return out, entered


class Refused(FormProblem):
    """Form fields that cannot be read, with everything the form held (to show it again)."""

    def __init__(self, entered: Shown, *problems: str) -> None:
        super().__init__(*problems)
        self.entered = entered


def _same(field: Field, raw: Any, new: Value | None, choices: Options) -> bool:
    """The file's value means what the form's does (the people ticked in any order)."""
    try:
        old = value(field, shown(field, raw), choices)
    except FormProblem:
        return False
    if field.kind == "many" and isinstance(old, list) and isinstance(new, list):
        return sorted(map(str, old)) == sorted(map(str, new))
    return old == new


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "yes" if raw else ""
    if isinstance(raw, dt.time):
        return raw.strftime("%H:%M")
    return raw.isoformat() if isinstance(raw, dt.date) else str(raw)


def _one(form: FormData, name: str) -> str:
    found = form.get(name)
    return found if isinstance(found, str) else ""


def _number(key: str, text: str) -> int | None:
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and len(text) <= 6):
        raise FormProblem(f"{key}: '{text[:20]}' is not a whole number")
    return int(text)


def _day(key: str, text: str) -> str:
    """A day entered in a date field, as YYYY-MM-DD (empty stays empty)."""
    if not text:
        return ""
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise FormProblem(f"{key}: '{text[:20]}' is not a date, such as 2017-10-17") from None


def _written_day(text: str) -> Value:
    """A day as a date (written plain, not quoted); a month, a range or text as it is."""
    if DAY.match(text):
        try:
            year, month, day = (int(p) for p in text.split("-"))
            return dt.date(year, month, day)
        except ValueError:
            return text  # the programme's check says what is wrong with it
    return text


def _pairs(key: str, text: str) -> dict[str, Value]:
    out: dict[str, Value] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        name, colon, said = line.partition(":")
        if not colon or not name.strip() or not said.strip():
            raise FormProblem(f"{key}: '{line.strip()[:40]}' is not written KEY: text")
        out[name.strip()] = said.strip()
    return out


def _after_shown(key: str, raw: Any) -> Shown:
    rows = raw if isinstance(raw, list) else ([raw] if isinstance(raw, dict) else [])
    out: Shown = {}
    for i, row in enumerate([*rows, *([{}] * SPARE_ROWS)][:MOST_ROWS]):
        target = next((f"{k}:{_text(row[k])}" for k in AFTER_KEYS if row.get(k)), "")
        out[f"{key}-{i}-target"] = target
        out[f"{key}-{i}-gap"] = _text(row.get("gap_days")) if target else ""
    return out


def _after(key: str, entered: Shown) -> list[Value]:
    rows: list[Value] = []
    for i in range(MOST_ROWS):
        target = str(entered.get(f"{key}-{i}-target", "")).strip()
        if not target:
            continue
        kind, _, what = target.partition(":")
        if kind not in AFTER_KEYS or not what:
            raise FormProblem(f"{key}: '{target[:40]}' is not an item, event, meeting or body")
        gap = _number(key, str(entered.get(f"{key}-{i}-gap", "")).strip())
        rows.append({kind: what, "gap_days": gap} if gap else {kind: what})
    return rows


def _history_line(row: Mapping[str, Any]) -> str:
    parts = [_text(row.get("date")), _text(row.get("change"))]
    return ", ".join(parts + ([_text(row["note"])] if row.get("note") else []))


def _history(key: str, line: str) -> Value:
    date, _, rest = line.partition(",")
    change, _, note = rest.partition(",")
    if not change.strip():
        raise FormProblem(f"{key}: '{line.strip()[:40]}' is not written date, what, note")
    entry: dict[str, Value] = {"date": _written_day(date.strip()), "change": change.strip()}
    return entry | ({"note": note.strip()} if note.strip() else {})
