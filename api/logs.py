"""The service's log: one JSON object a line, one line an event, for an operator's log tools.

Each line has `at` (UTC, ISO 8601), `level`, `logger` and `event` (what happened, in words),
and the fields the event is bound to (a job's id, its programme, its state, seconds ...), given
as `extra={"fields": {...}}`. `scrutiny serve` sets it up in every web process, and
`scrutiny worker` in itself (`CONFIG`).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

FIELDS = "fields"

#: uvicorn's `log_config`: the service's own loggers (`api.*`) as JSON lines on standard error;
#: uvicorn's own warnings and errors too.
CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "api.logs.JsonLines"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {
        "api": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn.error": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        # the job queue's, the database driver's and the event loop's (in `scrutiny worker`):
        # their warnings and errors, as JSON lines too
        **{
            name: {"handlers": ["stderr"], "level": "WARNING", "propagate": False}
            for name in ("procrastinate", "psycopg", "asyncio")
        },
    },
}


class JsonLines(logging.Formatter):
    """A record as one line of JSON (keys sorted: the same event, the same line)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = dict(getattr(record, FIELDS, None) or {})
        line.update(  # the line's own keys: no field takes their place
            at=dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(),
            level=record.levelname.lower(),
            logger=record.name,
            event=record.getMessage(),
        )
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, sort_keys=True, default=str)


def fields(**bound: Any) -> dict[str, Any]:
    """What `extra=` takes for an event bound to these fields."""
    return {FIELDS: bound}
