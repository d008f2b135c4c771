"""Inference one submission at a time (what a build does) gives exactly the inferred graph of
the chainer run on the whole store at once (`materialise_whole`, checked against owlrl in
test_inference.py), on synthetic cities, on the project's submissions and on generated graphs
whose joins cross submissions."""

from __future__ import annotations

import random
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pyoxigraph as ox
import pytest
from bench.build import submission_files
from bench.synthetic import build_store
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, BNode, Graph, Namespace, URIRef
from rdflib.namespace import OWL

from citykg.errors import InconsistentData
from citykg.inference.materialise import InferenceResult, Inferring, materialise, materialise_whole
from citykg.inference.rules import Rules, compile_closure, compile_rules
from citykg.inference.submissions import as_triples, infer_submission
from citykg.rdf.iris import IRIs
from citykg.store.generations import open_store
from citykg.store.graphs import OxigraphStore, memory_store
from citykg.workflow.build import build
from citykg.workflow.prepare import submission_closure
from test_inference import _triple

ROOT = Path(__file__).resolve().parents[1]
IRIS = IRIs()
INFERRED = ox.NamedNode(str(IRIS.inferred_graph))
EX = Namespace("https://w3id.org/citykg/id/test/")


def inferred(store: ox.Store) -> set[ox.Triple]:
    return {q.triple for q in store.quads_for_pattern(None, None, None, INFERRED)}


def copy(location: Path, target: Path) -> OxigraphStore:
    open_store(location).store.backup(str(target))
    return OxigraphStore(ox.Store(str(target)), target)


def both_ways(location: Path, tmp_path: Path) -> tuple[set[ox.Triple], set[ox.Triple]]:
    """The inferred graph `materialise` writes and the one `materialise_whole` writes, each on
    a copy of the store at `location`."""
    fast, whole = copy(location, tmp_path / "fast"), copy(location, tmp_path / "whole")
    first, second = materialise(fast, iris=IRIS), materialise_whole(whole, iris=IRIS)
    assert first.inferred == second.inferred == len(inferred(fast.store)) > 0
    return inferred(fast.store), inferred(whole.store)


def _closure_of(quads: list[ox.Quad]):  # type: ignore[no-untyped-def]
    return infer_submission(as_triples(quads))


def by_workers(store: OxigraphStore) -> InferenceResult:
    """The build's way: each named graph's triples inferred in a worker process, in any order."""
    graphs = [g for g in store.store.named_graphs() if g != INFERRED]
    random.Random(13).shuffle(graphs)
    parts = [list(store.store.quads_for_pattern(None, None, None, g)) for g in graphs]
    inferring = Inferring(store, iris=IRIS)
    with ProcessPoolExecutor(2) as pool:
        for closure in pool.map(_closure_of, parts):
            inferring.add(closure)
    return inferring.finish()


@pytest.mark.slow  # two inference runs over 60 cities, and one more in two processes
def test_synthetic_cities_in_two_waves_infer_the_same_graph_one_submission_at_a_time(tmp_path: Path) -> None:
    location = tmp_path / "store"
    build_store(location, 60, templates=10)  # every fifth city answered both waves
    fast, whole = both_ways(location, tmp_path)
    assert fast == whole
    store = copy(location, tmp_path / "workers")
    result = by_workers(store)
    assert inferred(store.store) == whole
    assert result.inferred == len(whole)


@pytest.mark.slow  # builds the project's submissions
def test_the_projects_submissions_infer_the_same_graph_one_submission_at_a_time(tmp_path: Path) -> None:
    location = tmp_path / "store"
    build([ROOT / "data" / "submissions", ROOT / "tests" / "fixtures" / "catalog"], store_path=location)
    built = inferred(open_store(location).store)  # each submission's closure, added as it loaded
    fast, whole = both_ways(location, tmp_path)
    assert fast == whole == built


@pytest.mark.slow  # a pool build of 36 files, and one inference run over them
def test_a_pool_build_infers_the_graph_of_the_whole_store_at_once(tmp_path: Path) -> None:
    folder = submission_files(30, tmp_path / "cities")  # every fifth city in both waves: joins
    location = tmp_path / "store"
    result = build([folder], store_path=location, workers=2)
    built = inferred(open_store(location).store)
    whole = copy(location, tmp_path / "whole")
    assert materialise_whole(whole, iris=IRIS).inferred == result.inferred == len(built) > 0
    assert built == inferred(whole.store)


