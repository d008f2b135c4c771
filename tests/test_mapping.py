"""Submission document -> RDF: the golden Helsinki graph, free-text concepts, field paths, evidence."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.term import Node

from citykg.mapping.document import Mapped, map_document
from citykg.mapping.provenance import evidence, evidence_statements, nt_string, provenance
from citykg.model.document import Document, Source
from citykg.model.schema import field_schema, known_fields
from citykg.model.vocabulary import Scheme, load_vocabulary
from citykg.rdf import terms
from citykg.rdf.convert import nt_term, to_ox
from citykg.rdf.iris import IRIs
from citykg.rdf.terms import CKG, PREFIXES, PROV, RDF, SCHEMA, SKOS, VOCAB
from citykg.sources import Submission, read_file
from citykg.sources.documents import read_json
from citykg.sources.tabular import put_field, read_csv

GOLDEN = Path(__file__).parent / "golden" / "helsinki-2020.ttl"
REGENERATE = os.environ.get("CITYKG_REGENERATE") == "1"


def mapped_of(document: Document) -> Mapped:
    return map_document(document, vocabulary=load_vocabulary(), iris=IRIs())


@pytest.fixture(scope="module")
def helsinki(helsinki_path: Path) -> tuple[Submission, Mapped]:
    (submission,) = read_file(helsinki_path)
    return submission, mapped_of(submission.document)


def golden_graph(submission: Submission, mapped: Mapped) -> Graph:
    """The facts and their evidence (provenance has the build time and is checked below)."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph += mapped.facts
    graph += evidence(mapped, submission.source, iris=IRIs())
    return graph


def test_helsinki_matches_the_golden_graph(helsinki: tuple[Submission, Mapped]) -> None:
    produced = golden_graph(*helsinki)
    if REGENERATE or not GOLDEN.exists():
        assert REGENERATE, f"{GOLDEN} is missing; create it with CITYKG_REGENERATE=1 (see tests/README.md)"
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(produced.serialize(format="turtle"), encoding="utf-8")
    expected = Graph().parse(GOLDEN, format="turtle")
    if not isomorphic(produced, expected):
        _, only_produced, only_expected = graph_diff(to_isomorphic(produced), to_isomorphic(expected))
        pytest.fail(
            "mapping differs from tests/golden/helsinki-2020.ttl (regenerate with CITYKG_REGENERATE=1 "
            "if the change is intended)\nonly now:\n"
            + "\n".join(sorted(" ".join(t.n3() for t in triple) for triple in only_produced))
            + "\nonly in golden:\n"
            + "\n".join(sorted(" ".join(t.n3() for t in triple) for triple in only_expected))
        )


def test_helsinki_facts_a_reader_would_look_for(helsinki: tuple[Submission, Mapped]) -> None:
    _, mapped = helsinki
    facts = mapped.facts
    iris = IRIs()
    mayor = iris.person("Jan Vapaavuori", "Helsinki", "Finland")
    assert (mapped.profile, CKG.mayor, mayor) in facts
    assert (mayor, SCHEMA.name, Literal("Jan Vapaavuori")) in facts
    population = facts.value(mapped.profile, CKG.population)
    assert facts.value(population, CKG.populationValue) == Literal(653867, datatype=terms.XSD.integer)
    assert facts.value(population, CKG.year) == Literal("2019", datatype=terms.XSD.gYear)
    staff = sorted(int(str(o)) for o in facts.objects(None, CKG.staffCount))
    assert staff == [20, 25]
    years = sorted(str(o) for o in facts.objects(None, CKG.targetYear))
    assert years == ["2026", "2035"]
    assert (mapped.profile, CKG.approach, VOCAB["approach/both"]) in facts
    assert mapped.graph_iri == URIRef("https://w3id.org/citykg/graph/finland/helsinki/2020")


def test_unknown_label_becomes_a_free_text_concept(helsinki: tuple[Submission, Mapped]) -> None:
    _, mapped = helsinki
    facts = mapped.facts
    concept = IRIs().free_concept("goal", "Help develop a vibrant economy")
    assert (mapped.profile, CKG.goal, concept) in facts
    assert (concept, RDF.type, SKOS.Concept) in facts
    assert (concept, SKOS.prefLabel, Literal("Help develop a vibrant economy", lang="en")) in facts
    assert (concept, CKG.freeText, Literal(True)) in facts
    assert (concept, CKG.proposedFor, Scheme.GOAL.iri) in facts
    (use,) = [u for u in mapped.labels if u.iri == concept]
    assert use.field == "goals[2]" and not use.match.known


