"""A submit refreshes the inferred graph for what it changed only, and the result is exactly
what inferring over the whole store gives."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef

from _submit_support import HELSINKI, variant
from citykg.inference.materialise import materialise, refresh, resources_of
from citykg.rdf.iris import IRIs
from citykg.store.generations import open_store
from citykg.store.graphs import OxigraphStore, memory_store
from citykg.workflow.build import build
from citykg.workflow.submit import submit
from test_inference_partitioned import EX, made_up_rules

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "tests" / "fixtures" / "catalog"
PUBLISHING = ROOT / "tests" / "data" / "publishing"
INFERRED = ox.NamedNode(str(IRIs().inferred_graph))


def inferred(store: ox.Store) -> set[ox.Triple]:
    return {q.triple for q in store.quads_for_pattern(None, None, None, INFERRED)}


def from_scratch(location: Path, scratch: Path) -> set[ox.Triple]:
    """The inferred graph `materialise` computes over the whole live store (on a copy)."""
    open_store(location).store.backup(str(scratch))
    copy = OxigraphStore(ox.Store(str(scratch)), scratch)
    materialise(copy, iris=IRIs())
    return inferred(copy.store)


@pytest.mark.slow  # a submit and a full materialise per step
def test_each_submit_leaves_the_inferred_graph_materialise_would_write(tmp_path: Path) -> None:
    location = tmp_path / "store"
    build([CATALOG], store_path=location)
    steps = [
        # another mayor and a data partner less (the partner-type chain loses its hospitals)
        variant(
            CATALOG / "eastvale-2020.yaml",
            tmp_path / "eastvale.yaml",
            ("mayor: Eli Stone", "mayor: Ada Stone"),
            ("    - {partner: hospitals}\n", ""),
        ),
        PUBLISHING / "tampere-2020.yaml",  # a new city
        PUBLISHING / "tampere-2018.yaml",  # its second wave: the city gets a second profile
        HELSINKI,
        variant(  # a resubmission that moves a data partnership to a narrower kind
            HELSINKI, tmp_path / "helsinki.yaml", ("Jan Vapaavuori", "Juhana Vartiainen")
        ),
    ]
    for number, path in enumerate(steps):
        before = inferred(open_store(location).store)
        result = submit(path, store_path=location)
        assert result.committed, [p.render() for r in result.reviews for p in r.report.problems]
        after = inferred(open_store(location).store)
        assert after == from_scratch(location, tmp_path / f"scratch-{number}"), path.name
        assert after != before, path.name  # each step changes something inferred


@pytest.mark.parametrize("wave", ["2018", "2020"])
def test_a_city_answering_another_wave_is_still_a_surveyed_city(tmp_path: Path, wave: str) -> None:
    location = tmp_path / "store"
    build([PUBLISHING / f"tampere-{wave}.yaml"], store_path=location)
    other = "2020" if wave == "2018" else "2018"
    assert submit(PUBLISHING / f"tampere-{other}.yaml", store_path=location).committed
    assert inferred(open_store(location).store) == from_scratch(location, tmp_path / "scratch")


def test_a_change_reaches_resources_joined_to_what_changed() -> None:
    """With a restriction whose filler type is stated in another graph (x p y in one graph,
    y a Filler in another), replacing the second graph changes what holds of x, which that
    graph never mentions: refresh follows the join from y to x."""
    ex = EX
    rules = made_up_rules()  # p some Filler => Implied, among others
    iris = IRIs()
    first, second = URIRef(ex["graph/first"]), URIRef(ex["graph/second"])
    linked, typed = Graph(), Graph()
    linked.add((ex.x, ex.p, ex.y))
    typed.add((ex.y, RDF.type, ex.Filler))

    store = memory_store()
    store.replace_graphs({first: linked, second: typed}, derived=frozenset({iris.inferred_graph}))
    materialise(store, iris=iris, rules=rules)
    implied = ox.Triple(ox.NamedNode(ex.x), ox.NamedNode(str(RDF.type)), ox.NamedNode(ex.Implied))
    assert implied in inferred(store.store)

    untyped = Graph()
    untyped.add((ex.y, RDFS.label, Literal("y")))
    changed = resources_of(store, [second], [untyped])
    assert "<https://w3id.org/citykg/id/test/x>" not in changed
    store.replace_graphs({second: untyped}, derived=frozenset({iris.inferred_graph}))
    refresh(store, iris=iris, changed=changed, rules=rules)
    assert implied not in inferred(store.store)