def made_up_rules() -> Rules:
    """A restriction (p some Filler => Implied), a chain (first o second => result), a
    transitive property (its edges inferred from an inverse) and two disjoint classes: every
    rule that joins two data triples."""
    ontology = Graph()
    restriction = BNode()
    ontology.add((restriction, RDF.type, OWL.Restriction))
    ontology.add((restriction, OWL.onProperty, EX.p))
    ontology.add((restriction, OWL.someValuesFrom, EX.Filler))
    ontology.add((restriction, RDFS.subClassOf, EX.Implied))
    head, rest = BNode(), BNode()
    ontology.add((EX.result, OWL.propertyChainAxiom, head))
    ontology.add((head, RDF.first, EX.first))
    ontology.add((head, RDF.rest, rest))
    ontology.add((rest, RDF.first, EX.second))
    ontology.add((rest, RDF.rest, RDF.nil))
    ontology.add((EX.ancestor, RDF.type, OWL.TransitiveProperty))
    ontology.add((EX.parent, RDFS.subPropertyOf, EX.ancestor))
    # data edges of a transitive property are ignored, inferred ones are not
    ontology.add((EX.child, OWL.inverseOf, EX.parent))
    ontology.add((EX.A, OWL.disjointWith, EX.B))
    ontology.add((EX.Filler, RDFS.subClassOf, EX.A))
    return compile_closure(ontology)


def _outcome(store: OxigraphStore, how: object, rules: Rules) -> object:
    try:
        how(store, iris=IRIS, rules=rules)  # type: ignore[operator]
    except InconsistentData as error:
        return ("refused", sorted(error.conflicts))
    return inferred(store.store)


def _store_of(parts: list[list[tuple[URIRef, URIRef, URIRef]]]) -> OxigraphStore:
    store = memory_store()
    graphs = {}
    for number, triples in enumerate(parts):
        graph = Graph()
        for triple in triples:
            graph.add(triple)
        graphs[URIRef(EX[f"graph/{number}"])] = graph
    store.replace_graphs(graphs, derived=frozenset({IRIS.inferred_graph}))
    return store


def test_joins_across_submissions_are_inferred_and_contradictions_refused() -> None:
    rules = made_up_rules()
    parts = [
        [(EX.x, EX.p, EX.y), (EX.u, EX.first, EX.v), (EX.b, EX.child, EX.a)],
        [(EX.y, RDF.type, EX.Filler), (EX.v, EX.second, EX.w), (EX.c, EX.child, EX.b)],
    ]
    fast = _outcome(_store_of(parts), materialise, rules)
    assert fast == _outcome(_store_of(parts), materialise_whole, rules)
    assert fast == _outcome(_store_of(parts), the_builds_way, rules)
    implied = {
        (EX.x, RDF.type, EX.Implied),
        (EX.u, EX.result, EX.w),
        (EX.a, EX.ancestor, EX.c),
    }
    assert {ox.Triple(*(ox.NamedNode(str(t)) for t in triple)) for triple in implied} <= fast  # type: ignore[operator]

    clash = [*parts, [(EX.y, RDF.type, EX.B)]]  # y a Filler (so an A) in one graph, a B in another
    refused = _outcome(_store_of(clash), materialise, rules)
    assert refused == _outcome(_store_of(clash), materialise_whole, rules)
    assert refused == _outcome(_store_of(clash), the_builds_way, rules)
    assert refused == ("refused", [(str(EX.y), str(EX.A), str(EX.B))])


_parts = st.lists(st.lists(_triple, min_size=1, max_size=8), min_size=1, max_size=4)


def the_builds_way(store: OxigraphStore, *, iris: IRIs, rules: Rules) -> InferenceResult:
    """Inference as a build does it: each submission's closure computed from its triples alone
    (`submission_closure`, in a worker), its inferred quads loaded beside the asserted ones,
    then `Inferring.finish` told which subjects another graph may assert."""
    inferring, about = Inferring(store, iris=iris, rules=rules), set[str]()
    for graph in [g for g in store.store.named_graphs() if g != INFERRED]:
        triples = as_triples(store.store.quads_for_pattern(None, None, None, graph))
        closure, text, subjects = submission_closure(triples, str(INFERRED), rules=rules)
        if closure is None:  # a blank node in the submission: the build infers from the store
            return materialise(store, iris=iris, rules=rules)
        store.store.load(text.encode(), format=ox.RdfFormat.N_QUADS)
        inferring.add(closure)
        about |= subjects
    return inferring.finish(maybe_asserted=about)


@settings(max_examples=60, deadline=None)
@given(_parts)
def test_generated_graphs_split_into_submissions_infer_what_the_whole_does(
    parts: list[list[tuple[URIRef, URIRef, URIRef]]],
) -> None:
    rules = compile_rules()
    fast = _outcome(_store_of(parts), materialise, rules)
    assert fast == _outcome(_store_of(parts), materialise_whole, rules)
    assert fast == _outcome(_store_of(parts), the_builds_way, rules)
