"""Exports of the store: Turtle, N-Triples, N-Quads, TriG and JSON-LD, deterministic.

A `Selection` (selection.py) says what to export; its quads come sorted with canonical
blank-node labels, so the same store content gives the same bytes, also across two builds of
the same input. Formats without named graphs (Turtle, N-Triples, JSON-LD) get the union of the
selected graphs. JSON-LD carries citykg's context inline (any JSON-LD processor reads it with no
loader), or names the copy of a publication served from a download base; `frame=Frame.CITY`
gives one nested document per city. Files are written atomically: a failed export leaves the previous file.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from citykg.errors import InputError
from citykg.export.dcat import check_download_base, download_base_of
from citykg.export.selection import Selection, cities, find_cities, graphs_by_city, selected_quads
from citykg.files import check_output, write_output
from citykg.rdf.formats import ExportFormat, Frame, Profile
from citykg.rdf.iris import IRIs
from citykg.rdf.jsonld import ContextReference, context_reference
from citykg.rdf.jsonld_writer import Compactor, framed_city, framed_document
from citykg.rdf.serialize import serialize_quads
from citykg.store.generations import open_store
from citykg.store.graphs import GraphStore


def framed_cities(
    store: GraphStore, selection: Selection, *, iris: IRIs, jsonld_context: ContextReference | None = None
) -> bytes:
    """One nested JSON-LD document per selected city (all cities when none are named)."""
    chosen = find_cities(store, selection.cities) if selection.cities else cities(store)
    by_city = graphs_by_city(store)
    present = set(store.named_graphs())
    compactor = Compactor()
    documents = []
    for city in chosen:
        one = Selection(
            inferred=selection.inferred,
            cities=(str(city.iri),),
            terms=selection.terms,
            profile=selection.profile,
        )
        quads = selected_quads(store, one, iris=iris, graphs=by_city.get(city.iri, []), present=present)
        documents.append(framed_city(quads, str(city.iri), compactor=compactor, context_ref=jsonld_context))
    return framed_document(documents)


def export(
    store: GraphStore,
    fmt: ExportFormat,
    selection: Selection,
    *,
    iris: IRIs,
    frame: Frame | None = None,
    download_base: str | None = None,
) -> bytes:
    """The bytes of one export of an open store; JSON-LD names the context of a publication
    served from `download_base` if given, else carries it inline."""
    if download_base is not None and fmt is not ExportFormat.JSONLD:
        raise InputError(
            f"--download-base names the JSON-LD context; {fmt.value} has none",
            where="--download-base",
            hint="add -f jsonld, or leave out --download-base",
        )
    check_download_base(download_base, where="--download-base")
    jsonld_context = context_reference(download_base)
    if frame is not None:
        if fmt is not ExportFormat.JSONLD:
            raise InputError(
                f"framing needs JSON-LD output, not {fmt.value}",
                where="--frame",
                hint="add -f jsonld, or leave out --frame",
            )
        return framed_cities(store, selection, iris=iris, jsonld_context=jsonld_context)
    return serialize_quads(selected_quads(store, selection, iris=iris), fmt, jsonld_context=jsonld_context)


def export_store(
    store_path: Path,
    fmt: ExportFormat,
    *,
    iris: IRIs,
    selection: Selection | None = None,
    frame: Frame | None = None,
    include_inferred: bool = False,
    include_ontology: bool | None = None,
    cities: Iterable[str] = (),
    profile: Profile = Profile.FULL,
    output: Path | None = None,
    download_base: str | None = None,
) -> bytes:
    """Serialize a selection of the store; write it atomically to `output` if given.

    Give a `Selection`, or its parts as keywords (`include_ontology=None` means: the whole
    ontology for the whole graph, the concepts used when cities are chosen).
    """
    if selection is None:
        selection = Selection.of(
            inferred=include_inferred, ontology=include_ontology, cities=cities, profile=profile
        )
    if output is not None:
        check_output(output)  # before the work: a link, a device or a store file is refused
    store = open_store(store_path)
    data = export(
        store, fmt, selection, iris=iris, frame=frame, download_base=download_base_of(download_base)
    )
    if output is not None:
        write_output(output, data)
    return data
