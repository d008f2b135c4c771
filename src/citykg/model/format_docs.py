"""The field table of docs/submission-format.md, made from shapes/submission-format.yaml.

The rest of that page is written by hand; the table sits between two marker lines and is
replaced by `make docs` (citykg.queries.reference).
"""

from __future__ import annotations

from typing import Any

from rdflib.namespace import SKOS

from citykg.errors import CityKGError
from citykg.model.fields import Field, FieldType, children, submission_format
from citykg.model.vocabulary import load_vocabulary
from citykg.resources import project_root

FORMAT_DOC = "docs/submission-format.md"
BEGIN = "<!-- generated from shapes/submission-format.yaml by `make docs`: edit that file, not this table -->"
END = "<!-- end of the generated field table -->"
_WORDS = {
    FieldType.TEXT: "text",
    FieldType.NARRATIVE: "long text",
    FieldType.LABEL: "label",
    FieldType.TEXTS: "list of text",
    FieldType.LABELS: "list of labels",
    FieldType.COUNT: "whole number",
    FieldType.YEAR: "year",
    FieldType.BOOLEAN: "true/false",
    FieldType.GROUP: "group",
    FieldType.GROUPS: "list of groups",
}


def fields_table() -> str:
    """The markdown table of every field: path, type, meaning, an example, the RDF property."""
    fmt = submission_format()
    out = [
        "| field | type | meaning | example | in the graph |",
        "| --- | --- | --- | --- | --- |",
    ]
    for field in fmt.fields:
        properties = ", ".join(f"`{p}`" for p in field.properties)
        out.append(
            f"| `{field.path}` | {_kind(fmt.fields, field)} | {_cell(field.description)} "
            f"| {_example(field)} | {properties} |"
        )
    return "\n".join(out) + "\n"


def submission_format_markdown() -> str:
    """docs/submission-format.md as it is, with the field table generated anew."""
    path = project_root() / FORMAT_DOC
    return with_table(path.read_text(encoding="utf-8"), where=str(path))


def with_table(text: str, *, where: str) -> str:
    """`text` with what lies between the marker lines replaced by the field table."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise CityKGError(
            "the page has no place for the field table",
            where=where,
            hint=f"put the lines {BEGIN!r} and {END!r} where the table goes",
        )
    return text[: start + len(BEGIN)] + "\n\n" + fields_table() + "\n" + text[end:]


def _kind(fields: tuple[Field, ...], field: Field) -> str:
    words = _WORDS[field.type]
    if field.type.is_group:
        words += " `{" + ", ".join(f.name for f in children(fields, field.path)) + "}`"
    if field.scheme is not None:
        name = load_vocabulary().graph.value(field.scheme.iri, SKOS.prefLabel)
        words += f" ({name or field.scheme.value})"
    return words + (", required" if field.required else "")


def _example(field: Field) -> str:
    if field.type.is_group:
        return ""
    return f"`{_cell(_flow(field.example))}`"


def _flow(value: Any) -> str:
    """A value as YAML's flow style writes it: `[a, b]`, `true`, `2020`, `Helsinki`."""
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