def test_known_label_uses_the_vocabulary_concept(helsinki: tuple[Submission, Mapped]) -> None:
    _, mapped = helsinki
    hospitals = VOCAB["partner-type/hospitals"]
    assert (None, CKG.includesPartnerType, hospitals) in mapped.facts
    assert (hospitals, CKG.freeText, None) not in mapped.facts
    assert (hospitals, SKOS.prefLabel, None) not in mapped.facts  # the label lives in the vocabulary


def test_every_fact_has_the_field_path_it_came_from(helsinki: tuple[Submission, Mapped]) -> None:
    submission, mapped = helsinki
    for triple in mapped.facts:
        path = mapped.fields.get(triple)
        assert path is not None, triple
        assert path in submission.document.origins, (triple, path)
        assert field_schema(path) is not None, path


def test_evidence_points_at_the_mayor_line(helsinki: tuple[Submission, Mapped], helsinki_path: Path) -> None:
    submission, mapped = helsinki
    graph = evidence(mapped, submission.source, iris=IRIs())
    (node,) = list(graph.subjects(RDF.predicate, CKG.mayor))
    lines = helsinki_path.read_text(encoding="utf-8").splitlines()
    line = int(str(graph.value(node, CKG.sourceLine)))
    assert lines[line - 1].strip() == "mayor: Jan Vapaavuori"
    assert graph.value(node, CKG.field) == Literal("city.mayor")
    assert graph.value(node, CKG.sourceText) == Literal("Jan Vapaavuori")
    assert graph.value(node, CKG.sourceColumn) == Literal(10, datatype=terms.XSD.integer)
    assert graph.value(node, RDF.subject) == mapped.profile
    assert graph.value(node, CKG.evidenceSource) == IRIs().source(submission.source.sha256)


def _evidenced(graph: Graph) -> set[tuple[Node | None, Node | None, Node | None]]:
    """The facts the evidence nodes of `graph` speak for."""
    return {
        (graph.value(n, RDF.subject), graph.value(n, RDF.predicate), graph.value(n, RDF.object))
        for n in graph.subjects(RDF.type, CKG.Evidence)
    }


def test_every_fact_but_types_has_evidence(helsinki: tuple[Submission, Mapped]) -> None:
    submission, mapped = helsinki
    graph = evidence(mapped, submission.source, iris=IRIs())
    assert _evidenced(graph) == {t for t in mapped.facts if t[1] != RDF.type}


def test_csv_evidence_names_row_and_column_even_for_grouped_fields() -> None:
    (document,) = read_csv(
        "city.name,city.country,survey.wave,funding.dedicated,teams[0].staff\nHelsinki,Finland,2020,true,25\n",
        source="c.csv",
    )
    mapped = mapped_of(document)
    graph = evidence(mapped, Source("c.csv", "0" * 64), iris=IRIs())
    assert _evidenced(graph) == {t for t in mapped.facts if t[1] != RDF.type}
    (staff,) = list(graph.subjects(RDF.predicate, CKG.staffCount))
    assert graph.value(staff, CKG.sourceLine) == Literal(2, datatype=terms.XSD.integer)  # row 1 is the header
    assert graph.value(staff, CKG.sourceColumn) == Literal(5, datatype=terms.XSD.integer)


def test_provenance_names_source_wave_and_build_time(helsinki: tuple[Submission, Mapped]) -> None:
    submission, mapped = helsinki
    built = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)
    graph = provenance(mapped, [submission.source], built=built, iris=IRIs())
    source = IRIs().source(submission.source.sha256)
    assert (mapped.graph_iri, PROV.wasDerivedFrom, source) in graph
    assert graph.value(source, PROV.atLocation) == Literal(submission.source.location)
    assert graph.value(mapped.graph_iri, CKG.wave) == IRIs().wave(2020)
    assert graph.value(mapped.graph_iri, PROV.generatedAtTime) == Literal(
        "2026-11-28T07:00:00Z", datatype=terms.XSD.dateTime
    )


