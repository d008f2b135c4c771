"""Earlier versions of submissions, kept when a resubmission replaces them.

A superseded submission graph is kept as a sorted N-Triples file beside the store's
generations: `<store>/history/<country>/<city>/<wave>/<sequence>-<digest>.nt` (the same path as
its graph IRI `<base>graph/<country>/<city>/<wave>`). Outside the live store, no query and no
export sees it. The sequence number counts the versions kept for that graph, in the order they
were replaced: it is assigned under the build lock (build and submit call `keep` there), so the
history lists versions in the order they landed whatever the clock says. Files written by
citykg 0.1 are named `<time>-<digest>.nt` (the build time to the second); they are read too, and
listed before the numbered ones, by that time.

The file is written before the new generation goes live; if the process dies in between, the
file holds a copy of the version that is still live (same digest), which the listing recognises
and does not show twice, and which the next `keep` of that version reuses.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
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
SEQUENCE_DIGITS = 6  # zero-padded, so that a listing of the folder reads in order too
_NUMBERED = re.compile(r"([0-9]+)-[0-9a-f]+\.nt")


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
    """Save the live version of `graph_iri` into the history (before it is replaced).

    Call it under the build lock: the file's sequence number is one more than the last one kept.
    """
    data = graph_bytes(store, graph_iri)
    digest = hashlib.sha256(data).hexdigest()
    kept = _kept_files(_folder(store_path, graph_iri, iris))
    if kept and kept[-1].name.endswith(f"-{digest[:16]}.nt"):
        return kept[-1]  # kept by a run that was stopped before its generation went live
    last = max((_sequence(path) or 0 for path in kept), default=0)
    target = _folder(store_path, graph_iri, iris) / f"{last + 1:0{SEQUENCE_DIGITS}d}-{digest[:16]}.nt"
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
        raise no_such_city(city, wave)
    live = open_store(store_path) if store_exists(store_path) else None
    out: list[Version] = []
    for graph_iri in graphs:
        live_data = graph_bytes(live, graph_iri) if live is not None and live.has_graph(graph_iri) else None
        kept = _kept_files(_folder(store_path, graph_iri, iris))
        out += listed_versions(graph_iri, [(path.read_bytes(), path) for path in kept], live_data)
    return out


def listed_versions(
    graph_iri: URIRef, kept: Sequence[tuple[bytes, Path | None]], live_data: bytes | None
) -> list[Version]:
    """The versions of one graph: the `kept` ones (their bytes, and their file if any) in the
    order they were kept, then the live one (`live_data`, if the store holds the graph)."""
    kept = list(kept)
    if live_data is not None and kept and kept[-1][0] == live_data:
        kept.pop()  # left by a run that was stopped before its generation went live
    entries: list[tuple[bytes, Path | None, bool]] = [(data, path, False) for data, path in kept]
    if live_data is not None:
        entries.append((live_data, None, True))
    wave_number = int(graph_iri.rsplit("/", 1)[1])
    out: list[Version] = []
    for number, (data, path, current) in enumerate(entries, start=1):
        time, sources = describe_version(parse_version(data), graph_iri)
        digest = hashlib.sha256(data).hexdigest()
        out.append(Version(number, graph_iri, wave_number, time, sources, digest, current, path))
    return out


def no_such_city(city: str, wave: int | None) -> NoSuchVersion:
    return NoSuchVersion(
        f"no submission for {city!r}" + (f" in the {wave} wave" if wave else "") + " in this store",
        hint="give the city's name as submitted, or its IRI",
    )


def version_bytes(store_path: Path, version: Version) -> bytes:
    """One version (live or kept) as the sorted N-Triples history keeps."""
    if version.path is not None:
        return version.path.read_bytes()
    return graph_bytes(open_store(store_path), version.graph_iri)


def version_graph(store_path: Path, version: Version) -> Graph:
    """The graph of one version (live or kept)."""
    return parse_version(version_bytes(store_path, version))


def find_version(store_path: Path, city: str, *, wave: int | None, number: int, iris: IRIs) -> Version:
    return numbered(versions(store_path, city, wave=wave, iris=iris), city, number)


def numbered(listed: Sequence[Version], city: str, number: int) -> Version:
    """The version numbered `number` among a city's `listed` versions (of one wave)."""
    found = [v for v in listed if v.number == number]
    if len(found) != 1:
        raise NoSuchVersion(
            f"no version {number}" if not found else f"version {number} exists for several waves",
            where=city,
            hint="list the versions with: citykg history CITY (add --wave WAVE to choose one wave)",
        )
    return found[0]


