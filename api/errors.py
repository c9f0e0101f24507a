"""The service's answers for what went wrong; never a traceback, never a 500 for bad input."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from scheduler.errors import Problem


def request_problems(errors: Iterable[Mapping[str, Any]]) -> list[Problem]:
    """pydantic's errors about a request, as located problems ("body.time_limit: ...")."""
    return [
        Problem(
            "request",
            (n,),
            ".".join(str(step) for step in e["loc"]),
            e["msg"].removeprefix("Value error, "),
        )
        for n, e in enumerate(errors)
    ]


class ApiError(Exception):
    """An answer other than success: status code and a plain-words detail."""

    status = 400

    def __init__(self, detail: str, problems: list[Problem] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.problems = problems or []


class NotFound(ApiError):
    status = 404


class Conflict(ApiError):
    """The request is sound but the state forbids it now (a job running, a stale plan)."""

    status = 409


class Stale(ApiError):
    """If-Match named a version that is no longer the current one: somebody else edited."""

    status = 412


class PreconditionRequired(ApiError):
    """An edit without If-Match: the service will not guess what it was made against."""

    status = 428


class Unauthorized(ApiError):
    status = 401


class Forbidden(ApiError):
    """Signed in, but the account's role (or the programmes given to it) does not allow this."""

    status = 403


class Invalid(ApiError):
    """A request whose fields are well formed but name what does not exist (422)."""

    status = 422


class TooLarge(ApiError):
    status = 413


class UnsupportedMedia(ApiError):
    status = 415
