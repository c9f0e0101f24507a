"""Dates as people read them in agendas, documents and calendars."""

from __future__ import annotations

from datetime import date


def long_day(d: date) -> str:
    """28 June 2017 -> `Wednesday 28 June 2017`, as agendas and calendars write a date."""
    return f"{d:%A} {d.day} {d:%B %Y}"


def short_day(d: date) -> str:
    """28 June 2017 -> `28 June 2017`."""
    return f"{d.day} {d:%B %Y}"


def table_day(iso: str) -> str:
    """`2017-06-28` -> `Wed 28 Jun 2017`, `-` for no date: a fixed-width table's column."""
    return date.fromisoformat(iso).strftime("%a %d %b %Y") if iso else "-"
