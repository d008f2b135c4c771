"""The generational store: builds are atomic, failures leave the live store answering the same."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef

from citykg.errors import BuildRefused, StoreError
from citykg.model.ontology import ontology_graph
from citykg.rdf.iris import IRIs
from citykg.rdf.terms import CKG, OWL, SCHEMA
from citykg.store.build_cache import CACHE_FILE
from citykg.store.generations import build_new_generation, open_store, store_exists
from citykg.store.graphs import OxigraphStore, memory_store
from citykg.workflow import build as build_module
from citykg.workflow.build import build

ASK_HELSINKI = 'PREFIX schema: <https://schema.org/> ASK { ?c schema:name "Helsinki" }'
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def count(location: Path) -> int:
    store = open_store(location)
    (row,) = list(store.query(COUNT))  # type: ignore[call-overload]
    return int(row["n"].value)


def generations(location: Path) -> list[str]:
    return sorted(p.name for p in location.iterdir() if p.name.startswith("gen-"))


def bad_submission(tmp_path: Path) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text("city: {name: Espoo, country: Finland}\nsurvey: {wave: 1999}\n", encoding="utf-8")
    return path


def test_build_creates_a_store_with_ontology_and_submission_graphs(built_store: Path) -> None:
    assert store_exists(built_store)
    assert generations(built_store) == ["gen-000001"]
    store = open_store(built_store)
    iris = IRIs()
    assert store.named_graphs() == sorted(
        [iris.ontology_graph, iris.inferred_graph, iris.graph("Helsinki", "Finland", 2020)]
    )
    assert bool(store.query(ASK_HELSINKI))
    helsinki = store.graph(iris.graph("Helsinki", "Finland", 2020))
    assert (iris.city("Helsinki", "Finland"), SCHEMA.name, Literal("Helsinki")) in helsinki


def test_rebuild_replaces_the_generation(store_copy: Path, helsinki_path: Path) -> None:
    before = count(store_copy)
    build([helsinki_path], store_path=store_copy)
    assert generations(store_copy) == ["gen-000002"]
    assert count(store_copy) == before


def test_refused_build_leaves_the_store_as_it_was(
    store_copy: Path, tmp_path: Path, helsinki_path: Path
) -> None:
    before = count(store_copy)
    with pytest.raises(BuildRefused):
        build([helsinki_path, bad_submission(tmp_path)], store_path=store_copy)
    assert generations(store_copy) == ["gen-000001"]
    assert count(store_copy) == before
    assert bool(open_store(store_copy).query(ASK_HELSINKI))


@pytest.mark.parametrize("cold", [True, False], ids=["cold build", "rebuild from the cache"])
def test_exception_while_filling_leaves_the_store_as_it_was(
    store_copy: Path, helsinki_path: Path, monkeypatch: pytest.MonkeyPatch, cold: bool
) -> None:
    if cold:
        (store_copy / CACHE_FILE).unlink(missing_ok=True)
    before = count(store_copy)

    def explode(*_: object, **__: object) -> None:
        raise RuntimeError("disk on fire")

    # at the end of filling the new generation, whether the build is a cold one or a rebuild
    monkeypatch.setattr(build_module, "_infer", explode)
    with pytest.raises(RuntimeError, match="disk on fire"):
        build([helsinki_path], store_path=store_copy)
    assert generations(store_copy) == ["gen-000001"]
    assert count(store_copy) == before
    assert bool(open_store(store_copy).query(ASK_HELSINKI))


def test_interrupt_while_filling_leaves_the_store_as_it_was(store_copy: Path) -> None:
    before = count(store_copy)

    def fill(store: OxigraphStore) -> None:
        store.replace_graphs({URIRef("https://example.org/g"): None})
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_new_generation(store_copy, fill)
    assert generations(store_copy) == ["gen-000001"]
    assert count(store_copy) == before


def test_a_second_build_waits_for_the_first_then_lands_after_it_or_gives_up(store_copy: Path) -> None:
    started, release = threading.Event(), threading.Event()
    outcome: list[Path | BaseException] = []

    def slow_fill(store: OxigraphStore) -> None:
        started.set()
        release.wait(timeout=30)

    def in_thread(fill: Callable[[OxigraphStore], None], wait: float) -> threading.Thread:
        def write() -> None:
            try:
                outcome.append(build_new_generation(store_copy, fill, wait=wait))
            except BaseException as exc:
                outcome.append(exc)

        thread = threading.Thread(target=write)
        thread.start()
        return thread

    first = in_thread(slow_fill, 0)
    try:
        assert started.wait(timeout=30)
        with pytest.raises(
            StoreError, match=r"another citykg build or submit is writing this store \(waited 0 s\)"
        ):
            build_new_generation(store_copy, lambda store: None, wait=0)
        second = in_thread(lambda store: None, 60)  # queues on the lock
    finally:
        release.set()
        first.join(timeout=30)
    second.join(timeout=60)
    # the first build was not disturbed, the second one landed after it
    assert outcome == [store_copy / "gen-000002", store_copy / "gen-000003"]
    assert generations(store_copy) == ["gen-000003"]


def test_orphaned_generations_are_cleaned_by_the_next_build(store_copy: Path, helsinki_path: Path) -> None:
    # what a build killed half-way leaves: a generation CURRENT does not name
    shutil.copytree(store_copy / "gen-000001", store_copy / "gen-000007")
    (store_copy / "gen-000003").mkdir()
    assert count(store_copy) > 0  # the orphans do not disturb readers
    build([helsinki_path], store_path=store_copy)
    assert generations(store_copy) == ["gen-000002"]
    assert (store_copy / "CURRENT").read_text(encoding="utf-8").strip() == "gen-000002"


def test_missing_store_gives_a_hint(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as caught:
        open_store(tmp_path / "nowhere")
    assert caught.value.hint is not None and "citykg build" in caught.value.hint


def test_damaged_pointer_is_reported(store_copy: Path) -> None:
    (store_copy / "CURRENT").write_text("gen-000042\n", encoding="utf-8")
    with pytest.raises(StoreError, match="missing generation 'gen-000042'"):
        open_store(store_copy)


def test_replace_graphs_replaces_and_removes() -> None:
    store = memory_store()
    a, b = URIRef("https://example.org/a"), URIRef("https://example.org/b")
    first = Graph()
    first.add((a, SCHEMA.name, Literal("one")))
    store.replace_graphs({a: first, b: first})
    second = Graph()
    second.add((a, SCHEMA.name, Literal("two")))
    store.replace_graphs({a: second, b: None})
    assert store.named_graphs() == [a]
    assert set(store.graph(a)) == set(second)


def test_replace_graphs_takes_graphs_with_blank_nodes() -> None:
    """The ontology has blank nodes (an owl:Restriction); replacing its graph must keep them."""
    store = memory_store()
    name = URIRef("https://example.org/ontology")
    store.replace_graphs({name: ontology_graph()})
    stored = store.graph(name)
    assert len(stored) == len(ontology_graph())
    restriction = stored.value(CKG.SurveyedCity, OWL.equivalentClass)
    assert isinstance(restriction, BNode)
    assert stored.value(restriction, OWL.onProperty) == CKG.profile
    assert stored.value(restriction, OWL.someValuesFrom) == CKG.CityProfile


def test_replace_graphs_keeps_every_kind_of_literal_exactly() -> None:
    store = memory_store()
    name = URIRef("https://example.org/g")
    graph = Graph()
    subject = URIRef("https://example.org/s")
    for value in [
        Literal('quote " and backslash \\ and newline \n and tab \t'),
        Literal("Zürich 東京 \U0001f600"),
        Literal("Helsinki", lang="fi"),
        Literal(25),
        Literal(True),
        Literal("2035", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear")),
        Literal("} } DROP ALL ; INSERT DATA { <x> <y> <z> }"),
    ]:
        graph.add((subject, SCHEMA.description, value))
    store.replace_graphs({name: graph})
    assert set(store.graph(name)) == set(graph)


def test_shared_facts_count_once_across_submission_graphs(tmp_path: Path, helsinki_path: Path) -> None:
    earlier = tmp_path / "helsinki-2018.yaml"
    earlier.write_text(
        helsinki_path.read_text(encoding="utf-8").replace("survey: {wave: 2020}", "survey: {wave: 2018}"),
        encoding="utf-8",
    )
    build([helsinki_path, earlier], store_path=tmp_path / "store")
    store = open_store(tmp_path / "store")
    city = IRIs().city("Helsinki", "Finland")
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ <{city}> <https://schema.org/name> ?name }}"
    (row,) = list(store.query(query))  # type: ignore[call-overload]
    assert int(row["n"].value) == 1  # in both graphs, one fact


def test_replace_graphs_keeps_the_default_graph_the_union_of_named_graphs() -> None:
    store = memory_store()
    a, b, inferred = (URIRef(f"https://example.org/{n}") for n in ("a", "b", "inferred"))
    shared = (URIRef("https://example.org/s"), SCHEMA.name, Literal("shared"))
    only_a = (URIRef("https://example.org/s"), SCHEMA.name, Literal("only a"))
    guess = (URIRef("https://example.org/s"), SCHEMA.name, Literal("inferred"))
    graph_a, graph_b, graph_i = Graph(), Graph(), Graph()
    graph_a.add(shared)
    graph_a.add(only_a)
    graph_b.add(shared)
    graph_i.add(guess)
    store.replace_graphs({a: graph_a, b: graph_b, inferred: graph_i}, derived=frozenset({inferred}))

    def names(**kwargs: object) -> set[str]:
        result = store.query("SELECT ?n WHERE { ?s <https://schema.org/name> ?n }", **kwargs)  # type: ignore[arg-type]
        return {s["n"].value for s in result}  # type: ignore[attr-defined]

    assert names() == {"shared", "only a"}
    assert names(extra_graphs=[inferred]) == {"shared", "only a", "inferred"}
    store.replace_graphs({a: None})
    assert names() == {"shared"}
    store.replace_graphs({b: None})
    assert names() == set()
