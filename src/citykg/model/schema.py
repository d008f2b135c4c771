"""The submission format's JSON Schema, built from the fields of shapes/submission-format.yaml
(shapes/submission.schema.json is a generated copy for editors): structure checks and the type
of each field path, for readers that only see strings (CSV)."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

import jsonschema

from citykg.model.fields import Field, FieldType, children, submission_format

_JSON_TYPES = {
    FieldType.TEXT: "string",
    FieldType.NARRATIVE: "string",
    FieldType.LABEL: "string",
    FieldType.COUNT: "integer",
    FieldType.YEAR: "integer",
    FieldType.BOOLEAN: "boolean",
}


@cache
def submission_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a submission document; shared groups are `$defs`."""
    fmt = submission_format()
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": fmt.id,
        "title": fmt.title,
        "description": fmt.description,
    }
    body = _group(fmt.fields, "")
    properties = body.pop("properties")
    schema |= body
    schema["$defs"] = {name: _group(fields, "") for name, fields in fmt.groups.items()}
    schema["properties"] = properties
    return schema


def schema_json() -> str:
    """shapes/submission.schema.json: the schema as editors read it."""
    return json.dumps(submission_schema(), indent=2, ensure_ascii=False) + "\n"


def _group(fields: tuple[Field, ...], path: str) -> dict[str, Any]:
    inside = children(fields, path)
    node: dict[str, Any] = {"type": "object", "additionalProperties": False}
    required = [f.name for f in inside if f.required]
    if required:
        node["required"] = required
    node["properties"] = {f.name: _node(fields, f) for f in inside}
    return node


def _node(fields: tuple[Field, ...], field: Field) -> dict[str, Any]:
    node: dict[str, Any] = {"description": field.description}
    if field.type is FieldType.GROUP:
        return node | _group(fields, field.path)
    if field.type is FieldType.GROUPS:
        items = {"$ref": f"#/$defs/{field.group}"} if field.group else _group(fields, field.path)
        return node | {"type": "array", "items": items}
    if field.type.is_list:
        node |= {"type": "array", "items": {"type": "string"}}
    else:
        node["type"] = _JSON_TYPES[field.type]
    return node | {"examples": [field.example]}


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return resolve(submission_schema()["$defs"][ref.removeprefix("#/$defs/")])
    return node


def field_schema(path: str) -> dict[str, Any] | None:
    """The (resolved) schema of a field path such as `teams[0].staff`, or None if unknown."""
    node = resolve(submission_schema())
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        if part.startswith("["):
            if node.get("type") != "array":
                return None
            node = resolve(node.get("items", {}))
            continue
        properties = node.get("properties", {})
        if part not in properties:
            return None
        node = resolve(properties[part])
    return node


def known_fields() -> list[str]:
    """Every leaf field path of the format, lists written as `[]`."""
    return [f.path for f in submission_format().leaves()]


def structure_errors(data: Any) -> list[tuple[str, Any, str]]:
    """(field path, offending value, plain-words message) for each structural problem."""
    validator = jsonschema.Draft202012Validator(submission_schema())
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        path = ""
        for part in error.absolute_path:
            path = f"{path}[{part}]" if isinstance(part, int) else (f"{path}.{part}" if path else part)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = sorted(resolve(error.schema).get("properties", {}))
            for extra in [key for key in error.instance if key not in allowed]:
                problems.append(
                    (
                        f"{path}.{extra}" if path else extra,
                        None,
                        f"unknown field '{extra}'; known fields here: {', '.join(allowed)}",
                    )
                )
            continue
        problems.append((path, error.instance, _plain(error)))
    return problems


def _plain(error: jsonschema.ValidationError) -> str:
    validator_value: Any = error.validator_value
    instance: Any = error.instance
    kinds = {
        "string": "text",
        "integer": "a whole number",
        "boolean": "true or false",
        "array": "a list",
        "object": "a group of fields",
        "number": "a number",
    }
    if error.validator == "type":
        wanted = [
            str(w) for w in (validator_value if isinstance(validator_value, list) else [validator_value])
        ]
        wanted_words = " or ".join(kinds.get(w, w) for w in wanted)
        return f"must be {wanted_words}, not {_describe(instance)}"
    if error.validator == "required":
        missing = [m for m in validator_value if m not in (instance or {})]
        return f"required field missing: {', '.join(missing)}"
    return str(error.message)


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    if value is None:
        return "empty"
    if isinstance(value, str):
        return f"the text {value!r}"
    return repr(value)
