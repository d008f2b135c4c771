"""CSV submissions: one row per city and wave.

The header names field paths of the submission format (`city.name`, `goals`,
`teams[0].staff`, `partnerships.data[1].includes`). A cell of a list field holds several
values separated by `;` (MULTI_SEPARATOR). For a list of partnerships, a cell may list partner
labels directly (`partnerships.data` = `academia; think tanks`). Empty cells (and cells
missing at the end of a short row) are absent fields; a column without a name in the header
must stay empty. A UTF-8 BOM is ignored. Numbers and true/false are typed by the format's schema.
A list index in the header is below MAX_LIST_INDEX (`teams[999].staff` at most), and no column
may name a field inside another column's field (`city` with `city.name`).
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from citykg.errors import InputError
from citykg.model.document import Document, Origin
from citykg.model.schema import field_schema
from citykg.sources.common import shorten, whole_number

MULTI_SEPARATOR = ";"
MAX_LIST_INDEX = 999  # documented in docs/submission-format.md: at most 1,000 items per list
_PART = re.compile(r"[^.\[\]]+|\[\d+\]")
_INDEX = re.compile(r"\[(\d+)\]")


def read_csv(text: str, *, source: str) -> list[Document]:
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise InputError(
            f"CSV syntax error: {exc}",
            where=f"{source}:{reader.line_num}",
            hint="check the quotes on this line",
        ) from exc
    if not rows:
        raise InputError("CSV file is empty", where=source, hint="the first row names the fields")
    header = [cell.strip() for cell in rows[0]]
    for column, name in enumerate(header, start=1):
        if name and field_schema(name) is None:
            hint = "see docs/submission-format.md for the field names"
            if MULTI_SEPARATOR in name:
                hint = f"separate columns with commas; '{MULTI_SEPARATOR}' separates values within a cell"
            raise InputError(
                f"column {column} ('{name}') is not a field of the submission format",
                where=f"{source}, header, column {column}",
                hint=hint,
            )
    _check_header(header, source)
    documents = []
    # numbered as a spreadsheet shows them: the header is row 1
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise InputError(
                f"row has {len(row)} cells but the header names {len(header)} fields",
                where=f"{source}, row {number}",
                hint=f"quote cells that contain '{delimiter}'",
            )
        data: dict[str, Any] = {}
        origins: dict[str, Origin] = {"": Origin(source, row=number)}
        for column, (name, cell) in enumerate(zip(header, row, strict=False), start=1):
            cell = cell.strip()
            if not cell:
                continue
            if not name:
                raise InputError(
                    f"column {column} has a value but no field name in the header",
                    where=f"{source}, row {number}, column {column}",
                    hint="name the column in the header, or empty it",
                )
            origin = Origin(source, row=number, column=column, text=cell)
            value = _typed(name, cell, origin)
            put_field(data, name, value)
            origins[name] = origin
            if isinstance(value, list):
                for index, item in enumerate(value):
                    origins[f"{name}[{index}]"] = origin
                    if isinstance(item, dict):  # the partnerships shortcut
                        origins[f"{name}[{index}].partner"] = origin
        documents.append(Document(data=data, source=source, origins=origins))
    if not documents:
        raise InputError("CSV file has a header but no rows", where=source)
    return documents


def _check_header(header: list[str], source: str) -> None:
    """Refuse a field named twice, an index over MAX_LIST_INDEX and overlapping columns."""
    columns: dict[str, int] = {}
    for column, name in enumerate(header, start=1):
        if not name:
            continue
        where = f"{source}, header, column {column}"
        if name in columns:
            raise InputError(
                f"the header names a field twice, '{name}' (columns {columns[name]} and {column})",
                where=where,
            )
        for index in _INDEX.findall(name):
            if len(index) > len(str(MAX_LIST_INDEX)) or int(index) > MAX_LIST_INDEX:
                raise InputError(
                    f"column {column} ('{shorten(name)}') has the list index {shorten(index, 20)}, over "
                    f"the limit of {MAX_LIST_INDEX} (a list holds at most {MAX_LIST_INDEX + 1:,} items)",
                    where=where,
                    hint="number list items from 0 without gaps: teams[0].name, teams[1].name",
                )
        columns[name] = column
    for name, column in columns.items():
        parts = _PART.findall(name)
        for end in range(1, len(parts)):
            outer = "".join(p if p.startswith("[") or i == 0 else "." + p for i, p in enumerate(parts[:end]))
            if outer in columns:
                raise InputError(
                    f"column {column} ('{name}') is inside the field of column {columns[outer]} "
                    f"('{outer}'); a value cannot be both",
                    where=f"{source}, header, column {column}",
                    hint=f"keep either '{outer}' or the columns inside it",
                )


def _typed(name: str, cell: str, origin: Origin) -> Any:
    schema = field_schema(name) or {}
    kind = schema.get("type")
    if kind == "integer":
        if re.fullmatch(r"[-+]?[0-9]+", cell.replace(",", "")):
            return whole_number(cell.replace(",", ""), where=origin.describe())
        return cell  # left for the structure check to report with the field
    if kind == "boolean":
        lowered = cell.lower()
        return {"true": True, "false": False}.get(lowered, cell)
    if kind == "array":
        items = [item.strip() for item in cell.split(MULTI_SEPARATOR) if item.strip()]
        item_schema = schema.get("items", {})
        if item_schema.get("$ref") == "#/$defs/partnership":
            return [{"partner": item} for item in items]
        return items
    return cell


def put_field(data: dict[str, Any], path: str, value: Any) -> None:
    """Set the field at `path` (`teams[1].staff`) in `data`, creating groups and list items."""
    parts = _PART.findall(path)
    node: Any = data
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        nxt = None if last else parts[index + 1]
        if part.startswith("["):
            position = int(part[1:-1])
            while len(node) <= position:
                node.append({} if nxt and not nxt.startswith("[") else [])
            if last:
                node[position] = value
            else:
                node = node[position]
        else:
            if last:
                node[part] = value
            else:
                node = node.setdefault(part, [] if nxt and nxt.startswith("[") else {})
