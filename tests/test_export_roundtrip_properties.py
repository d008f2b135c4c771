"""Hypothesis: any graph citykg can hold survives every export format and reads back the same."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic

from citykg.rdf.canonical import canonical_order
from citykg.rdf.convert import graph_of
from citykg.rdf.formats import ExportFormat
from citykg.rdf.jsonld import context, to_rdf
from citykg.rdf.serialize import serialize_quads

# rdflib (used only to compare graphs here) warns about ill-formed typed literals such as
# "007"^^xsd:boolean, which the strategy produces on purpose.
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

NAMESPACES = [
    "https://w3id.org/citykg/ontology#",
    "https://w3id.org/citykg/vocab/goal/",
    "https://schema.org/",
    "http://www.w3.org/2004/02/skos/core#",
    "https://w3id.org/citykg/id/city/",
    "http://example.org/other/",
]
LOCAL = st.sampled_from(
    ["name", "staffCount", "goal", "prefLabel", "year", "team", "x-1", "a/b", "ünï", "population", "City"]
)
XSD = "http://www.w3.org/2001/XMLSchema#"
iris = st.builds(lambda ns, local: ox.NamedNode(ns + local), st.sampled_from(NAMESPACES), LOCAL)
predicates = st.one_of(iris, st.just(ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")))
blanks = st.sampled_from([ox.BlankNode("b1"), ox.BlankNode("b2")])
texts = st.text(max_size=12)
literals = st.one_of(
    texts.map(ox.Literal),
    st.builds(lambda t, lang: ox.Literal(t, language=lang), texts, st.sampled_from(["en", "fi", "en-gb"])),
    st.integers(-(10**12), 10**12).map(lambda i: ox.Literal(str(i), datatype=ox.NamedNode(XSD + "integer"))),
    st.sampled_from(["007", "+5", "1", "true", "false", "2035", "0.5"]).flatmap(
        lambda text: st.sampled_from(["integer", "boolean", "gYear", "decimal", "string"]).map(
            lambda dt: ox.Literal(text, datatype=ox.NamedNode(XSD + dt))
        )
    ),
)
graphs = st.sampled_from(
    [
        ox.NamedNode("https://w3id.org/citykg/graph/a/b/2020"),
        ox.NamedNode("https://w3id.org/citykg/graph/ontology"),
    ]
)
quads = st.lists(
    st.builds(ox.Quad, st.one_of(iris, blanks), predicates, st.one_of(iris, blanks, literals), graphs),
    max_size=25,
)


def _same(got: list[ox.Quad], expected: list[ox.Quad]) -> bool:
    return isomorphic(graph_of(got), graph_of(expected))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(quads)
def test_every_format_reads_back_to_the_same_triples(data: list[ox.Quad]) -> None:
    ordered = canonical_order(data)
    for fmt, rdf_format in [
        (ExportFormat.TURTLE, ox.RdfFormat.TURTLE),
        (ExportFormat.NTRIPLES, ox.RdfFormat.N_TRIPLES),
        (ExportFormat.TRIG, ox.RdfFormat.TRIG),
        (ExportFormat.NQUADS, ox.RdfFormat.N_QUADS),
    ]:
        back = list(ox.parse(serialize_quads(ordered, fmt), rdf_format))
        assert _same(back, data), fmt
        if fmt.keeps_graphs:
            assert {q.graph_name for q in back} == {q.graph_name for q in data}
    document = json.loads(serialize_quads(ordered, ExportFormat.JSONLD))
    assert _same(to_rdf(document), data)
    document["@context"] = context()
    assert _same(list(ox.parse(json.dumps(document).encode(), ox.RdfFormat.JSON_LD)), data)


@settings(max_examples=30, deadline=None)
@given(quads)
def test_the_same_quads_in_any_order_give_the_same_bytes(data: list[ox.Quad]) -> None:
    for fmt in ExportFormat:
        assert serialize_quads(canonical_order(data), fmt) == serialize_quads(
            canonical_order(list(reversed(data))), fmt
        )
