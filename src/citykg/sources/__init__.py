"""Readers: every input format becomes submission documents with the origin of each value."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from citykg.document import Document
from citykg.errors import InputError
from citykg.formats import InputFormat
from citykg.mapping import Source
from citykg.sources.common import decode_utf8, read_bytes
from citykg.sources.documents import read_json, read_yaml
from citykg.sources.tabular import read_csv

DOCUMENT_SUFFIXES = (".yaml", ".yml", ".json", ".csv", ".txt")


@dataclass(frozen=True)
class Submission:
    """One document read from a file, with the file's identity for provenance."""

    document: Document
    source: Source


def expand(paths: list[Path]) -> list[Path]:
    """Files as given, and the submission files below folders, in a stable order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in DOCUMENT_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                raise InputError(
                    "folder holds no submission files",
                    where=str(path),
                    hint="submissions end in " + ", ".join(DOCUMENT_SUFFIXES),
                )
            files.extend(found)
        else:
            files.append(path)
    return files


def read_file(path: Path, *, fmt: InputFormat | None = None) -> list[Submission]:
    data = read_bytes(path)
    source = Source(location=str(path), sha256=hashlib.sha256(data).hexdigest())
    return [
        Submission(doc, source)
        for doc in read_documents(data, source=str(path), fmt=fmt or InputFormat.from_path(path))
    ]


def read_documents(data: bytes, *, source: str, fmt: InputFormat) -> list[Document]:
    """The documents in `data`, read as `fmt`."""
    if fmt is InputFormat.TEXT:
        from citykg.sources.text import read_text_bytes

        return [read_text_bytes(data, source=source).document]
    if fmt in (InputFormat.TURTLE, InputFormat.JSONLD):
        raise InputError(
            "RDF submissions are not supported yet", where=source, hint="submit YAML, JSON or CSV"
        )
    text = decode_utf8(data, source)
    if fmt is InputFormat.YAML:
        return read_yaml(text, source=source)
    if fmt is InputFormat.JSON:
        return read_json(text, source=source)
    return read_csv(text, source=source)


def read_paths(paths: list[Path]) -> list[Submission]:
    return [submission for path in expand(paths) for submission in read_file(path)]
