"""A description as an HTML page for people (Jinja2 templates in serve/templates/, escaped).

Each property is shown by its label, each value by the label of what it names, linked to its
URL on this server when it is one of the store's IRIs; blank nodes (OWL restrictions) are shown
inside their row. The next issue's web app builds on these templates.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from urllib.parse import quote

import pyoxigraph as ox

from citykg.rdf.terms import RDF, XSD, PrefixMap, display_prefixes
from citykg.serve.addresses import Addresses
from citykg.serve.describe import Description, Kind
from citykg.serve.pages import Site, render
from citykg.serve.term_pages import concept_term, is_concept, ontology_sections, vocabulary_sections

RDF_TYPE = str(RDF.type)
XSD_STRING = str(XSD.string)

#: the formats a page links to, as (name, ?format= value, media type)
ALTERNATES = (
    ("Turtle", "turtle", "text/turtle"),
    ("N-Triples", "ntriples", "application/n-triples"),
    ("JSON-LD", "jsonld", "application/ld+json"),
)


@dataclass
class Value:
    text: str
    url: str | None = None
    is_iri: bool = False
    note: str = ""
    rows: list[Row] = field(default_factory=list)


@dataclass
class Row:
    label: str
    url: str | None
    values: list[Value]


@cache
def _prefixes() -> PrefixMap:
    return display_prefixes()


def page(
    description: Description,
    addresses: Addresses,
    site: Site,
    *,
    pointing: Sequence[ox.Triple] = (),
) -> str:
    """The HTML page of `description` (its other formats linked as `?format=`): the ontology,
    a vocabulary and a concept by their terms and links (term_pages.py), anything else as a
    table of its statements. `pointing`: what term_pages.pointing_at found beside it (the
    ontology's vocabularies, a concept's narrower ones)."""
    view = _View(description, addresses)
    main = description.iri
    parts = [
        {
            "iri": part,
            "title": view.name(part),
            "url": addresses.url_of(part) if part.startswith(main + "/") else None,
            "anchor": part.rsplit("#", 1)[-1] if "#" in part else quote(part.rsplit("/", 1)[-1]),
            "rows": view.rows(ox.NamedNode(part)),
        }
        for part in description.parts
    ]
    graphs = [
        {"iri": g, "url": addresses.url + "graph-store?graph=" + quote(g, safe="")}
        for g in description.graphs
    ]
    if description.kind is Kind.GRAPH:
        graphs = []
        rows = view.graph_rows()
    else:
        rows = view.rows(ox.NamedNode(main))
    alternates = [
        {"name": name, "media_type": media, "url": f"?format={value}"} for name, value, media in ALTERNATES
    ]
    shown = {
        "title": view.name(main),
        "iri": main,
        "rows": rows,
        "parts": parts,
        "graphs": graphs,
        "alternates": alternates,
    }
    template, terms = "resource.html", {}
    if description.kind in (Kind.ONTOLOGY, Kind.VOCABULARY):
        sections = ontology_sections if description.kind is Kind.ONTOLOGY else vocabulary_sections
        own, grouped = sections(description, addresses, pointing)
        template = "terms.html"
        terms = {"term": own, "sections": grouped, "part_rows": {p["iri"]: p["rows"] for p in parts}}
    elif is_concept(description):
        term, cities = concept_term(description, addresses, pointing, site.url + "cities")
        template, terms = "concept.html", {"term": term, "cities": cities}
    if description.kind is Kind.ONTOLOGY:
        site = replace(site, current="ontology")
    return render(template, site, page=shown, **terms)


class _View:
    def __init__(self, description: Description, addresses: Addresses) -> None:
        self.labels = description.labels
        self.addresses = addresses
        self.by_subject: dict[ox.NamedNode | ox.BlankNode, list[ox.Triple]] = defaultdict(list)
        for triple in description.triples:
            self.by_subject[triple.subject].append(triple)  # type: ignore[index]
        self.triples = description.triples

    def name(self, iri: str) -> str:
        return self.labels.get(iri) or _prefixes().compact(iri) or iri

    def rows(self, subject: ox.NamedNode | ox.BlankNode, depth: int = 0) -> list[Row]:
        grouped: dict[str, list[Value]] = {}
        triples = sorted(
            self.by_subject.get(subject, []), key=lambda t: (t.predicate.value != RDF_TYPE, str(t))
        )
        for triple in triples:
            grouped.setdefault(triple.predicate.value, []).append(self.value(triple.object, depth))  # type: ignore[arg-type]
        return [Row(self.name(p), self.addresses.url_of(p), values) for p, values in grouped.items()]

    def graph_rows(self) -> list[Row]:
        """A named graph's content: one row per subject, its triples inside."""
        subjects = sorted({t.subject for t in self.triples if isinstance(t.subject, ox.NamedNode)}, key=str)
        return [
            Row(self.name(s.value), self.addresses.url_of(s.value), [Value("", rows=self.rows(s))])
            for s in subjects
        ]

    def value(self, term: ox.NamedNode | ox.BlankNode | ox.Literal, depth: int) -> Value:
        if isinstance(term, ox.Literal):
            if term.language:
                return Value(term.value, note=f"@{term.language}")
            datatype = term.datatype.value
            note = "" if datatype == XSD_STRING else (_prefixes().compact(datatype) or datatype)
            return Value(term.value, note=note)
        if isinstance(term, ox.BlankNode):
            nested = self.rows(term, depth + 1) if depth < 4 else []
            return Value("(anonymous)", rows=nested)
        iri = term.value
        shown = self.labels.get(iri)
        return Value(shown or iri, url=self.addresses.url_of(iri), is_iri=shown is None)
