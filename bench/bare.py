"""The floor for `bench.service`: a bare Starlette endpoint that answers the same bytes the
service answers, at the same addresses, from memory, with nothing else (no database, no
middleware; its one check is If-None-Match against the ETag).

    python -m bench.bare ANSWERS.json WORKERS SERVER PORT

SERVER `scrutiny`: uvicorn serves it as `scrutiny serve` serves the service (h11 with the head
deadline, the same limits from the same environment), so that the two differ only in the
application. SERVER `uvicorn`: uvicorn's own defaults (the httptools parser, which `scrutiny
serve` does not run: it takes request heads of any size), for scale.

ANSWERS.json: a list of {"path", "etag", "not_modified" (the 304's headers), "full" (the 200's
headers), "body" (base64)}; the headers as the service sent them, without `date` and `server`
(uvicorn adds its own).
"""

from __future__ import annotations

import base64
import json
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from api.settings import Settings

#: Headers the server adds to every answer itself.
SERVERS = {"date", "server"}
ANSWERS = "BENCH_BARE_ANSWERS"


def answers_file(path: Path, answers: list[dict[str, Any]]) -> None:
    """Write the answers the bare endpoint is to give (see above)."""
    path.write_text(json.dumps(answers))


def captured(
    path: str, etag: str, not_modified: dict[str, str], full: dict[str, str], body: bytes
) -> dict[str, Any]:
    """One address's answers as the service gave them, for `answers_file`."""
    return {
        "path": path,
        "etag": etag,
        "not_modified": {k: v for k, v in not_modified.items() if k not in SERVERS},
        "full": {k: v for k, v in full.items() if k not in SERVERS},
        "body": base64.b64encode(body).decode(),
    }


def _endpoint(answer: dict[str, Any]) -> Callable[[Request], Awaitable[Response]]:
    etag, body = answer["etag"], base64.b64decode(answer["body"])
    not_modified, full = answer["not_modified"], answer["full"]

    async def bare(request: Request) -> Response:
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers=not_modified)
        return Response(body, headers=full)

    return bare


def app(answers: list[dict[str, Any]]) -> Starlette:
    return Starlette(routes=[Route(a["path"], _endpoint(a)) for a in answers])


def app_from_environment() -> Starlette:
    """The factory uvicorn's workers call: the answers from the file BENCH_BARE_ANSWERS names."""
    return app(json.loads(Path(os.environ[ANSWERS]).read_text()))


def main(argv: list[str]) -> None:
    """`ANSWERS.json WORKERS SERVER PORT`: serve until stopped."""
    os.environ[ANSWERS] = argv[0]
    workers, server, port = int(argv[1]), argv[2], int(argv[3])
    settings = Settings.from_environment()
    as_served: dict[str, Any] = {
        "http": "api.connections:H11WithHeadDeadline",
        "h11_max_incomplete_event_size": settings.max_header_bytes,
        "timeout_keep_alive": settings.keep_alive_seconds,
        "limit_concurrency": settings.max_connections,
        "timeout_graceful_shutdown": settings.shutdown_seconds,
    }
    uvicorn.run(
        "bench.bare:app_from_environment",
        factory=True,
        host="127.0.0.1",
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
        **(as_served if server == "scrutiny" else {}),
    )


if __name__ == "__main__":
    main(sys.argv[1:])
