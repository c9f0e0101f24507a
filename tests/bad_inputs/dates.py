"""Damage to dates and numbers: impossible days, numbers past their bounds, the ends of the
calendar."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from tests.bad_inputs.base import (
    AFTER_EVENT,
    BEFORE_FY,
    BODY_MINUTES,
    CAMHS,
    DOE,
    EVENT,
    EVENT_2,
    EVENT_DATE,
    FY,
    GIBBS,
    IMPOSSIBLE_DATES,
    J_DATE,
    J_EVENT,
    J_FY,
    J_MINUTES,
    J_MOVED,
    J_PIN,
    J_PREFER,
    J_SHORT,
    J_WINDOW,
    J_YEAR,
    JSON,
    LIMITS,
    MOVED,
    PER_MEETING,
    PIN,
    PREFER,
    RELEASE,
    ROTATION,
    SACRE_MEETING,
    SACRE_MEETINGS,
    SCRUTINY_MINUTES,
    SHORT,
    TITLE,
    WINDOW,
    WITNESSES,
    YAML,
    YEAR,
    Case,
    _after,
    _cases,
    _edit,
)


def impossible_dates() -> Iterator[Case]:
    """Dates that no calendar has, everywhere a date goes, in YAML (bare and quoted) and JSON."""
    places: dict[str, Callable[[str], str]] = {
        "meeting-short-form": lambda d: _edit(YAML, (SHORT, f"      - {d} ")),
        "meeting-short-form-quoted": lambda d: _edit(YAML, (SHORT, f'      - "{d}" ')),
        "meeting-date": lambda d: _edit(YAML, (MOVED, f"{{date: {d}, moved_from: 2017-06-27}}")),
        "moved-from": lambda d: _edit(YAML, (MOVED, f"{{date: 2017-06-28, moved_from: {d}}}")),
        "unavailable-day": lambda d: _after(YAML, DOE, f"    unavailable: [{d}]\n"),
        "unavailable-range": lambda d: _after(YAML, DOE, f"    unavailable: [2017-08-01..{d}]\n"),
        "window": lambda d: _edit(YAML, (WINDOW, f"    window: {d}..2017-06-30")),
        "window-one-day": lambda d: _edit(YAML, (WINDOW, f"    window: {d}")),
        "prefer": lambda d: _edit(YAML, (PREFER, f"    prefer: 2017-10-01..{d}")),
        "closures": lambda d: _edit(YAML, (BEFORE_FY, f"\nclosures: [{d}]{BEFORE_FY}")),
        "event-date": lambda d: _edit(YAML, (EVENT, EVENT.replace(EVENT_DATE, d))),
        "year-end": lambda d: _edit(YAML, (YEAR, f"year: 2017-05-10..{d}")),
        "meeting-pin": lambda d: _edit(YAML, (PIN, f"    meeting: {d}   # the first")),
        "json-meeting-short-form": lambda d: _edit(JSON, (J_SHORT, f'"{d}",')),
        "json-meeting-date": lambda d: _edit(JSON, (J_DATE, f'"date": "{d}"')),
        "json-moved-from": lambda d: _edit(JSON, (J_MOVED, f'"moved_from": "{d}"')),
        "json-event-date": lambda d: _edit(JSON, (J_EVENT, f'"date": "{d}"')),
        "json-year": lambda d: _edit(JSON, (J_YEAR, f'"year": "{d}..2018-05-15"')),
        "json-window": lambda d: _edit(JSON, (J_WINDOW, f'"window": "2017-06-01..{d}"')),
    }
    # A bare YAML date is resolved by the YAML library itself, before the model sees it: there,
    # every impossible date; in ranges, quoted and in JSON, the model's parser reads it: fewer.
    bare = {
        "meeting-short-form",
        "meeting-date",
        "moved-from",
        "unavailable-day",
        "window-one-day",
        "closures",
        "event-date",
        "meeting-pin",
    }
    for n, (place, make) in enumerate(places.items()):
        days: tuple[str, ...]
        if place in bare:
            days = IMPOSSIBLE_DATES
        elif place.startswith("json-"):
            days = IMPOSSIBLE_DATES[::2]
        else:
            days = (IMPOSSIBLE_DATES[n % len(IMPOSSIBLE_DATES)],)
        for day in days:
            ext = "json" if place.startswith("json-") else "yaml"
            yield Case(f"impossible-date.{place}.{day}.{ext}", make(day), "impossible-date")
    odd = {
        "unavailable-range.2017-08-32": _after(
            YAML, DOE, "    unavailable: [2017-08-01..2017-08-32]\n"
        ),
        "meeting-short-form.2017-04-31": _edit(YAML, (SHORT, "      - 2017-04-31 ")),
        "year-start.2017-02-29": _edit(YAML, (YEAR, "year: 2017-02-29..2018-05-15")),
        "json-prefer.2017-09-31": _edit(JSON, (J_PREFER, '"prefer": "2017-09-31..2017-10-31"')),
        "json-pin.2017-02-30": _edit(JSON, (J_PIN, '"meeting": "2017-02-30"')),
        "json-closures.2018-02-29": _edit(JSON, (J_FY, f'"closures": ["2018-02-29"],\n  {J_FY}')),
    }
    for label, text in odd.items():
        yield Case(
            f"impossible-date.{label}.{'json' if label.startswith('json') else 'yaml'}",
            text,
            "impossible-date",
        )
    for month_day in ("02-30", "13-01", "00-10", "02-29"):
        yield Case(
            f"impossible-date.financial-year-start.{month_day}.yaml",
            _edit(YAML, (FY, f'financial_year_start: "{month_day}"')),
            "impossible-date",
            refused=month_day != "02-29",  # 29 February: a day in leap years only, a choice
        )
    yield Case(
        "impossible-date.financial-year-start-json.02-30.json",
        _edit(JSON, (J_FY, '"financial_year_start": "02-30"')),
        "impossible-date",
    )




def _dated_event(text: str) -> str:
    """The SEND strategy published on 1 September 2017 (so `after` it counts)."""
    return _edit(text, (EVENT, EVENT.replace(EVENT_DATE, "2017-09-01")))


#: Every whole-number field, as a function of the number written there (text).
NUMBER_FIELDS: dict[str, Callable[[str], str]] = {
    "item-minutes": lambda n: _edit(YAML, (SCRUTINY_MINUTES, f"    minutes: {n}")),
    "body-minutes": lambda n: _edit(YAML, (BODY_MINUTES, f"    minutes: {n}\n")),
    "times": lambda n: _after(YAML, CAMHS, f"    times: {n}\n"),
    "per-meeting": lambda n: _edit(YAML, (PER_MEETING, f"    per_meeting: {n}\n")),
    "rotation-times": lambda n: _edit(YAML, (ROTATION, f"rotation: {{dce: {n}, doe: 1, dcsc: 1}}")),
    "limits": lambda n: _edit(YAML, (LIMITS, f"limits: {{substantive: {n}, short: 2}}")),
    "gap-days-event": lambda n: _edit(
        _dated_event(YAML),
        (AFTER_EVENT, f"after: {{event: send-strategy-published, gap_days: {n}}}"),
    ),
    "gap-days-item": lambda n: _after(
        YAML, CAMHS, f"    after: {{item: adult-education, gap_days: {n}}}\n"
    ),
    "release-days": lambda n: _edit(YAML, (RELEASE, f"    release_days: {n}")),
    "lead-days": lambda n: _after(
        _edit(YAML, (EVENT_2, EVENT_2.replace("null", "2018-02-01"))),
        CAMHS,
        f"    decision: {{event: send-inspection, lead_days: {n}}}\n",
    ),
    "agenda-clear-days": lambda n: _edit(
        YAML, ("  agenda_clear_days: 5", f"  agenda_clear_days: {n}")
    ),
    "reports-due-working-days": lambda n: _edit(
        YAML, ("  reports_due_working_days: 10", f"  reports_due_working_days: {n}")
    ),
    "questions-working-days": lambda n: _edit(
        YAML, ("  questions_working_days: 4", f"  questions_working_days: {n}")
    ),
    "preparation-minutes": lambda n: _edit(
        YAML, ("  preparation_minutes: 30", f"  preparation_minutes: {n}")
    ),
    "exempt": lambda n: _after(YAML, CAMHS, f"    exempt: {n}\n"),
}
DIGITS_5000 = "1" + "0" * 5000


def numbers() -> Iterator[Case]:
    """Integers too big for any field, and numbers that pass a naive check but break later
    verbs (day counts that run off the calendar, minutes no meeting holds)."""
    huge = {f"{field}.1e30": make(str(10**30)) for field, make in NUMBER_FIELDS.items()}
    for field in ("item-minutes", "agenda-clear-days"):
        huge[f"{field}.5000-digits"] = NUMBER_FIELDS[field](DIGITS_5000)
    huge |= {
        "item-minutes.minus-1e30": NUMBER_FIELDS["item-minutes"](str(-(10**30))),
        "item-minutes.float-1e30": NUMBER_FIELDS["item-minutes"]("1.0e+30"),
        "item-minutes.infinity": NUMBER_FIELDS["item-minutes"](".inf"),
        "item-minutes.not-a-number": NUMBER_FIELDS["item-minutes"](".nan"),
    }
    yield from _cases("huge-integer", "yaml", huge, refused=False)
    yield from _cases(
        "huge-integer",
        "json",
        {
            "body-minutes.5000-digits": _edit(JSON, (J_MINUTES, f'"minutes": {DIGITS_5000},')),
            "body-minutes.1e30": _edit(JSON, (J_MINUTES, f'"minutes": {10**30},')),
            "body-minutes.1e400": _edit(JSON, (J_MINUTES, '"minutes": 1e400,')),
            "body-minutes.infinity": _edit(JSON, (J_MINUTES, '"minutes": Infinity,')),
            "body-minutes.nan": _edit(JSON, (J_MINUTES, '"minutes": NaN,')),
        },
        refused=False,
    )
    large: dict[str, str] = {}
    plausible = {
        "item-minutes": ("1000000",),
        "body-minutes": ("1000000000000",),
        "times": ("1000000",),
        "per-meeting": ("1000000",),
        "rotation-times": ("1000000",),
        "limits": ("1000000000",),
        "gap-days-event": ("771", "10000000"),
        "gap-days-item": ("10000000",),
        "release-days": ("771", "1000000", "10000000"),
        "lead-days": ("1000000", "10000000"),
        "agenda-clear-days": ("100000", "1000000"),
        "reports-due-working-days": ("1000000",),
        "questions-working-days": ("1000000",),
        "preparation-minutes": ("1000000000",),
    }
    for field, values in plausible.items():
        for value in values:
            large[f"{field}.{value}"] = NUMBER_FIELDS[field](value)
    yield from _cases("large-number", "yaml", large, refused=False)


def _sacre_on(text: str, day: str) -> str:
    """`text` with SACRE's December meeting on `day` instead."""
    return _edit(text, (SACRE_MEETING, f"      - {day} "))


