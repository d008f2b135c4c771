"""Earlier versions of submissions, kept when a resubmission replaces them.

A superseded submission graph is kept as a sorted N-Triples file beside the store's
generations: `<store>/history/<country>/<city>/<wave>/<time>-<digest>.nt` (the same path as
its graph IRI `<base>graph/<country>/<city>/<wave>`). Outside the live store, no query and no
export sees it. The file is written before the new generation goes live; if the process dies in
between, the file holds a copy of the version that is still live (same digest), which the
listing recognises and does not show twice.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from citykg.errors import NoSuchVersion
from citykg.files import write_atomically
from citykg.rdf.canonical import canonical_order
from citykg.rdf.convert import graph_of
from citykg.rdf.formats import ExportFormat
from citykg.rdf.iris import IRIs, slug
from citykg.rdf.serialize import serialize_quads
from citykg.rdf.terms import PROV
from citykg.store.generations import open_store, store_exists
from citykg.store.graphs import GraphStore

HISTORY_DIR = "history"


@dataclass(frozen=True)
class Version:
    """One version of one city's submission for one wave."""

    number: int
    graph_iri: URIRef
    wave: int
    time: str
    sources: list[str]
    digest: str
    current: bool
    path: Path | None = None  # the history file (None for the live version)

    def as_json(self) -> dict[str, object]:
        return {
            "version": self.number,
            "graph": str(self.graph_iri),
            "wave": self.wave,
            "time": self.time,
            "sources": self.sources,
            "sha256": self.digest,
            "current": self.current,
        }


def graph_bytes(store: GraphStore, graph_iri: URIRef) -> bytes:
    """A stored graph as sorted N-Triples: the form history keeps and digests are taken of."""
    return serialize_quads(canonical_order(store.quads([graph_iri])), ExportFormat.NTRIPLES)


def keep(store_path: Path, store: GraphStore, graph_iri: URIRef, *, iris: IRIs) -> Path:
    """Save the live version of `graph_iri` into the history (before it is replaced)."""
    data = graph_bytes(store, graph_iri)
    graph = _parse(data)
    time = graph.value(graph_iri, PROV.generatedAtTime)
    stamp = re.sub(r"[^0-9TZ]", "", str(time or "00000000T000000"))[:15]
    digest = hashlib.sha256(data).hexdigest()
    target = _folder(store_path, graph_iri, iris) / f"{stamp}-{digest[:16]}.nt"
    if not target.exists():
        write_atomically(target, data)
    return target


def versions(
    store_path: Path, city: str, *, wave: int | None = None, iris: IRIs | None = None
) -> list[Version]:
    """Every version of `city`'s submissions (by name, slug or city IRI), oldest first per wave."""
    iris = iris or IRIs()
    graphs = _graphs_of(store_path, city, iris)
    if wave is not None:
        graphs = [g for g in graphs if g.rsplit("/", 1)[1] == str(wave)]
    if not graphs:
        raise NoSuchVersion(
            f"no submission for {city!r}" + (f" in the {wave} wave" if wave else "") + " in this store",
            hint="give the city's name as submitted, or its IRI",
        )
    live = open_store(store_path) if store_exists(store_path) else None
    out: list[Version] = []
    for graph_iri in graphs:
        entries: list[tuple[str, str, list[str], Path | None, bool]] = []
        live_digest = None
        if live is not None and graph_iri in live.named_graphs():
            data = graph_bytes(live, graph_iri)
            live_digest = hashlib.sha256(data).hexdigest()
            time, sources = describe_version(_parse(data), graph_iri)
            entries.append((time, live_digest, sources, None, True))
        folder = _folder(store_path, graph_iri, iris)
        for kept in sorted(folder.glob("*.nt")) if folder.is_dir() else []:
            data = kept.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            if digest == live_digest:
                continue  # left by a submit that was stopped before it went live
            time, sources = describe_version(_parse(data), graph_iri)
            entries.append((time, digest, sources, kept, False))
        entries.sort(key=lambda e: (e[4], e[0], e[1]))  # kept versions by time, the live one last
        wave_number = int(graph_iri.rsplit("/", 1)[1])
        for number, (time, digest, sources, path, current) in enumerate(entries, start=1):
            out.append(Version(number, graph_iri, wave_number, time, sources, digest, current, path))
    return out


def version_graph(store_path: Path, version: Version, *, iris: IRIs | None = None) -> Graph:
    """The graph of one version (live or kept)."""
    if version.path is not None:
        return _parse(version.path.read_bytes())
    return _parse(graph_bytes(open_store(store_path), version.graph_iri))


def find_version(store_path: Path, city: str, *, wave: int | None, number: int, iris: IRIs) -> Version:
    found = [v for v in versions(store_path, city, wave=wave, iris=iris) if v.number == number]
    if len(found) != 1:
        raise NoSuchVersion(
            f"no version {number}" if not found else f"version {number} exists for several waves",
            where=city,
            hint="list the versions with: citykg history CITY (add --wave WAVE to choose one wave)",
        )
    return found[0]


def _graphs_of(store_path: Path, city: str, iris: IRIs) -> list[URIRef]:
    """Graph IRIs (live or kept) of a city given by name or IRI."""
    prefix = iris.base + "id/city/"
    if city.startswith(prefix):
        country_slug, _, city_slug = city[len(prefix) :].partition("/")
    else:
        country_slug, city_slug = "*", slug(city)
    if not city_slug or "/" in city_slug:
        return []
    found: set[URIRef] = set()
    if store_exists(store_path):
        for graph in open_store(store_path).named_graphs():
            parts = str(graph)[len(iris.base) :].split("/")
            in_graphs = str(graph).startswith(iris.base + "graph/") and len(parts) == 4
            if in_graphs and parts[2] == city_slug and country_slug in ("*", parts[1]):
                found.add(graph)
    root = store_path / HISTORY_DIR
    if root.is_dir():
        for folder in root.glob(f"{country_slug}/{city_slug}/*"):
            if folder.is_dir():
                found.add(URIRef(iris.base + "graph/" + "/".join(folder.relative_to(root).parts)))
    return sorted(found)


def _folder(store_path: Path, graph_iri: URIRef, iris: IRIs) -> Path:
    parts = str(graph_iri)[len(iris.base + "graph/") :].split("/")
    if len(parts) != 3 or any(not p or p in (".", "..") for p in parts):
        raise ValueError(f"not a submission graph: {graph_iri}")
    return store_path.joinpath(HISTORY_DIR, *parts)


def _parse(data: bytes) -> Graph:
    return graph_of(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))


def describe_version(graph: Graph, graph_iri: URIRef) -> tuple[str, list[str]]:
    """When a submission graph was built and from which files, from its PROV-O description."""
    time = graph.value(graph_iri, PROV.generatedAtTime)
    sources = sorted(
        str(loc)
        for src in graph.objects(graph_iri, PROV.wasDerivedFrom)
        for loc in graph.objects(src, PROV.atLocation)
    )
    return (str(time) if time is not None else "unknown", sources)
