"""Reading a programme: the file or text, its shapes (pydantic), then its cross-references.

`load_programme` is the one entry point for files and `parse_programme` for text; both raise
`ProgrammeError` with every problem found, located and in file order.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from scheduler.errors import Problem, ProgrammeError, shown
from scheduler.programme.model import Programme
from scheduler.programme.references import check_references
from scheduler.programme.source import Source, parse_source, read_source
from scheduler.programme.unhurried import collecting_after


def load_programme(path: str | Path, display: str | None = None) -> Programme:
    """Read and validate a programme file (YAML, or JSON by extension).

    Raises:
        ProgrammeError: with every problem found, each naming file, path and entry.
    """
    source = read_source(path, display)
    if isinstance(source, Problem):
        raise ProgrammeError([source])
    return programme_from_source(source)


def parse_programme(text: str, name: str, trusted: bool = False) -> Programme:
    """Validate a programme given as text (the API's uploads); `name` is shown in messages.
    `trusted`: a stored version or an edit of one (`parse_source`)."""
    return read_programme(text, name, trusted)[0]


def read_programme(text: str, name: str, trusted: bool = False) -> tuple[Programme, Source]:
    """`parse_programme`, with the file as it was read (the data of its entries as written)."""
    with collecting_after():
        source = parse_source(text, name, trusted)
        if isinstance(source, Problem):
            raise ProgrammeError([source])
        return programme_from_source(source), source


M = TypeVar("M", bound=BaseModel)


def validated(source: Source, model: type[M], not_a_mapping: str) -> M:
    """`source`'s data as `model`, every shape and type problem located.

    Raises:
        ProgrammeError: when the data is not a mapping (`not_a_mapping` says what it must be),
            or does not fit the model.
    """
    if not isinstance(source.data, dict):
        raise ProgrammeError([source.problem((), not_a_mapping)])
    try:
        return model.model_validate(source.data)
    except ValidationError as err:
        raise ProgrammeError(shape_problems(source, err)) from None


def programme_from_source(source: Source) -> Programme:
    """Validate already-read data: shapes and types first, then cross-references."""
    programme = validated(source, Programme, "the top level must be a mapping of keys")
    problems = [source.problem(path, message) for path, message in check_references(programme)]
    if problems:
        raise ProgrammeError(problems)
    return programme


def shape_problems(source: Source, err: ValidationError) -> list[Problem]:
    """Turn pydantic's errors into located problems, one per path."""
    seen: dict[tuple[str | int, ...], Problem] = {}
    for error in err.errors():
        path, message = _located(source.data, error)
        if path not in seen:
            seen[path] = source.problem(path, message)
    return list(seen.values())


def _located(data: Any, error: Any) -> tuple[tuple[str | int, ...], str]:
    """The real path of a pydantic error in the raw data, and a plain message."""
    path: list[str | int] = []
    node = data
    loc = error["loc"]
    if error["type"] == "extra_forbidden":
        loc, extra = loc[:-1], loc[-1]
    for step in loc:
        if (isinstance(node, dict) and step in node) or (
            isinstance(node, list) and isinstance(step, int) and step < len(node)
        ):
            node = node[step]
        elif error["type"] == "missing" and step == loc[-1]:
            return tuple(path), f"'{step}' is required"
        else:
            continue  # a union or validator tag, not a place in the file
        path.append(step)
    if error["type"] == "extra_forbidden":
        return tuple(path), f"unknown key '{extra}'"
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] not in ("value_error", "assertion_error"):
        message = f"{message[0].lower()}{message[1:]} (got {shown(error['input'])})"
    return tuple(path), message
