"""The dataset describes itself: a DCAT catalog (DCAT-AP 3) and a VoID description.

`describe()` builds the DCAT graph for the files of a publication: one distribution per file,
with media type, EU file type, download location (relative to the publication folder unless a
download base is given), size, checksum, licence, publisher, dates, spatial coverage (the
countries of the cities) and temporal coverage (the survey waves). `void()` computes the VoID
statistics of the published quads with SPARQL. Both graphs are small; they are written as
Turtle through pyoxigraph so the bytes are stable.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from citykg.errors import InputError
from citykg.rdf.convert import quads_of
from citykg.rdf.formats import ExportFormat
from citykg.rdf.iris import IRIs, slug
from citykg.rdf.terms import (
    CATALOG_PREFIXES,
    CKG,
    DCAT,
    DCTERMS,
    FILE_TYPE,
    FOAF,
    LICENCE,
    ONTOLOGY_IRI,
    PROV,
    RDF,
    SCHEMA,
    SKOS,
    SPDX,
    VOID,
    XSD,
    turtle_prefixes,
)

IANA = "https://www.iana.org/assignments/media-types/"
RELATIVE_BASE = "file:///citykg-publication/"
"""Stands for 'the folder this catalog is in' while the graph is built; never written out."""

LICENCES = {
    "CC-BY-4.0": LICENCE["CC_BY_4_0"],
    "CC-BY-SA-4.0": LICENCE["CC_BYSA_4_0"],
    "CC0-1.0": LICENCE["CC0"],
    "ODC-BY-1.0": LICENCE["ODC_BY"],
    "ODbL-1.0": LICENCE["ODC_BL"],
}

_FILE_TYPES = {
    ExportFormat.TURTLE: "RDF_TURTLE",
    ExportFormat.NTRIPLES: "RDF_N_TRIPLES",
    ExportFormat.NQUADS: "RDF_N_QUADS",
    ExportFormat.TRIG: "RDF_TRIG",
    ExportFormat.JSONLD: "JSON_LD",
}


@dataclass(frozen=True)
class Publisher:
    name: str = "citykg"
    iri: str | None = None


@dataclass(frozen=True)
class Description:
    """What a publisher says about the dataset (see `citykg publish --help` and docs/publishing.md)."""

    title: str = "City innovation profiles"
    description: str = (
        "Innovation capacity profiles of cities (goals, teams, partnerships, funding, targets) "
        "from the city innovation survey, as a knowledge graph with its ontology and vocabularies."
    )
    publisher: Publisher = field(default_factory=Publisher)
    licence: str = "CC-BY-4.0"
    keywords: tuple[str, ...] = ("cities", "innovation", "local government", "linked data")
    download_base: str | None = None
    issued: str | None = None  # ISO date or date-time; default: the date of the data

    def licence_iri(self) -> URIRef:
        known_ids = {key.upper(): iri for key, iri in LICENCES.items()}
        if self.licence.upper() in known_ids:
            return known_ids[self.licence.upper()]
        if self.licence.startswith(("http://", "https://")):
            return URIRef(self.licence)
        known = ", ".join(sorted(LICENCES))
        raise InputError(
            f"unknown licence {self.licence!r}",
            where="licence",
            hint=f"use one of {known}, or the licence's IRI",
        )

    def check(self) -> None:
        """Refuse settings a portal could not use (an unknown licence, a download base that is no URL)."""
        self.licence_iri()
        check_download_base(self.download_base)


def check_download_base(base: str | None, *, where: str = "download_base") -> None:
    """Refuse a download base that is not an http(s) URL ending in "/"."""
    if base is not None and not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+/", base):
        raise InputError(
            f"download base {base!r} is not an http(s) URL",
            where=where,
            hint="give the URL the folder will be served from, e.g. https://data.example.org/citykg/",
        )


def download_base_of(value: str | None) -> str | None:
    """A download base as given (a missing final "/" added)."""
    if value and not value.endswith("/"):
        return value + "/"
    return value


@dataclass(frozen=True)
class PublishedFile:
    """One file of a publication, relative to the publication folder."""

    name: str
    fmt: ExportFormat
    title: str
    data: bytes
    conforms_to: tuple[str, ...] = (ONTOLOGY_IRI,)


@dataclass(frozen=True)
class Coverage:
    countries: tuple[tuple[URIRef, str], ...]
    waves: tuple[int, ...]
    modified: datetime


_COVERAGE = f"""
SELECT DISTINCT ?country ?name WHERE {{
  ?city a <{CKG.City}> ; <{CKG.country}> ?country . OPTIONAL {{ ?country <{SCHEMA.name}> ?name }}
}}"""
_WAVES = f"SELECT DISTINCT ?year WHERE {{ ?wave a <{CKG.SurveyWave}> ; <{CKG.year}> ?year }}"
_BUILT = f"SELECT (MAX(?t) AS ?built) WHERE {{ ?g <{PROV.generatedAtTime}> ?t }}"


def _rows(store: ox.Store, sparql: str) -> list[ox.QuerySolution]:
    result = store.query(sparql, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    return list(result)


def coverage(store: ox.Store) -> Coverage:
    """Countries, survey waves and the latest build time of the published data."""
    countries = sorted(
        {
            (URIRef(row["country"].value), row["name"].value if row["name"] is not None else "")
            for row in _rows(store, _COVERAGE)
        }
    )
    waves = sorted({int(row["year"].value) for row in _rows(store, _WAVES)})
    built_row = next(iter(_rows(store, _BUILT)), None)
    built = built_row["built"] if built_row is not None else None
    modified = datetime.fromisoformat(built.value) if built is not None else datetime.fromtimestamp(0, UTC)
    return Coverage(tuple(countries), tuple(waves), modified)


def describe(files: Iterable[PublishedFile], cover: Coverage, about: Description, *, iris: IRIs) -> Graph:
    """The DCAT catalog, dataset and distributions of a publication (DCAT-AP 3)."""
    g = Graph()
    catalog = URIRef(iris.base + "catalog")
    dataset = URIRef(iris.base + "dataset")
    publisher = URIRef(about.publisher.iri or iris.base + "publisher")
    licence = about.licence_iri()
    modified = Literal(cover.modified.isoformat(), datatype=XSD.dateTime)
    issued = _date(about.issued) if about.issued else modified
    download = about.download_base or RELATIVE_BASE

    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, Literal(about.publisher.name)))
    g.add((licence, RDF.type, DCTERMS.LicenseDocument))
    ontology = URIRef(ONTOLOGY_IRI)
    g.add((ontology, RDF.type, DCTERMS.Standard))
    g.add((ontology, DCTERMS.title, Literal("citykg ontology", lang="en")))

    g.add((catalog, RDF.type, DCAT.Catalog))
    g.add((catalog, DCTERMS.title, Literal(about.title, lang="en")))
    g.add((catalog, DCTERMS.description, Literal(f"Catalog of {about.title}", lang="en")))
    g.add((catalog, DCTERMS.publisher, publisher))
    g.add((catalog, DCTERMS.license, licence))
    g.add((catalog, DCTERMS.issued, issued))
    g.add((catalog, DCTERMS.modified, modified))
    g.add((catalog, DCAT.dataset, dataset))

    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, DCTERMS.title, Literal(about.title, lang="en")))
    g.add((dataset, DCTERMS.description, Literal(about.description, lang="en")))
    g.add((dataset, DCTERMS.identifier, Literal(str(dataset))))
    g.add((dataset, DCTERMS.publisher, publisher))
    g.add((dataset, DCTERMS.issued, issued))
    g.add((dataset, DCTERMS.modified, modified))
    g.add((dataset, DCTERMS.conformsTo, ontology))
    for keyword in about.keywords:
        g.add((dataset, DCAT.keyword, Literal(keyword, lang="en")))
    for country, name in cover.countries:
        g.add((dataset, DCTERMS.spatial, country))
        g.add((country, RDF.type, DCTERMS.Location))
        if name:
            g.add((country, SKOS.prefLabel, Literal(name, lang="en")))
    for wave in cover.waves:
        period = URIRef(f"{iris.base}dataset/period/{wave}")
        g.add((dataset, DCTERMS.temporal, period))
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        g.add((period, DCAT.startDate, Literal(f"{wave:04d}", datatype=XSD.gYear)))
        g.add((period, DCAT.endDate, Literal(f"{wave:04d}", datatype=XSD.gYear)))

    for item in files:
        dist = URIRef(f"{iris.base}dataset/distribution/{slug(item.name)}")
        location = URIRef(download + item.name)
        media = URIRef(IANA + item.fmt.media_type)
        file_type = FILE_TYPE[_FILE_TYPES[item.fmt]]
        checksum = URIRef(f"{dist}/checksum")
        g.add((dataset, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, Literal(item.title, lang="en")))
        g.add((dist, DCAT.accessURL, location))
        g.add((dist, DCAT.downloadURL, location))
        g.add((dist, DCAT.mediaType, media))
        g.add((media, RDF.type, DCTERMS.MediaType))
        g.add((dist, DCTERMS.format, file_type))
        g.add((file_type, RDF.type, DCTERMS.MediaTypeOrExtent))
        g.add((dist, DCTERMS.license, licence))
        g.add((dist, DCTERMS.issued, issued))
        g.add((dist, DCTERMS.modified, modified))
        g.add((dist, DCAT.byteSize, Literal(str(len(item.data)), datatype=XSD.decimal)))
        for standard in item.conforms_to:
            g.add((dist, DCTERMS.conformsTo, URIRef(standard)))
            g.add((URIRef(standard), RDF.type, DCTERMS.Standard))
        g.add((dist, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add(
            (
                checksum,
                SPDX.checksumValue,
                Literal(hashlib.sha256(item.data).hexdigest(), datatype=XSD.hexBinary),
            )
        )
    return g


def _date(text: str) -> Literal:
    try:
        if "T" in text:
            datetime.fromisoformat(text)
            return Literal(text, datatype=XSD.dateTime)
        datetime.strptime(text, "%Y-%m-%d")
    except ValueError as exc:
        raise InputError(
            f"issued date {text!r} is not an ISO date", where="issued", hint="write 2026-11-28"
        ) from exc
    return Literal(text, datatype=XSD.date)


# ------------------------------------------------------------------ VoID

_COUNTS = """
SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?o) AS ?objects)
       (COUNT(DISTINCT ?p) AS ?properties)
