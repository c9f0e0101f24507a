"""The programme file's JSON Schema (draft 2020-12), for editors' completion and checks.

Made from the model (`Programme`), by alias: the keys are the file's (a meeting's `date`, an
item's `with`). Pydantic's schema says what the model's types are; the file writes some of them
as text, so the schema says instead:
- the text forms, each with its pattern: a day `2025-01-22`, a range `FROM..TO`, a rough date
  (a day, a month, a range of either, or null), a time `"19:00"`, a month and day `04-01`, an id
  (a slug), an e-mail address;
- the short forms the model reads too: a meeting written as its day, `after` as one entry;
- each key's title and description in a clerk's words (`programme.meanings`); each entry's
  description from its model's docstring;
- defaults as the file writes them.

The schema checks shapes only: whether an id names a person or body of the file, and the
other cross-references, are for `scrutiny validate`. It declares draft 2020-12 and uses nothing
that draft-07 reads otherwise (VS Code's YAML extension validates by draft-07).
"""

from __future__ import annotations

import json
import re
from typing import Any, get_args

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from scheduler.programme import fields
from scheduler.programme.fields import DateRange, Rough
from scheduler.programme.meanings import MEANINGS
from scheduler.programme.model import Item, Meeting, Programme

DRAFT = "https://json-schema.org/draft/2020-12/schema"
TITLE = "Scrutiny programme file"

_DAY = r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
_MONTH = r"\d{4}-(0[1-9]|1[0-2])"
_DAY_OR_MONTH = f"({_DAY}|{_MONTH})"

DAY: JsonSchemaValue = {"type": "string", "pattern": f"^{_DAY}$"}
RANGE: JsonSchemaValue = {
    "type": "string",
    "pattern": f"^({_DAY}|({_DAY})?\\.\\.({_DAY})?)$",
    "description": "Dates FROM..TO, both days included (2024-08-01..2024-08-31); one end may be "
    "left open (2024-10-01..); a lone day is that day.",
}
ROUGH: JsonSchemaValue = {
    "type": ["string", "null"],
    "pattern": f"^{_DAY_OR_MONTH}(\\.\\.{_DAY_OR_MONTH})?$",
    "description": "A day (2025-01-22), a month (2025-01), a range of either (2025-01..2025-03), "
    "or null when it is not known yet.",
}
#: The strings the model checks by a validator of its own: the pattern each must match, the
#: validator's own where it has one (one source), else what its code checks.
_PATTERNS: dict[Any, str] = {
    get_args(fields.Slug)[1].func: fields._SLUG.pattern,
    get_args(fields.Email)[1].func: fields._EMAIL.pattern,
    get_args(fields.MonthDay)[1].func: r"^(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])$",  # 01 to 28
}
#: Keys that also take a single entry where the model keeps a list.
_ONE_OR_MORE = {(Item, "after")}
_DESIGN = re.compile(r"\s*\(DESIGN §[\d.]+\)")


class _FileSchema(GenerateJsonSchema):
    """Pydantic's JSON Schema generator, writing the file's text forms of the model's types."""

    def date_schema(self, schema: core_schema.DateSchema) -> JsonSchemaValue:
        return {**DAY, "description": "A day, YYYY-MM-DD."}

    def time_schema(self, schema: core_schema.TimeSchema) -> JsonSchemaValue:
        return {
            "type": "string",
            "pattern": fields._TIME.pattern,
            "description": '"HH:MM" (24-hour, in quotes).',
        }

    def function_after_schema(
        self, schema: core_schema.AfterValidatorFunctionSchema
    ) -> JsonSchemaValue:
        inner = super().function_after_schema(schema)
        pattern = _PATTERNS.get(schema["function"]["function"])
        return {**inner, "pattern": pattern} if pattern else inner

    def model_schema(self, schema: core_schema.ModelSchema) -> JsonSchemaValue:
        cls = schema["cls"]
        if cls is DateRange:
            return dict(RANGE)
        if cls is Rough:
            return dict(ROUGH)
        entry = super().model_schema(schema)
        entry["description"] = _described(cls)
        if cls is Meeting:  # the short form: just its day
            short = {**DAY, "description": "The meeting's day, YYYY-MM-DD (the short form)."}
            return {"anyOf": [short, entry]}
        return entry

    def encode_default(self, dft: Any) -> Any:
        if isinstance(dft, Rough):
            return str(dft) if dft.known else None
        if isinstance(dft, DateRange):
            return str(dft)
        if isinstance(dft, BaseModel):
            return dft.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        return super().encode_default(dft)


def _described(cls: type[BaseModel]) -> str:
    """A model's docstring's first paragraph on one line, without references to the design."""
    first = (cls.__doc__ or "").strip().split("\n\n")[0]
    return _DESIGN.sub("", " ".join(first.split()))


def programme_schema() -> dict[str, Any]:
    """The JSON Schema of a programme file, as a JSON-ready mapping."""
    schema = Programme.model_json_schema(by_alias=True, schema_generator=_FileSchema)
    definitions = schema.get("$defs", {})
    for model, keys in MEANINGS.items():
        entry = schema if model is Programme else definitions[model.__name__]
        properties = next(s for s in [entry, *entry.get("anyOf", [])] if "properties" in s)
        for key, (title, description) in keys.items():
            prop = properties["properties"][key]
            if (model, key) in _ONE_OR_MORE:
                prop = properties["properties"][key] = _one_or_more(prop)
            prop.update(title=title, description=description)
    return {"$schema": DRAFT, **schema, "title": TITLE}


def _one_or_more(prop: JsonSchemaValue) -> JsonSchemaValue:
    """A list key's schema that also takes one entry alone (`after: {event: x}`)."""
    listed = {k: v for k, v in prop.items() if k not in ("default", "title")}
    return {"anyOf": [prop["items"], listed], "default": prop.get("default", [])}


def schema_text() -> str:
    """The schema as the file `scrutiny schema` writes: JSON, indented, one final newline."""
    return json.dumps(programme_schema(), indent=2, ensure_ascii=False) + "\n"
