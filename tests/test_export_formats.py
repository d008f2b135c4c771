"""`citykg export`: every format reads back to the store's content for the selection; stable bytes."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from citykg.cli import cli
from citykg.export import serializers
from citykg.export.serializers import export_store
from citykg.rdf.formats import ExportFormat
from citykg.rdf.iris import IRIs
from citykg.rdf.terms import CKG, RDF, SCHEMA
from citykg.store.generations import branch_generation, open_store
from publishing_support import FORMATS, build_store, parse_graphs, union

IRI = IRIs()
TAMPERE = URIRef("https://w3id.org/citykg/id/city/finland/tampere")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with pytest.MonkeyPatch.context() as mp:
        return build_store(tmp_path_factory.mktemp("export") / "store", mp)


def _store_graphs(location: Path, names: list[URIRef] | None = None) -> dict[str, Graph]:
    opened = open_store(location)
    asserted = [g for g in opened.named_graphs() if g != IRI.inferred_graph]  # the default selection
    chosen = names if names is not None else asserted
    return {str(name): opened.graph(name) for name in chosen}


def _isomorphic_per_graph(got: dict[str, Graph], expected: dict[str, Graph]) -> None:
    assert sorted(got) == sorted(expected)
    for name, graph in expected.items():
        assert isomorphic(got[name], graph), f"graph {name} differs"


@pytest.mark.parametrize("fmt", ["nquads", "trig"])
def test_graph_formats_keep_every_named_graph(store: Path, fmt: str) -> None:
    data = export_store(store, ExportFormat(fmt), iris=IRI)
    _isomorphic_per_graph(parse_graphs(data, FORMATS[fmt]), _store_graphs(store))


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "jsonld"])
def test_triple_formats_hold_the_union_of_the_graphs(store: Path, fmt: str) -> None:
    data = export_store(store, ExportFormat(fmt), iris=IRI)  # JSON-LD: its context inline
    got = parse_graphs(data, FORMATS[fmt])
    assert list(got) == [""]
    assert isomorphic(got[""], union(_store_graphs(store)))


def test_turtle_is_prefixed_and_the_same_bytes_on_every_run(store: Path) -> None:
    first = export_store(store, ExportFormat.TURTLE, iris=IRI)
    second = export_store(store, ExportFormat.TURTLE, iris=IRI)
    assert first == second
    text = first.decode()
    assert "@prefix ckg: <https://w3id.org/citykg/ontology#> ." in text
    assert "a ckg:City" in text
    assert "goal:anticipate-and-manage-future-challenges" in text


def test_two_builds_of_the_same_input_export_the_same_bytes(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    again = build_store(tmp_path / "again", monkeypatch)
    for fmt in ExportFormat:
        assert export_store(again, fmt, iris=IRI) == export_store(store, fmt, iris=IRI), fmt
    assert b"_:" in export_store(store, ExportFormat.TURTLE, iris=IRI)  # the ontology's blank nodes


def test_a_city_exports_its_waves_and_the_concepts_they_use(store: Path) -> None:
    data = export_store(store, ExportFormat.NQUADS, iris=IRI, cities=["Tampere"])
    got = parse_graphs(data, ox.RdfFormat.N_QUADS)
    waves = [IRI.graph("Tampere", "Finland", 2018), IRI.graph("Tampere", "Finland", 2020)]
    opened = open_store(store)
    expected = {str(g): opened.graph(g) for g in waves}
    used = Graph()
    rows = opened.query(
        """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
           SELECT ?s ?p ?o ?onto WHERE {
             GRAPH ?onto { ?s a skos:Concept ; ?p ?o }
             FILTER EXISTS { GRAPH ?g { ?x ?y ?s } FILTER(?g != ?onto) }
           }""",
        substitutions={"onto": IRI.ontology_graph},
    )
    for row in rows:  # type: ignore[attr-defined]
        if row["s"] is not None:
            used.add((URIRef(row["s"].value), URIRef(row["p"].value), _term(row["o"])))
    tampere_objects = {o for g in expected.values() for o in g.objects()}
    expected[str(IRI.ontology_graph)] = Graph()
    for s, p, o in used:
        if s in tampere_objects:
            expected[str(IRI.ontology_graph)].add((s, p, o))
    _isomorphic_per_graph(got, expected)
    assert "https://w3id.org/citykg/id/city/finland/helsinki" not in data.decode()


def _term(term: ox.NamedNode | ox.Literal | ox.BlankNode) -> URIRef | Literal:
    from citykg.rdf.convert import from_ox

    return from_ox(term)  # type: ignore[return-value]


def test_unknown_or_ambiguous_city_is_a_usage_error(store: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["export", "--store", str(store), "--city", "Tamper"])
    assert result.exit_code == 2
    assert "no city called 'Tamper'" in result.stderr
    assert "Tampere, Finland" in result.stderr
    result = runner.invoke(
        cli, ["export", "--store", str(store), "--city", "tampere, finland", "-f", "nquads"]
    )
    assert result.exit_code == 0
    assert "/graph/finland/tampere/2018>" in result.stdout


def test_inferred_triples_only_on_request_and_only_about_the_chosen_cities(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    location = build_store(tmp_path / "inferred", monkeypatch)
    helsinki = IRI.city("Helsinki", "Finland")
    inferred = Graph()
    inferred.add((TAMPERE, RDF.type, CKG.Place))
    inferred.add((helsinki, RDF.type, CKG.Place))

    def add_inferred(opened: object) -> None:
        opened.replace_graphs({IRI.inferred_graph: inferred})  # type: ignore[attr-defined]

    branch_generation(location, add_inferred)
    asserted = export_store(location, ExportFormat.NQUADS, iris=IRI)
    assert str(IRI.inferred_graph) not in asserted.decode()
    everything = parse_graphs(
        export_store(location, ExportFormat.NQUADS, iris=IRI, include_inferred=True), ox.RdfFormat.N_QUADS
    )
    assert isomorphic(everything[str(IRI.inferred_graph)], inferred)
    one = parse_graphs(
        export_store(location, ExportFormat.NQUADS, iris=IRI, include_inferred=True, cities=["Tampere"]),
        ox.RdfFormat.N_QUADS,
    )
    assert set(one[str(IRI.inferred_graph)]) == {(TAMPERE, RDF.type, CKG.Place)}


def test_a_failed_export_leaves_the_previous_file(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.ttl"
    export_store(store, ExportFormat.TURTLE, iris=IRI, output=target)
    before = target.read_bytes()

    def broken(quads: list[ox.Quad], fmt: ExportFormat) -> bytes:
        raise RuntimeError("disk full while serializing")

    monkeypatch.setattr(serializers, "serialize_quads", broken)
    result = CliRunner().invoke(cli, ["export", "--store", str(store), "-o", str(target), "--city", "Durham"])
    assert result.exit_code == 70
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]


def test_a_failed_write_leaves_the_previous_file(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.nt"
    export_store(store, ExportFormat.NTRIPLES, iris=IRI, output=target)
    before = target.read_bytes()

    def refuse(*args: object) -> None:
        raise OSError("no space left on device")

    monkeypatch.setattr("citykg.files.os.replace", refuse)
    with pytest.raises(OSError):
        export_store(store, ExportFormat.NTRIPLES, iris=IRI, output=target, cities=["Durham"])
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["out.nt"]


def test_full_profile_keeps_contact_details(store: Path) -> None:
    text = export_store(store, ExportFormat.TURTLE, iris=IRI, cities=["Tampere"]).decode()
    assert f"<{SCHEMA.email}>" in text or "schema:email" in text
    assert "mayor.private@tampere.example" in text
