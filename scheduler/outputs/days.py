"""Dates as people read them in agendas, documents and calendars."""

from __future__ import annotations

from datetime import date


def long_day(d: date) -> str:
    """28 June 2017 -> `Wednesday 28 June 2017`, as agendas and calendars write a date."""
    return f"{d:%A} {d.day} {d:%B %Y}"


def short_day(d: date) -> str:
    """28 June 2017 -> `28 June 2017`."""
    return f"{d.day} {d:%B %Y}"


def table_day(d: date | None) -> str:
    """28 June 2017 -> `Wed 28 Jun 2017`, `-` for no date: a fixed-width table's column."""
    return d.strftime("%a %d %b %Y") if d else "-"