def _graphs_of(store_path: Path, city: str, iris: IRIs) -> list[URIRef]:
    """Graph IRIs (live or kept) of a city given by name or IRI."""
    matches = city_graphs(city, iris)
    if matches is None:
        return []
    found = set(filter(matches, open_store(store_path).named_graphs())) if store_exists(store_path) else set()
    city_slug = slug(city) if not city.startswith(iris.base + "id/city/") else city.rsplit("/", 1)[1]
    for country, wave in _kept_waves(store_path / HISTORY_DIR, city_slug):
        graph = URIRef(f"{iris.base}graph/{country}/{city_slug}/{wave}")
        if matches(graph):
            found.add(graph)
    return sorted(found)


def city_graphs(city: str, iris: IRIs) -> Callable[[URIRef], bool] | None:
    """Which submission graph IRIs are those of a city given by name (any country) or IRI
    (None for a name no graph can have)."""
    prefix = iris.base + "id/city/"
    country_slug: str | None = None  # a name: any country
    if city.startswith(prefix):
        country_slug, _, city_slug = city[len(prefix) :].partition("/")
    else:
        city_slug = slug(city)
    if not city_slug or "/" in city_slug:
        return None

    def matches(graph: URIRef) -> bool:
        parts = str(graph)[len(iris.base) :].split("/")
        in_graphs = str(graph).startswith(iris.base + "graph/") and len(parts) == 4
        return in_graphs and parts[2] == city_slug and country_slug in (None, parts[1])

    return matches


def _kept_waves(root: Path, city_slug: str) -> list[tuple[str, str]]:
    """(country, wave) of the history folders of the city `city_slug`, matched by name,
    literally: no pattern, and no name that leaves the history folder."""
    if city_slug in (".", "..") or not root.is_dir():
        return []
    return [
        (country.name, wave.name)
        for country in root.iterdir()
        if country.is_dir() and not country.is_symlink()
        for city in country.iterdir()
        if city.name == city_slug and city.is_dir() and not city.is_symlink()
        for wave in city.iterdir()
        if wave.is_dir() and not wave.is_symlink()
    ]


def _kept_files(folder: Path) -> list[Path]:
    """The history files in `folder`, oldest first: 0.1's `<time>-<digest>.nt` files by their
    time, then the numbered ones by number."""
    if not folder.is_dir():
        return []

    def order(path: Path) -> tuple[int, int, str]:
        number = _sequence(path)
        return (0, 0, path.name) if number is None else (1, number, path.name)

    return sorted(folder.glob("*.nt"), key=order)


def _sequence(path: Path) -> int | None:
    """The sequence number in a history file's name (None for a file named by its time)."""
    match = _NUMBERED.fullmatch(path.name)
    return int(match.group(1)) if match else None


def _folder(store_path: Path, graph_iri: URIRef, iris: IRIs) -> Path:
    parts = str(graph_iri)[len(iris.base + "graph/") :].split("/")
    if len(parts) != 3 or any(not p or p in (".", "..") for p in parts):
        raise ValueError(f"not a submission graph: {graph_iri}")
    return store_path.joinpath(HISTORY_DIR, *parts)


def parse_version(data: bytes) -> Graph:
    """A version's sorted N-Triples as a graph."""
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