def test_mapping_is_deterministic(helsinki_path: Path) -> None:
    (first,) = read_file(helsinki_path)
    (second,) = read_file(helsinki_path)
    a, b = mapped_of(first.document), mapped_of(second.document)
    assert set(a.facts) == set(b.facts)
    assert a.fields == b.fields


def test_two_waves_of_one_city_share_the_city_not_the_profile() -> None:
    def doc(wave: int, mayor: str) -> Document:
        city = {"name": "Durham", "country": "United States", "mayor": mayor}
        data = {"city": city, "survey": {"wave": wave}}
        return Document(data=data, source=f"durham-{wave}.yaml")

    a, b = mapped_of(doc(2018, "A")), mapped_of(doc(2020, "B"))
    assert a.city == b.city
    assert a.profile != b.profile and a.graph_iri != b.graph_iri
    assert a.facts.value(a.profile, CKG.mayor) != b.facts.value(b.profile, CKG.mayor)


def test_json_whole_numbers_written_with_a_point_map_like_integers() -> None:
    def facts(number: str) -> set[tuple[object, ...]]:
        text = (
            '{"city": {"name": "A", "country": "B", "population": {"value": 5%s, "year": 2019%s}},'
            ' "survey": {"wave": 2020%s}, "teams": [{"name": "T", "staff": 25%s}],'
            ' "initiatives": [{"name": "I", "targets": [{"description": "d", "year": 2030%s}]}]}'
        ) % ((number,) * 5)
        (document,) = read_json(text, source="n.json")
        return set(mapped_of(document).facts)

    with_point = facts(".0")
    assert with_point == facts("")
    assert any(p == CKG.staffCount for _, p, _ in with_point)


def test_every_field_of_the_format_reaches_the_graph() -> None:
    """No field of the submission format is read and then silently left out of the graph."""
    data: dict[str, object] = {}
    for leaf in known_fields():
        path = leaf.replace("[]", "[0]")
        schema = field_schema(path) or {}
        value: object = {"integer": 2020, "boolean": True, "array": [f"Value {path}"]}.get(
            schema.get("type", ""), f"Text {path}"
        )
        put_field(data, path, value)
    mapped = mapped_of(Document(data=data, source="all.yaml"))
    reached = set(mapped.fields.values())
    missing = [
        leaf
        for leaf in known_fields()
        if not {leaf.replace("[]", "[0]"), leaf.replace("[]", "[0]") + "[0]"} & reached
    ]
    assert missing == []


def test_targets_whose_descriptions_have_no_letters_stay_apart() -> None:
    data = {
        "city": {"name": "A", "country": "B"},
        "survey": {"wave": 2020},
        "initiatives": [
            {
                "name": "I",
                "targets": [{"description": "!!!", "year": 2030}, {"description": "???", "year": 2030}],
            }
        ],
    }
    mapped = mapped_of(Document(data=data, source="t.yaml"))
    assert mapped.duplicates == []
    assert len(set(mapped.facts.subjects(RDF.type, CKG.Target))) == 2


DATA = Path(__file__).resolve().parents[1] / "data" / "submissions"


def _parsed(statements: list[tuple[str, str, str]]) -> set[ox.Triple]:
    text = "".join(f"{s} {p} {o} .\n" for s, p, o in statements)
    return {quad.triple for quad in ox.parse(text.encode(), format=ox.RdfFormat.N_TRIPLES)}


@pytest.mark.parametrize("name", ["helsinki-2020.yaml", "atlanta-2018.csv", "durham-2018.json"])
def test_evidence_written_as_text_is_the_evidence_graph(name: str) -> None:
    """The build writes evidence as N-Triples text without rdflib terms; it is the same graph."""
    submission = read_file(DATA / name)[0]
    mapped = map_document(submission.document, vocabulary=load_vocabulary(), iris=IRIs())
    as_text = list(evidence_statements(mapped, submission.source, iris=IRIs(), term=nt_term))
    graph = evidence(mapped, submission.source, iris=IRIs())
    assert len(as_text) == len(graph) > 0
    assert _parsed(as_text) == {ox.Triple(*(to_ox(t) for t in triple)) for triple in graph}  # type: ignore[arg-type]


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40))
def test_a_string_written_as_text_reads_back_the_same(value: str) -> None:
    [triple] = _parsed([("<http://example.org/s>", "<http://example.org/p>", nt_string(value))])
    assert triple.object == ox.Literal(value)
