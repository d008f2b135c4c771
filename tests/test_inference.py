"""Inference: the fast rule path equals owlrl's closure restricted to data triples.

"Data triples" are defined in docs/decisions/0002-inference-data-triples.md; `owlrl_reference`
below is that definition written with owlrl, the reference implementation.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import owlrl
import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from citykg.errors import InconsistentData
from citykg.inference import rules as inference
from citykg.inference.chain import infer
from citykg.inference.materialise import materialise
from citykg.inference.rules import UnsupportedOntology, compile_closure, neutralise, nt
from citykg.model.ontology import ontology_graph
from citykg.queries.run import answer
from citykg.rdf.convert import from_ox, quads_of
from citykg.rdf.iris import IRIs
from citykg.rdf.terms import CKG, FOAF, OWL, RDF, RDFS, SKOS, VOCAB
from citykg.sources import read_paths
from citykg.store.generations import open_store
from citykg.store.graphs import memory_store
from citykg.workflow.build import build
from citykg.workflow.check import build_time, check, combine

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "catalog"
ERROR = URIRef("http://www.daml.org/2002/03/agents/agent-ont#ErrorMessage")
EX = "https://w3id.org/citykg/id/test/"

RdfTriple = tuple[URIRef | BNode | Literal, URIRef, URIRef | BNode | Literal]


def oxify(graph: Graph) -> list[inference.Triple]:
    """An rdflib graph as the chainer reads the store: terms in N-Triples form."""
    return [(nt(s), nt(p), nt(o)) for s, p, o in graph]


def rdf(triple: inference.Triple) -> RdfTriple:
    """A triple in N-Triples form as rdflib terms."""
    [parsed] = ox.parse(" ".join(triple) + " .", format=ox.RdfFormat.N_TRIPLES)
    return tuple(from_ox(t) for t in (parsed.subject, parsed.predicate, parsed.object))  # type: ignore[return-value]


def owlrl_reference(data: Graph) -> tuple[set[RdfTriple], set[Node]]:
    """owlrl's closure of ontology + neutralise(data), restricted to data triples; and the
    individuals it finds in two disjoint classes."""
    kept = Graph()
    for triple in neutralise(oxify(data)):
        kept.add(rdf(triple))
    ontology = ontology_graph()
    closed = Graph()
    closed += ontology
    closed += kept
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closed)
    ontology_closure = inference.ontology_closure()
    ontology_subjects = set(ontology.subjects())
    resources = {
        t
        for s, p, o in kept
        for t in (s, o)
        if not isinstance(t, Literal)
        and t not in ontology_subjects
        and not str(t).startswith(inference.RESERVED_NAMESPACES)
    }
    out: set[RdfTriple] = set()
    for s, p, o in closed:
        if (s, p, o) in ontology_closure or (s, p, o) in kept or s not in resources:
            continue
        if p == OWL.sameAs or isinstance(o, BNode) or (p == RDF.type and o == OWL.Thing):
            continue
        if (p == RDF.type and o == ERROR) or (isinstance(s, BNode) and (s, RDF.type, ERROR) in closed):
            continue
        out.add((s, p, o))  # type: ignore[arg-type]
    # individuals (not literals: a literal where an object is expected is the shapes' business)
    # that owlrl finds in two disjoint classes
    conflicts = {
        x
        for c1, c2 in closed.subject_objects(OWL.disjointWith)
        for x in closed.subjects(RDF.type, c1)
        if not isinstance(x, Literal) and (x, RDF.type, c2) in closed
    }
    return out, conflicts


def fast(data: Graph) -> tuple[set[RdfTriple], set[Node]]:
    closure = infer(oxify(data))
    triples = {rdf(triple) for triple in closure.triples}
    return triples, {rdf(conflict)[0] for conflict in closure.conflicts}


def submissions_graph(*paths: Path) -> Graph:
    iris = IRIs()
    groups, _ = combine(check(read_paths(list(paths)), iris=iris), iris=iris)
    data = Graph()
    for group in groups:
        data += group.graph(built=build_time(), iris=iris)
    return data


# ------------------------------------------------------------------ differential: real submissions


@pytest.mark.slow  # owlrl's closure of every catalog submission
def test_fast_path_equals_owlrl_on_the_helsinki_and_catalog_submissions() -> None:
    data = submissions_graph(ROOT / "data" / "submissions", FIXTURES)
    expected, expected_error = owlrl_reference(data)
    got, conflicts = fast(data)
    assert got == expected
    assert expected_error == conflicts == set()
    # and the answers users rely on are among them
    hospitals = URIRef(str(VOCAB) + "partner-type/hospitals")
    regional = URIRef(str(VOCAB) + "partner-type/regional-institutions")
    partnership = URIRef(
        "https://w3id.org/citykg/id/profile/freedonia/eastvale/2020/partnership/data/hospitals"
    )
    assert (partnership, CKG.partnersWith, hospitals) in got
    assert (partnership, CKG.partnersWith, regional) in got
    assert (URIRef("https://w3id.org/citykg/id/city/freedonia/northport"), RDF.type, CKG.SurveyedCity) in got


# ------------------------------------------------------------------ differential: generated graphs

_CLASSES = [
    CKG.City,
    CKG.CityProfile,
    CKG.SurveyWave,
    CKG.Partnership,
    CKG.Evidence,
    CKG.SurveyedCity,
    CKG.InnovationTeam,
    CKG.Country,
    FOAF.Person,
    CKG.Funding,
]
_PROPERTIES = [
    CKG.city,
    CKG.profile,
    CKG.wave,
    CKG.partnerType,
    CKG.includesPartnerType,
    CKG.partnersWith,
    CKG.mayor,
    CKG.country,
    CKG.goal,
    CKG.subTeamOf,
    CKG.team,
    CKG.evidenceSource,
    CKG.survey,
    CKG.staffCount,
    RDFS.label,
]
_HOSTILE = [
    OWL.sameAs,
    SKOS.broader,
    SKOS.broaderTransitive,
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    OWL.inverseOf,
    RDFS.domain,
]
_CONCEPTS = [
    URIRef(str(VOCAB) + "partner-type/" + name)
    for name in ("hospitals", "regional-institutions", "private-firms", "private-sector")
]
_INDIVIDUALS = [URIRef(f"{EX}i{n}") for n in range(5)]

_node = st.sampled_from(_INDIVIDUALS + _CONCEPTS)
_triple = st.one_of(
    st.tuples(st.sampled_from(_INDIVIDUALS), st.just(RDF.type), st.sampled_from(_CLASSES)),
    st.tuples(st.sampled_from(_INDIVIDUALS), st.sampled_from(_PROPERTIES), _node),
    st.tuples(st.sampled_from(_INDIVIDUALS), st.sampled_from(_PROPERTIES), st.just(Literal("text"))),
    st.tuples(_node, st.sampled_from(_HOSTILE), st.sampled_from(_INDIVIDUALS + _CONCEPTS + _CLASSES)),
    st.tuples(st.sampled_from([*_CLASSES, CKG.city]), st.sampled_from(_HOSTILE + _PROPERTIES), _node),
    st.tuples(
        st.sampled_from(_INDIVIDUALS),
        st.just(RDF.type),
        st.sampled_from([OWL.TransitiveProperty, OWL.Class, RDF.Property, OWL.FunctionalProperty]),
    ),
)
_graphs = st.lists(_triple, min_size=1, max_size=25).map(lambda triples: _graph(triples))


def _graph(triples: list[RdfTriple]) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph


# owlrl takes ~2 s per example, so no shrinking: a failure prints the generated graph as it is
@pytest.mark.slow  # hypothesis, owlrl for each example
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(_graphs)
def test_fast_path_equals_owlrl_on_generated_graphs(data: Graph) -> None:
    assert fast(data) == owlrl_reference(data)


@settings(max_examples=60, deadline=None)
@given(_graphs, _graphs)
def test_inference_is_monotone(first: Graph, second: Graph) -> None:
    smaller, _ = fast(first)
    union = first + second
    larger, _ = fast(union)
    assert smaller <= larger | set(union)


@settings(max_examples=60, deadline=None)
@given(_graphs)
def test_inference_is_idempotent(data: Graph) -> None:
    first, _ = fast(data)
    closed = data + _graph(list(first))
    again, _ = fast(closed)
    assert again == set()


# ------------------------------------------------------------------ hostile data


def test_same_as_chains_schema_and_ontology_terms_in_data_are_neutralised() -> None:
    data = submissions_graph(FIXTURES)
    base = len(fast(data)[0])
    hostile = Graph()
    hostile += data
    people = [URIRef(f"{EX}person/{n}") for n in range(300)]
    for a, b in itertools.pairwise(people):
        hostile.add((a, OWL.sameAs, b))  # a sameAs chain: owlrl alone would add 300 x 300 triples
    concepts = [URIRef(f"{EX}concept/{n}") for n in range(300)]
    for a, b in itertools.pairwise(concepts):
        hostile.add((a, SKOS.broader, b))  # a hierarchy chain: quadratic under transitivity
    hostile.add((CKG.City, RDFS.subClassOf, URIRef(EX + "Bogus")))
    hostile.add((URIRef(str(VOCAB) + "partner-type/hospitals"), SKOS.broader, URIRef(EX + "Bogus")))
    hostile.add((URIRef(EX + "p"), RDF.type, OWL.TransitiveProperty))
    hostile.add((URIRef(EX + "a"), RDFS.subPropertyOf, CKG.partnersWith))

    got, _ = fast(hostile)
    assert len(got) == base  # the hostile triples add nothing
    assert len(got) <= 3 * len(hostile)
    assert not any(p == OWL.sameAs or o == URIRef(EX + "Bogus") for _, p, o in got)


@pytest.mark.slow  # inference over growing synthetic stores
def test_inferred_graph_grows_in_proportion_to_the_data() -> None:
    one = submissions_graph(FIXTURES)
    ratio_small = len(fast(one)[0]) / len(one)
    own = ("https://w3id.org/citykg/id/", "https://w3id.org/citykg/graph/", "https://w3id.org/citykg/source/")

    def renamed(term: object, n: int) -> object:
        text = str(term)
        if isinstance(term, URIRef) and text.startswith(own) and "/survey/" not in text:
            return URIRef(f"{text}-{n}")
        return term

    many = Graph()
    for n in range(20):  # 20 copies of the fixtures, as if 100 cities had answered
        for triple in one:
            many.add(tuple(renamed(t, n) for t in triple))  # type: ignore[arg-type]
    assert len(many) > 19 * len(one)
    ratio_large = len(fast(many)[0]) / len(many)
    assert ratio_large == pytest.approx(ratio_small, rel=0.1)


def test_disjoint_classes_in_data_are_a_conflict_like_owlrl_says() -> None:
    data = Graph()
    data.add((URIRef(EX + "x"), RDF.type, CKG.City))
    data.add((URIRef(EX + "x"), RDF.type, FOAF.Person))
    assert owlrl_reference(data)[1] == {URIRef(EX + "x")}
    closure = infer(oxify(data))
    assert closure.conflicts == [(f"<{EX}x>", f"<{FOAF.Person}>", f"<{CKG.City}>")]


def test_an_ontology_construct_the_compiler_does_not_know_is_refused() -> None:
    closure = Graph()
    closure += inference.ontology_closure()
    closure.add((CKG.mayor, RDF.type, OWL.FunctionalProperty))
    with pytest.raises(UnsupportedOntology, match="FunctionalProperty"):
        compile_closure(closure)


# ------------------------------------------------------------------ the store


def test_materialise_fills_the_inferred_graph_and_leaves_asserted_graphs_alone() -> None:
    data = submissions_graph(FIXTURES)
    store = memory_store()
    name = URIRef("https://w3id.org/citykg/graph/test")
    store.store.bulk_extend(quads_of(data, name))
    store.rebuild_union(derived=frozenset({IRIs().inferred_graph}))  # as build and submit keep it
    before = set(store.store.quads_for_pattern(None, None, None, ox.NamedNode(str(name))))
    first = materialise(store, iris=IRIs())
    second = materialise(store, iris=IRIs())
    assert set(store.store.quads_for_pattern(None, None, None, ox.NamedNode(str(name)))) == before
    inferred = store.graph(IRIs().inferred_graph)
    assert first.inferred == second.inferred == len(inferred) == len(fast(data)[0]) > 0


def test_build_answers_with_and_without_inferred_triples(tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = build([FIXTURES], store_path=store)
    assert result.inferred > 0
    assert IRIs().inferred_graph in open_store(store).named_graphs()
    with_inferred = answer(store, name="surveyed-cities")
    asserted_only = answer(store, name="surveyed-cities", include_inferred=False)
    assert with_inferred.column("city") == ["Eastvale", "Northport", "Southbridge", "Westham"]
    assert asserted_only.column("city") == []


def test_a_failed_inference_leaves_the_previous_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "store"
    build([ROOT / "data" / "submissions" / "helsinki-2020.yaml"], store_path=store)
    before = (store / "CURRENT").read_text()

    def refuse(*args: object, **kwargs: object) -> None:
        raise InconsistentData("the data contradicts the ontology", [])

    monkeypatch.setattr("citykg.inference.materialise.Inferring.finish", refuse)  # the build's last step
    with pytest.raises(InconsistentData):
        build([FIXTURES], store_path=store)
    assert (store / "CURRENT").read_text() == before
    assert answer(store, name="people-and-roles").column("city") == ["Helsinki"] * 3
