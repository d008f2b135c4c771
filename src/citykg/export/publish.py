"""`citykg publish DIR`: every export plus its DCAT and VoID description, in one folder to upload.

The folder is written next to DIR under a temporary name and then swapped in, so a failed run
leaves the previous publication as it was; only a publication citykg recognises as its own is
replaced (see publication_folder.py). Publications use the public profile by default
(no e-mail addresses or telephone numbers of people).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from citykg.errors import InputError
from citykg.export.dcat import (
    Coverage,
    Description,
    PublishedFile,
    Publisher,
    coverage,
    describe,
    download_base_of,
    turtle,
    void,
)
from citykg.export.publication_folder import replace_folder
from citykg.export.selection import Selection, selected_quads
from citykg.export.serializers import framed_cities
from citykg.progress import SILENT, Progress
from citykg.rdf.formats import ExportFormat, Profile
from citykg.rdf.iris import IRIs
from citykg.rdf.jsonld import FRAME_CITY_FILE, PUBLISHED_CONTEXT_FILE, context_path, context_reference
from citykg.rdf.serialize import serialize_quads
from citykg.resources import ontology_dir
from citykg.sources.common import decode_utf8, read_bytes
from citykg.sources.documents import read_json, read_yaml
from citykg.store.generations import open_store
from citykg.store.graphs import GraphStore

CATALOG = "catalog.ttl"
VOID_FILE = "void.ttl"

_DATA_FILES: list[tuple[str, ExportFormat, str]] = [
    ("citykg.ttl", ExportFormat.TURTLE, "The knowledge graph in Turtle"),
    ("citykg.nt", ExportFormat.NTRIPLES, "The knowledge graph in N-Triples"),
    ("citykg.nq", ExportFormat.NQUADS, "The knowledge graph in N-Quads, one named graph per submission"),
    ("citykg.trig", ExportFormat.TRIG, "The knowledge graph in TriG, one named graph per submission"),
    ("citykg.jsonld", ExportFormat.JSONLD, "The knowledge graph in JSON-LD (flat, citykg context)"),
]
CITIES_FILE = "citykg-cities.jsonld"
#: the files of a publication: the data files, the cities, the context, the frame, catalog and VoID
FILE_COUNT = len(_DATA_FILES) + 5


@dataclass
class Publication:
    folder: Path
    files: list[str] = field(default_factory=list)
    triples: int = 0
    cities: int = 0


def publish(
    store_path: Path,
    folder: Path,
    *,
    iris: IRIs,
    about: Description | None = None,
    selection: Selection | None = None,
    progress: Progress = SILENT,
) -> Publication:
    """Write every export, the context, the frame, the DCAT catalog and VoID into `folder`;
    `progress` is told of the stages: selecting (the store read), writing (the files), and
    `done` at the end, however it ends (as a build does)."""
    about = about or Description()
    about.check()
    selection = selection or Selection(profile=Profile.PUBLIC)
    store = open_store(store_path)
    result = Publication(folder)

    def fill(target: Path) -> None:
        _fill(store, target, selection=selection, about=about, iris=iris, result=result, progress=progress)

    try:
        replace_folder(folder, fill, known=_known_file)
    finally:
        progress.done()
    return result


def _fill(
    store: GraphStore,
    target: Path,
    *,
    selection: Selection,
    about: Description,
    iris: IRIs,
    result: Publication,
    progress: Progress,
) -> None:
    progress.stage("selecting")
    quads = selected_quads(store, selection, iris=iris)
    progress.stage("writing", FILE_COUNT)
    files: list[PublishedFile] = []
    jsonld_context = context_reference(about.download_base)  # inline unless the folder's URL is known

    def write(item: PublishedFile) -> None:
        files.append(item)
        (target / item.name).write_bytes(item.data)
        progress.advance()

    for name, fmt, title in _DATA_FILES:
        write(PublishedFile(name, fmt, title, serialize_quads(quads, fmt, jsonld_context=jsonld_context)))
    framed = framed_cities(store, selection, iris=iris, jsonld_context=jsonld_context)
    write(
        PublishedFile(
            CITIES_FILE, ExportFormat.JSONLD, "One nested JSON-LD document per city (framed)", framed
        )
    )
    result.cities = len(json.loads(framed))
    shutil.copyfile(context_path(), target / PUBLISHED_CONTEXT_FILE)
    shutil.copyfile(ontology_dir() / FRAME_CITY_FILE, target / FRAME_CITY_FILE)
    progress.advance(2)
    published = ox.Store()
    published.bulk_extend(quads)
    cover: Coverage = coverage(published)
    catalog = describe(files, cover, about, iris=iris)
    (target / CATALOG).write_bytes(turtle(catalog, download_base=about.download_base))
    progress.advance()
    statistics = void(quads, files, iris=iris, download_base=about.download_base)
    (target / VOID_FILE).write_bytes(turtle(statistics, download_base=about.download_base))
    progress.advance()
    result.triples = len({q.triple for q in quads})
    result.files = sorted(p.name for p in target.iterdir())


def _known_file(name: str) -> bool:
    """A name citykg 0.1 wrote into a publication (they had no manifest)."""
    data = {file for file, _, _ in _DATA_FILES}
    return name in {*data, CITIES_FILE, FRAME_CITY_FILE, CATALOG, VOID_FILE} or (
        name.startswith("context-") and name.endswith(".jsonld")
    )


# ------------------------------------------------------------------ the publisher's settings

_KEYS = {"title", "description", "publisher", "licence", "keywords", "download_base", "issued"}


def load_description(path: Path | None, **overrides: Any) -> Description:
    """Settings from a small YAML or JSON file (all keys optional), then command-line overrides."""
    about = Description()
    if path is not None:
        about = _from_file(path)
    changes = {k: v for k, v in overrides.items() if v is not None}
    publisher_name = changes.pop("publisher_name", None)
    publisher_iri = changes.pop("publisher_iri", None)
    if publisher_name or publisher_iri:
        changes["publisher"] = Publisher(
            publisher_name or about.publisher.name, publisher_iri or about.publisher.iri
        )
    if "download_base" in changes:
        changes["download_base"] = download_base_of(str(changes["download_base"]))
    about = replace(about, **changes)
    about.check()
    return about


def _from_file(path: Path) -> Description:

    text = decode_utf8(read_bytes(path), str(path))
    reader = read_json if path.suffix.lower() == ".json" else read_yaml
    documents = reader(text, source=str(path))
    data = documents[0].data if documents else {}
    if not isinstance(data, dict):
        raise InputError("the publication settings must be a mapping of keys", where=str(path))
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise InputError(
            f"unknown setting {unknown[0]!r}",
            where=str(path),
            hint=f"known settings: {', '.join(sorted(_KEYS))}",
        )
    publisher = data.get("publisher") or {}
    if isinstance(publisher, str):
        publisher = {"name": publisher}
    if not isinstance(publisher, dict) or set(publisher) - {"name", "iri"}:
        raise InputError("publisher must be a name or {name, iri}", where=f"{path}: publisher")
    values: dict[str, Any] = {k: v for k, v in data.items() if k != "publisher"}
    for key, value in values.items():
        if key == "keywords":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise InputError("keywords must be a list of words", where=f"{path}: keywords")
            values[key] = tuple(value)
        elif not isinstance(value, str):
            raise InputError(f"{key} must be text", where=f"{path}: {key}")
    if "download_base" in values:
        values["download_base"] = download_base_of(values["download_base"])
    defaults = Publisher()
    return Description(
        **values,
        publisher=Publisher(publisher.get("name", defaults.name), publisher.get("iri")),
    )
