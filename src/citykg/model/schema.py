"""The submission format's JSON Schema, built from the fields of shapes/submission-format.yaml
(shapes/submission.schema.json is a generated copy for editors): structure checks and the type
of each field path, for readers that only see strings (CSV)."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import TYPE_CHECKING, Any

from citykg.model.fields import Field, FieldType, children, submission_format

if TYPE_CHECKING:
    import jsonschema

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


_FIELD_PATH = re.compile(r"[^.\[\]\s]+(\[\d+\])*(\.[^.\[\]\s]+(\[\d+\])*)*")


def field_schema(path: str) -> dict[str, Any] | None:
    """The (resolved) schema of a field path such as `teams[0].staff`, or None if unknown.

    Only a well-formed path names a field: `.city`, `city..name` or `teams[0]staff` name none.
    """
    if not _FIELD_PATH.fullmatch(path):
        return None
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
    if _certainly_valid(submission_schema(), data):
        return []  # start-up time: jsonschema (0.04 s to import) only says what is wrong
    import jsonschema

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


#: keywords that do not constrain a value
_ANNOTATIONS = frozenset({"$schema", "$id", "$defs", "title", "description", "examples"})
#: JSON Schema's types as jsonschema checks them for Python values (bool is no integer)
_TYPES: dict[str, Any] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
}


def _certainly_valid(node: dict[str, Any], value: Any) -> bool:
    """True when `value` satisfies `node` by the keywords submission_schema writes (type,
    properties, required, additionalProperties false, items, $ref to its $defs); False when it
    does not, or when the schema or the value is anything else (a float for an integer, a
    date): jsonschema then decides, and says why."""
    for key, wanted in node.items():
        if key in _ANNOTATIONS:
            continue
        if key == "type":
            test = _TYPES.get(wanted) if isinstance(wanted, str) else None
            if test is None or not test(value):
                return False
        elif key == "$ref":
            if not (isinstance(wanted, str) and wanted.startswith("#/$defs/")):
                return False
            if not _certainly_valid(resolve({"$ref": wanted}), value):
                return False
        elif key == "required":
            if isinstance(value, dict) and any(name not in value for name in wanted):
                return False
        elif key == "properties":
            if isinstance(value, dict) and not all(
                _certainly_valid(inner, value[name]) for name, inner in wanted.items() if name in value
            ):
                return False
        elif key == "additionalProperties":
            known = node.get("properties", {})
            if wanted is not False or (isinstance(value, dict) and any(name not in known for name in value)):
                return False
        elif key == "items":
            if isinstance(value, list) and not all(_certainly_valid(wanted, item) for item in value):
                return False
        else:
            return False  # a keyword this check does not know
    return True


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
