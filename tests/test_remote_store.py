"""The same commands on every kind of store (tests/triplestores.py: the embedded folder and a
real Oxigraph server): build, every catalog query, export, and a build killed mid-write."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.compare import isomorphic

from citykg import Store, catalog
from citykg.errors import StoreError
from citykg.rdf.convert import graph_of
from citykg.store.remote.generations import ASSERTED_VIEW, TERMS
from triplestores import StoreUnderTest, catalog_examples, oxigraph_store, store_location, virtuoso_template

__all__ = ["oxigraph_store", "store_location", "virtuoso_template"]

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "submissions"
HELSINKI = DATA / "helsinki-2020.yaml"
PREFIX = "https://w3id.org/citykg/store/"


@pytest.fixture(autouse=True)
def _same_build_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764633600")  # both builds stamp the same moment


def _rows(store: Store, name: str, params: dict[str, str]) -> list[list[tuple[str, str]]]:
    return sorted(sorted((k, str(v)) for k, v in row.items()) for row in store.query(name, params).rows)


def test_every_catalog_query_answers_as_on_the_embedded_store(
    store_location: StoreUnderTest, tmp_path: Path
) -> None:
    embedded = Store(tmp_path / "reference")
    embedded.build([DATA])
    store = Store(store_location.location)
    result = store.build([DATA])
    assert len(result.graphs) == len(embedded.query("surveyed-cities").rows) > 3
    examples = catalog_examples()
    assert len({name for name, _ in examples}) == len(catalog())
    for name, params in examples:
        assert _rows(store, name, params) == _rows(embedded, name, params), name
    asserted = store.query("partner-types-by-cities", inferred=False).rows
    assert asserted != store.query("partner-types-by-cities").rows  # the inferred graph is chosen
    for name, params in examples:  # without inference: the asserted view, as embedded
        theirs = embedded.query(name, params=params, inferred=False).rows
        assert store.query(name, params=params, inferred=False).rows == theirs, name


def test_export_writes_the_same_graphs(store_location: StoreUnderTest, tmp_path: Path) -> None:
    embedded = Store(tmp_path / "reference")
    embedded.build([HELSINKI])
    store = Store(store_location.location)
    store.build([HELSINKI])
    ours, theirs = (
        _graphs(store.export("nquads", inferred=True)),
        _graphs(embedded.export("nquads", inferred=True)),
    )
    assert sorted(ours) == sorted(theirs)
    assert len(theirs) == 3
    for name in theirs:
        assert isomorphic(graph_of(ours[name]), graph_of(theirs[name])), name
    assert store.export("turtle") == embedded.export("turtle")


def _graphs(nquads: bytes) -> dict[str, list[ox.Quad]]:
    graphs: dict[str, list[ox.Quad]] = {}
    for quad in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
        graphs.setdefault(str(quad.graph_name), []).append(quad)
    return graphs


def test_an_ad_hoc_query_sees_citykg_graphs_under_their_own_names(store_location: StoreUnderTest) -> None:
    store = Store(store_location.location)
    store.build([HELSINKI])
    rows = store.sparql("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").column("g")
    assert sorted(rows) == [
        "https://w3id.org/citykg/graph/finland/helsinki/2020",
        "https://w3id.org/citykg/graph/inferred",
        "https://w3id.org/citykg/graph/ontology",
    ]
    named = store.sparql(
        "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/citykg/graph/finland/helsinki/2020> "
        "WHERE { ?s ?p ?o }"
    )
    assert int(named.column("n")[0]) > 100


def test_a_query_before_any_build_says_there_is_no_store(store_location: StoreUnderTest) -> None:
    with pytest.raises(StoreError, match=r"no .*store here yet"):
        Store(store_location.location).query("surveyed-cities")


def _kill_mid_write(store_location: StoreUnderTest, tmp_path: Path, started: object) -> int:
    """Run `citykg build data/` in a process and kill -9 it once `started()` says it writes."""
    location = store_location.location
    if store_location.server is not None:  # small request bodies: the upload takes many requests
        location = store_location.config(tmp_path, batch_bytes=2000)
    build = subprocess.Popen(
        [sys.executable, "-m", "citykg", "build", str(DATA), "--store", location, "-q"],
        env={**os.environ, "SOURCE_DATE_EPOCH": "1764633600"},
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not started() and build.poll() is None and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.01)
    assert build.poll() is None, "the build ended before it was seen writing"
    build.send_signal(signal.SIGKILL)
    return build.wait()


def test_a_build_killed_mid_write_leaves_the_visible_graphs_as_they_were(
    store_location: StoreUnderTest, tmp_path: Path
) -> None:
    store = Store(store_location.location)
    store.build([HELSINKI])
    before = store.export("nquads", inferred=True)
    cities = store.query("surveyed-cities").column("city")
    if store_location.server is None:
        folder = Path(store_location.location)
        started = lambda: (folder / "gen-000002").exists()  # noqa: E731
    else:
        graphs_before = store_location.graphs()
        started = lambda: len(store_location.graphs() - graphs_before) > 3  # noqa: E731
    assert _kill_mid_write(store_location, tmp_path, started) == -signal.SIGKILL
    assert store.query("surveyed-cities").column("city") == cities == ["Helsinki"]
    assert store.export("nquads", inferred=True) == before
    result = store.build([DATA])  # the next writer is not stopped by what the killed one left
    assert len(result.graphs) > 3
    if store_location.server is not None:
        found = (re.match(rf"{PREFIX}(gen-\d+-\w+)/", g) for g in store_location.graphs())
        generations = {m[1] for m in found if m}
        assert len(generations) == 2  # the new one and the one it replaced; the killed one dropped


def test_citykg_writes_only_under_its_prefix_and_keeps_other_graphs(oxigraph_store: StoreUnderTest) -> None:
    store_location = oxigraph_store  # a folder holds citykg's graphs only: this is a server's matter
    theirs = "https://example.org/their/graph"
    store_location.update(
        f"INSERT DATA {{ <urn:a> <urn:b> <urn:c> . GRAPH <{theirs}> {{ <urn:a> <urn:b> <urn:d> }} }}"
    )
    store = Store(store_location.location)
    store.build([HELSINKI])
    store.build([HELSINKI])
    assert all(g.startswith(PREFIX) for g in store_location.graphs() - {theirs})
    assert store_location.select(f"SELECT ?o WHERE {{ GRAPH <{theirs}> {{ ?s ?p ?o }} }}") == [{"o": "urn:d"}]
    assert store_location.select("SELECT ?o WHERE { ?s ?p ?o }") == [{"o": "urn:c"}]
    assert store.sparql("ASK { <urn:a> ?p ?o }").boolean is False  # not part of citykg's store


def test_a_generation_without_the_asserted_view_is_refused_without_inference(
    oxigraph_store: StoreUnderTest,
) -> None:
    """A generation an earlier citykg wrote has no asserted view (decision 1304): its default
    graph cannot answer a query without inference, so citykg says to build again."""
    store = Store(oxigraph_store.location)
    store.build([HELSINKI])
    oxigraph_store.update(f"DELETE WHERE {{ GRAPH ?manifest {{ ?view <{TERMS}holds> <{ASSERTED_VIEW}> }} }}")
    assert store.query("surveyed-cities").column("city") == ["Helsinki"]  # with inference: fine
    with pytest.raises(StoreError, match="written by an earlier citykg") as refused:
        store.query("surveyed-cities", inferred=False)
    assert refused.value.hint == "run citykg build again into it"


def test_readers_see_one_whole_generation_or_the_other_while_builds_land(
    store_location: StoreUnderTest, tmp_path: Path
) -> None:
    reference = Store(tmp_path / "reference")
    reference.build([DATA])
    every_city = len(reference.query("surveyed-cities").rows)
    store = Store(store_location.location)
    store.build([HELSINKI])

    def builds() -> None:  # other processes, as other users' commands
        for files in (DATA, HELSINKI, DATA, HELSINKI):
            command = [
                sys.executable,
                "-m",
                "citykg",
                "build",
                str(files),
                "--store",
                store_location.location,
            ]
            outcomes.append(subprocess.run([*command, "-q", "--wait", "60"], capture_output=True).returncode)

    outcomes: list[int] = []
    writer = threading.Thread(target=builds)
    writer.start()
    seen = []
    while writer.is_alive():
        seen.append(len(store.query("surveyed-cities").rows))
    writer.join()
    assert outcomes == [0, 0, 0, 0]
    assert set(seen) <= {1, every_city}  # never an empty or a half-written store
    assert len(seen) > 4 and store.query("surveyed-cities").column("city") == ["Helsinki"]
