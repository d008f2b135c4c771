"""The store's shape (docs/decisions/1304): queries with inference read one graph, the default
graph, which holds no evidence record; queries without inference give exactly the answers of
the asserted graphs alone; the asserted view that serves them shows in no listing of graphs;
and a refresh keeps the shape."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from citykg import Store
from citykg.errors import StoreError
from citykg.inference.materialise import materialise, refresh, resources_of
from citykg.queries.catalog import catalog
from citykg.queries.results import QueryResult
from citykg.queries.run import run_on, with_values
from citykg.rdf.iris import IRIs
from citykg.store.generations import open_store
from citykg.store.graphs import memory_store
from store_shape_support import EVIDENCE, assert_folder_shape, assert_store_shape


@pytest.fixture
def built(catalog_store: Path) -> Path:
    return catalog_store


def _union(live: ox.Store, *, with_inferred: bool) -> ox.Store:
    """An in-memory store whose default graph is the set union of the asserted graphs (their
    evidence records included), and of the inferred graph when asked: the answers of before
    decision 1304's shape, without its shortcuts."""
    inferred = ox.NamedNode(str(IRIs().inferred_graph))
    memory = ox.Store()
    memory.bulk_extend(
        ox.Quad(q.subject, q.predicate, q.object)
        for q in live.quads_for_pattern(None, None, None, None)
        if isinstance(q.graph_name, ox.NamedNode) and (with_inferred or q.graph_name != inferred)
    )
    return memory


def _rows(result: QueryResult) -> list[str]:
    if result.graph is not None:
        return sorted(" ".join(t.n3() for t in triple) for triple in result.graph)
    return sorted(repr(sorted((k, v.n3()) for k, v in row.items())) for row in result.rows)


def _expected(memory: ox.Store, text: str) -> list[str]:
    answer = QueryResult.from_oxigraph(memory.query(text))
    return _rows(answer)


def test_the_default_graph_holds_no_evidence_and_the_asserted_view_is_hidden(built: Path) -> None:
    live = open_store(built).store
    assert_store_shape(live)
    default = list(live.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    assert default and not any((q.predicate, q.object) == EVIDENCE for q in default)
    listed = Store(built).sparql("SELECT DISTINCT ?g WHERE { GRAPH ?g { } } ORDER BY ?g").column("g")
    # the named graphs, and not the asserted view (a blank-node graph) that the store holds too
    assert listed == [str(g) for g in open_store(built).named_graphs()]
    assert len(list(live.named_graphs())) == len(listed) + 1
    evidence = Store(built).sparql(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?e a <https://w3id.org/citykg/ontology#Evidence> } }"
    )
    assert int(str(evidence.rows[0]["n"])) > 0  # the evidence records are in their named graphs


@pytest.mark.parametrize("name", sorted(catalog()))
def test_every_catalog_query_answers_as_the_asserted_union_and_the_inferred_graph_do(
    built: Path, name: str
) -> None:
    query = catalog()[name]
    text = with_values(query.text, query.bindings({}))
    live = open_store(built).store
    asserted = Store(built).query(name, inferred=False)
    inferred = Store(built).query(name)
    assert _rows(asserted) == _expected(_union(live, with_inferred=False), text)
    assert _rows(inferred) == _expected(_union(live, with_inferred=True), text)


def test_ad_hoc_sparql_without_inference_sees_asserted_triples_only(built: Path) -> None:
    query = "SELECT ?c WHERE { ?c a <https://w3id.org/citykg/ontology#SurveyedCity> }"
    assert Store(built).sparql(query, inferred=False).rows == []
    assert len(Store(built).sparql(query).rows) == 4  # SurveyedCity is inferred


def test_a_refresh_after_replacing_or_removing_a_graph_keeps_the_shape(built: Path) -> None:
    iris = IRIs()
    store = memory_store()
    store.store.bulk_extend(open_store(built).store)  # the built store, as a submit changes it
    derived = frozenset({iris.inferred_graph})
    [name] = [g for g in store.named_graphs() if str(g).endswith("/northport/2020")]
    graph = store.graph(name)
    partners = {(s, p, o) for s, p, o in graph if str(p).endswith("#partnerType")}
    assert partners  # what the partner-type chain and the restrictions infer from
    changed = Graph()
    for triple in set(graph) - partners:
        changed.add(triple)
    touched = resources_of(store, [name], [changed])
    store.replace_graphs({name: changed}, derived=derived)
    refresh(store, iris=iris, changed=touched)
    assert_store_shape(store.store, iris)
    touched = resources_of(store, [name], [])
    store.replace_graphs({name: None}, derived=derived)
    refresh(store, iris=iris, changed=touched)
    assert_store_shape(store.store, iris)
    again = memory_store()
    again.store.bulk_extend(store.quads())  # the named graphs alone
    again.rebuild_union(derived=derived)
    materialise(again, iris=iris)
    assert set(again.store) == set(store.store)  # a refresh leaves what a whole materialise does


def test_the_folder_after_a_build_has_the_shape(built: Path) -> None:
    assert_folder_shape(built)


def test_a_store_of_the_earlier_shape_is_refused_with_what_to_do(built: Path) -> None:
    earlier = memory_store()  # the asserted union as its default graph, the inferred graph beside it
    earlier.store.bulk_extend(open_store(built).quads())
    earlier.store.bulk_extend(
        ox.Quad(q.subject, q.predicate, q.object)
        for q in open_store(built).quads()
        if q.graph_name != ox.NamedNode(str(IRIs().inferred_graph))
    )
    with pytest.raises(StoreError, match="earlier citykg") as refused:
        run_on(earlier, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", {}, include_inferred=True)
    assert refused.value.hint == "run citykg build again into a new store folder"