def calendar_ends() -> Iterator[Case]:
    """Years of thousands of years, and dates at the ends of Python's calendar."""
    ends = {
        "year-0001-to-9999": _edit(YAML, (YEAR, "year: 0001-01-01..9999-12-31")),
        "year-1000-to-3000": _edit(YAML, (YEAR, "year: 1000-01-01..3000-12-31")),
        "year-2017-to-4017": _edit(YAML, (YEAR, "year: 2017-05-10..4017-05-15")),
        "year-open-both": _edit(YAML, (YEAR, "year: ..")),
        "meeting-0001-01-01": _sacre_on(
            _edit(YAML, (YEAR, "year: 0001-01-01..2018-05-15")), "0001-01-01"
        ),
        "meeting-9999-12-31": _sacre_on(
            _edit(YAML, (YEAR, "year: 2017-05-10..9999-12-31")), "9999-12-31"
        ),
        "closure-9999-12-31": _edit(
            YAML, (BEFORE_FY, f"\nclosures: [9999-12-31, 0001-01-01]{BEFORE_FY}")
        ),
        "unavailable-0001-to-9999": _after(
            YAML, DOE, "    unavailable: [0001-01-01..9999-12-31]\n"
        ),
        "prefer-0001-to-9999": _edit(YAML, (PREFER, "    prefer: 0001-01-01..9999-12-31")),
        "event-9999-12-31-after-gap-1": _edit(
            YAML,
            (EVENT, EVENT.replace(EVENT_DATE, "9999-12-31")),
            (AFTER_EVENT, "after: {event: send-strategy-published, gap_days: 1}"),
        ),
        "event-0001-01-01-decision-lead-1": _after(
            _edit(YAML, (EVENT_2, EVENT_2.replace("null", "0001-01-01"))),
            CAMHS,
            "    decision: {event: send-inspection, lead_days: 1}\n",
        ),
        "every-day-a-meeting": _edit(
            YAML,
            (
                SACRE_MEETINGS,
                "".join(
                    f"      - 2017-{m:02d}-{d:02d}\n" for m in range(6, 13) for d in range(1, 29)
                ),
            ),
        ),
    }
    yield from _cases("calendar-edge", "yaml", ends, refused=False)