WHERE { ?s ?p ?o }"""
_ENTITIES = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER(isIRI(?s)) }"
_CLASSES = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class FILTER(isIRI(?class)) }
GROUP BY ?class ORDER BY ?class"""
_PROPERTIES = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p"


def void(
    quads: Iterable[ox.Quad],
    files: Iterable[PublishedFile],
    *,
    iris: IRIs,
    download_base: str | None = None,
) -> Graph:
    """VoID statistics of the published data (distinct triples of all graphs), by SPARQL; its
    vocabularies are the namespaces of `turtle_prefixes()` that the data's classes and properties use."""
    store = ox.Store()
    store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    g = Graph()
    dataset = URIRef(iris.base + "dataset")
    g.add((dataset, RDF.type, VOID.Dataset))
    counts = _rows(store, _COUNTS)[0]
    entities = _rows(store, _ENTITIES)[0]["n"]
    g.add((dataset, VOID.triples, _int(counts["triples"])))
    g.add((dataset, VOID.distinctSubjects, _int(counts["subjects"])))
    g.add((dataset, VOID.distinctObjects, _int(counts["objects"])))
    g.add((dataset, VOID.properties, _int(counts["properties"])))
    g.add((dataset, VOID.entities, _int(entities)))
    g.add((dataset, VOID.uriSpace, Literal(iris.base + "id/")))
    used: set[str] = set()
    classes = _rows(store, _CLASSES)
    g.add((dataset, VOID.classes, Literal(len(classes), datatype=XSD.integer)))
    for row in classes:
        iri = row["class"].value
        part = URIRef(f"{dataset}/class/{_short(iri)}")
        g.add((dataset, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(iri)))
        g.add((part, VOID.entities, _int(row["n"])))
        used.add(iri)
    for row in _rows(store, _PROPERTIES):
        iri = row["p"].value
        part = URIRef(f"{dataset}/property/{_short(iri)}")
        g.add((dataset, VOID.propertyPartition, part))
        g.add((part, VOID.property, URIRef(iri)))
        g.add((part, VOID.triples, _int(row["n"])))
        used.add(iri)
    for namespace in sorted(set(turtle_prefixes().values())):
        if any(term.startswith(namespace) for term in used):
            g.add((dataset, VOID.vocabulary, URIRef(namespace)))
    base = download_base or RELATIVE_BASE
    for item in files:
        g.add((dataset, VOID.dataDump, URIRef(base + item.name)))
    g.add((dataset, DCTERMS.conformsTo, URIRef(ONTOLOGY_IRI)))
    g.add((dataset, VOID.feature, URIRef("http://www.w3.org/ns/formats/Turtle")))
    return g


def _int(term: ox.Literal) -> Literal:
    return Literal(int(term.value), datatype=XSD.integer)


def _short(iri: str) -> str:
    tail = iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return f"{slug(tail) or 'x'}-{hashlib.sha256(iri.encode()).hexdigest()[:8]}"


def turtle(graph: Graph, *, download_base: str | None) -> bytes:
    """A small graph as stable Turtle; download locations stay relative unless a base was given."""
    quads = sorted(
        quads_of(graph, URIRef("urn:x-citykg:unused")),
        key=lambda q: (str(q.subject), str(q.predicate), str(q.object)),
    )
    triples = [q.triple for q in quads]
    prefixes = dict(CATALOG_PREFIXES)
    if download_base:
        data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
        assert data is not None
        return data
    data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes, base_iri=RELATIVE_BASE)
    assert data is not None
    text = data.decode("utf-8")
    head = f"@base <{RELATIVE_BASE}> .\n"
    if text.startswith(head):
        text = text[len(head) :]
    if RELATIVE_BASE in text:
        raise AssertionError("a download location could not be written relative to the folder")
    return text.encode("utf-8")
