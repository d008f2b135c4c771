"""Earlier versions of submissions on a remote store, kept on the server (never on the client's
disk): the physical graph of a version a submit or a rebuild replaces stays as it is, and the
graph `<P history>` lists it (`<PHYS> :keeps <graph IRI> ; :sequence N ; :sha256 "..."`), so
no generation's drop takes it (remote/generations.py). The listing is the embedded store's
(store/history.py): the kept versions in the order they were kept, the live one last.

An entry is written under the write lock, before the new generation goes live; a run killed in
between leaves an entry naming the version that is still live (the same digest), which the
listing does not show twice and the next keep of that version reuses, as on the embedded store.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import URIRef

from citykg.rdf.canonical import canonical_order
from citykg.rdf.formats import ExportFormat
from citykg.rdf.iris import IRIs
from citykg.rdf.serialize import serialize_quads
from citykg.store.history import Version, city_graphs, listed_versions, no_such_city, numbered
from citykg.store.remote.client import SparqlClient
from citykg.store.remote.generations import KEEPS, TERMS, history_graph, live_iri, read_generation
from citykg.store.remote.locator import RemoteLocation
from citykg.store.remote.reading import RemoteStore

_SEQUENCE, _SHA256 = f"<{TERMS}sequence>", f"<{TERMS}sha256>"


@dataclass(frozen=True)
class Kept:
    """One kept version: its physical graph, the graph IRI it was, its place and its digest."""

    physical: str
    graph_iri: str
    sequence: int
    digest: str


def kept_versions(client: SparqlClient) -> list[Kept]:
    """Every kept version, by graph IRI and then in the order they were kept."""
    rows = client.rows(
        f"SELECT ?k ?g ?n ?d WHERE {{ GRAPH <{history_graph(client)}> "
        f"{{ ?k {KEEPS} ?g ; {_SEQUENCE} ?n ; {_SHA256} ?d }} }}"
    )
    found = [Kept(str(r["k"].value), str(r["g"].value), int(r["n"].value), str(r["d"].value)) for r in rows]
    return sorted(found, key=lambda k: (k.graph_iri, k.sequence))


def keep_remote(client: SparqlClient, live: RemoteStore, graph_iri: URIRef) -> str:
    """Keep the live version of `graph_iri` in the history (call it under the write lock, before
    the generation replacing it is made live); returns the physical graph that holds it."""
    physical = live.generation.physical(str(graph_iri))
    assert physical is not None, graph_iri
    digest = hashlib.sha256(_bytes(client, physical, graph_iri)).hexdigest()
    kept = [k for k in kept_versions(client) if k.graph_iri == str(graph_iri)]
    if kept and kept[-1].digest == digest:
        return kept[-1].physical  # kept by a run that was stopped before its generation went live
    number = max((k.sequence for k in kept), default=0) + 1
    client.update(
        f"INSERT DATA {{ GRAPH <{history_graph(client)}> {{ <{physical}> {KEEPS} <{graph_iri}> ; "
        f'{_SEQUENCE} {number} ; {_SHA256} "{digest}" }} }}'
    )
    return physical


def remote_versions(location: RemoteLocation, city: str, *, wave: int | None, iris: IRIs) -> list[Version]:
    """As store.history.versions, for a remote store: every version of `city`'s submissions."""
    return [version for version, _ in _listing(location, city, wave=wave, iris=iris)]


def remote_version_bytes(
    location: RemoteLocation, city: str, *, wave: int | None, number: int, iris: IRIs
) -> bytes:
    """One version (live or kept) of `city`'s submission, numbered as the listing numbers it, as
    the sorted N-Triples the history keeps (store.history.find_version, version_bytes)."""
    listing = _listing(location, city, wave=wave, iris=iris)
    found = numbered([version for version, _ in listing], city, number)
    return next(data for version, data in listing if version is found)


def _listing(
    location: RemoteLocation, city: str, *, wave: int | None, iris: IRIs
) -> list[tuple[Version, bytes]]:
    with SparqlClient(location) as client:
        live_name = live_iri(client)
        live = RemoteStore(client, read_generation(client, live_name)) if live_name else None
        kept = kept_versions(client)
        names = {URIRef(k.graph_iri) for k in kept} | set(live.named_graphs() if live else [])
        matches = city_graphs(city, iris)
        graphs = sorted(filter(matches, names)) if matches is not None else []
        if wave is not None:
            graphs = [g for g in graphs if g.rsplit("/", 1)[1] == str(wave)]
        if not graphs:
            raise no_such_city(city, wave)
        out: list[tuple[Version, bytes]] = []
        for graph_iri in graphs:
            physical = live.generation.physical(str(graph_iri)) if live is not None else None
            live_data = _bytes(client, physical, graph_iri) if physical is not None else None
            versions = [
                (_bytes(client, k.physical, graph_iri), None) for k in kept if k.graph_iri == str(graph_iri)
            ]
            listed = listed_versions(graph_iri, versions, live_data)
            data = [d for d, _ in versions][: len(listed) - (live_data is not None)]  # as listed
            out += zip(listed, [*data, *([live_data] if live_data is not None else [])], strict=True)
        return out


def _bytes(client: SparqlClient, physical: str, graph_iri: URIRef) -> bytes:
    """A kept version as the sorted N-Triples the embedded history keeps."""
    name = ox.NamedNode(str(graph_iri))
    quads = (ox.Quad(t.subject, t.predicate, t.object, name) for t in client.graph_triples(physical))
    return serialize_quads(canonical_order(quads), ExportFormat.NTRIPLES)