#: Words people read, written as YAML double-quoted (escapes and all) text.
TEXT_FIELDS: dict[str, Callable[[str], str]] = {
    "title": lambda s: _edit(YAML, (TITLE, f'title: "{s}"')),
    "person-name": lambda s: _edit(YAML, (GIBBS, f'    name: "{s}"\n')),
    "venue": lambda s: _edit(
        YAML, ("    venue: Committee Rooms, Bromley Civic Centre", f'    venue: "{s}"')
    ),
    "special": lambda s: _edit(YAML, (SHORT, f'      - {{date: 2017-10-17, special: "{s}"}} ')),
    "person-id": lambda s: _edit(YAML, ("  - id: christie ", f'  - id: "{s}" ')),
    "item-id": lambda s: _edit(YAML, (CAMHS, f'  - id: "{s}"\n')),
    "meeting-id": lambda s: _edit(YAML, (SHORT, f'      - {{id: "{s}", date: 2017-10-17}} ')),
    "witness-reference": lambda s: _edit(YAML, (WITNESSES, f'witnesses: [gamble, "{s}"]')),
    "item-body-reference": lambda s: _edit(
        YAML,
        (
            "    title: Child and Adolescent Mental Health Services (CAMHS)\n    body: select",
            f'    title: CAMHS\n    body: "{s}"',
        ),
    ),
    "unknown-key": lambda s: YAML + f'"{s}": 1\n',
    "timezone": lambda s: _edit(YAML, ("timezone: Europe/London", f'timezone: "{s}"')),
}
