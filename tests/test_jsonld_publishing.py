"""JSON-LD output: reads like the submission format, framed per city, never fetches a context."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from citykg.cli import cli
from citykg.errors import InputError
from citykg.export.selection import Selection, selected_quads
from citykg.export.serializers import export_store
from citykg.rdf.convert import graph_of
from citykg.rdf.formats import ExportFormat, Frame
from citykg.rdf.iris import IRIs
from citykg.rdf.jsonld import CONTEXT_IRI, CONTEXT_VERSION, context, context_path, document_loader, to_rdf
from citykg.store.generations import open_store
from publishing_support import build_store

IRI = IRIs()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with pytest.MonkeyPatch.context() as mp:
        return build_store(tmp_path_factory.mktemp("jsonld") / "store", mp)


def _expected(store: Path, selection: Selection) -> Graph:
    return graph_of(selected_quads(open_store(store), selection, iris=IRI))


def _nodes(document: dict[str, object]) -> dict[str, dict[str, object]]:
    return {node["id"]: node for node in document["@graph"]}  # type: ignore[attr-defined]


def test_flat_json_ld_carries_the_context_inline_and_reads_like_a_submission(store: Path) -> None:
    document = json.loads(export_store(store, ExportFormat.JSONLD, iris=IRI, cities=["Helsinki"]))
    assert document["@context"] == context()
    nodes = _nodes(document)
    city = nodes[str(IRI.city("Helsinki", "Finland"))]
    assert city["type"] == "City" and city["name"] == "Helsinki"
    profile = nodes[str(IRI.profile("Helsinki", "Finland", 2020))]
    assert "vocab:goal/anticipate-and-manage-future-challenges" in profile["goals"]  # type: ignore[operator]
    assert nodes["vocab:goal/anticipate-and-manage-future-challenges"]["label"] == (
        "Anticipate and manage future challenges"
    )
    team = nodes[str(IRI.child(IRI.profile("Helsinki", "Finland", 2020), "team", "Economic Development"))]
    assert team["staff"] == 25 and team["location"] == "Mayor's Office"
    assert profile["explicit_strategy"] is True


@pytest.mark.parametrize("cities", [(), ("Tampere",)])
def test_flat_json_ld_reads_back_through_pyld_to_the_same_graph(store: Path, cities: tuple[str, ...]) -> None:
    document = json.loads(export_store(store, ExportFormat.JSONLD, iris=IRI, cities=cities))
    got = graph_of(to_rdf(document))
    assert isomorphic(got, _expected(store, Selection(cities=cities)))


def test_framed_json_ld_is_one_nested_document_per_city_and_drops_nothing(store: Path) -> None:
    data = export_store(store, ExportFormat.JSONLD, iris=IRI, frame=Frame.CITY)
    documents = json.loads(data)
    assert [d["name"] for d in documents] == ["Helsinki", "Tampere", "Durham"]  # by city IRI
    tampere = documents[1]
    assert tampere["@context"] == context()
    assert sorted(p["id"][-4:] for p in tampere["profiles"]) == ["2018", "2020"]
    later = next(p for p in tampere["profiles"] if p["id"].endswith("/2020"))
    assert later["teams"][0]["name"] == "Smart Tampere"
    assert later["teams"][0]["staff"] == 12
    assert later["partnerships"][0]["partner"]["label"] == "academia"
    got = Graph()
    for document in documents:
        got += graph_of(to_rdf(document))
    assert isomorphic(got, _expected(store, Selection(cities=("Durham", "Helsinki", "Tampere"))))


def test_framing_one_city_gives_one_document(store: Path) -> None:
    result = CliRunner().invoke(
        cli, ["export", "--store", str(store), "-f", "jsonld", "--frame", "city", "--city", "Durham"]
    )
    assert result.exit_code == 0, result.stderr
    documents = json.loads(result.stdout)
    assert len(documents) == 1 and documents[0]["name"] == "Durham"
    assert isomorphic(graph_of(to_rdf(documents)), _expected(store, Selection(cities=("Durham",))))


def test_framing_needs_json_ld(store: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "--store", str(store), "-f", "turtle", "--frame", "city"])
    assert result.exit_code == 2
    assert "framing needs JSON-LD output" in result.stderr


@pytest.mark.parametrize(
    "named",
    [
        "https://example.org/context.jsonld",
        "http://schema.org/",
        "file:///etc/passwd",
        "context.jsonld",
        "https://w3id.org/citykg/context/9.9.jsonld",
    ],
)
def test_any_other_context_is_refused_without_fetching(named: str) -> None:
    document = {"@context": named, "@id": "https://example.org/x", "name": "X"}
    with pytest.raises(InputError) as caught:
        to_rdf(document)
    assert named in str(caught.value)
    imported = {"@context": {"@import": named}, "@id": "https://example.org/x"}
    with pytest.raises(InputError):
        to_rdf(imported)


def test_the_bundled_context_is_served_under_its_versioned_iri() -> None:
    assert f"https://w3id.org/citykg/context/{CONTEXT_VERSION}.jsonld" == CONTEXT_IRI
    served = document_loader(CONTEXT_IRI)
    assert served["document"] == json.loads(context_path().read_text(encoding="utf-8"))
    quads = to_rdf({"@context": CONTEXT_IRI, "@id": "https://example.org/c", "name": "C", "staff": 3})
    assert {str(q.predicate.value) for q in quads} == {
        "https://schema.org/name",
        "https://w3id.org/citykg/ontology#staffCount",
    }
    assert context()["goals"]["@id"] == "ckg:goal"
