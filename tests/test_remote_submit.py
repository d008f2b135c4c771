"""`citykg submit` and `citykg history` on every kind of store (tests/triplestores.py: the
embedded folder, a real Oxigraph server, and Virtuoso in make test-virtuoso), each compared
with an embedded store given the same files: the same answers, messages and history; a submit
killed by SIGKILL mid-write leaves the visible graphs as they were."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result
from rdflib.compare import isomorphic

from _submit_support import HELSINKI, variant
from citykg import Store
from citykg.cli import cli
from citykg.rdf.convert import graph_of
from citykg.store.generations import open_store
from citykg.store.graphs import ASSERTED
from citykg.store.remote.locator import locate
from citykg.store.remote.reading import open_remote
from holding_proxy import HoldingProxy
from test_remote_store import DATA, PREFIX, _rows
from triplestores import StoreUnderTest, catalog_examples, oxigraph_store, store_location, virtuoso_template

__all__ = ["oxigraph_store", "store_location", "virtuoso_template"]

OTHERS = sorted(p for p in DATA.iterdir() if p.name != HELSINKI.name)  # the store before the submits


@pytest.fixture(autouse=True)
def _same_build_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764633600")  # every store stamps the same moment


def run(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code != 70, result.output
    return result


def _second(tmp_path: Path) -> Path:
    """Helsinki again: another mayor, and hospitals no longer among the data partners (so the
    inferred partner types change: a hospital is a regional institution)."""
    return variant(
        HELSINKI,
        tmp_path / "helsinki-2020.yaml",
        ("mayor: Jan Vapaavuori", "mayor: Juhana Vartiainen"),
        ("includes: [hospitals, waste and water management", "includes: [waste and water management"),
    )


def _derived(location: str) -> dict[str, list[ox.Triple]]:
    """The default graph and the asserted view of the live generation."""
    if "://" in location or location.endswith(".toml"):
        remote = open_remote(locate(location))
        try:
            return {
                "default": list(remote.default_triples()),
                "asserted view": list(remote.asserted_view_triples()),
            }
        finally:
            remote.client.close()
    store = open_store(Path(location)).store
    return {
        name: [q.triple for q in store.quads_for_pattern(None, None, None, graph)]
        for name, graph in (("default", ox.DefaultGraph()), ("asserted view", ASSERTED))
    }


def _same_store(location: str, reference: Store) -> None:
    """Every catalog query (with and without inference), every graph, the default graph and the
    asserted view as in the embedded `reference`."""
    store = Store(location)
    for name, params in catalog_examples():
        assert _rows(store, name, params) == _rows(reference, name, params), name
        theirs = reference.query(name, params=params, inferred=False).rows
        assert store.query(name, params=params, inferred=False).rows == theirs, name
    assert store.export("nquads", inferred=True) == reference.export("nquads", inferred=True)
    derived, expected = _derived(location), _derived(str(reference.location))
    assert sorted(derived) == sorted(expected) == ["asserted view", "default"]
    for name, graph in expected.items():  # the same triples (blank nodes: the same structures)
        assert len(derived[name]) == len(graph) > 1000, name
        assert isomorphic(graph_of(derived[name]), graph_of(graph)), name


def test_submits_answer_every_catalog_query_as_on_the_embedded_store(
    store_location: StoreUnderTest, tmp_path: Path
) -> None:
    reference = Store(tmp_path / "reference")
    store = Store(store_location.location)
    second = _second(tmp_path)
    for target in (reference, store):
        target.build(OTHERS)
        assert target.submit(HELSINKI).committed
    _same_store(store_location.location, reference)
    hospitals = {"partner": "hospitals"}
    assert [str(r["city"]) for r in store.query("cities-with-data-partner", hospitals).rows] == ["Helsinki"]
    for target in (reference, store):
        assert target.submit(second).committed
    _same_store(store_location.location, reference)
    assert store.query("cities-with-data-partner", hospitals).rows == []  # the inferred graph follows
    if store_location.server is not None:  # only the changed graphs were written: the rest is shared
        found = (re.match(rf"({PREFIX}gen-\d+-\w+)/", g) for g in store_location.graphs())
        newest = max({m[1] for m in found if m})
        written = {g for g in store_location.graphs() if g.startswith(newest + "/")}
        # the submission, the inferred graph, the asserted view, the default graph, the manifest
        assert len(written) == 5, sorted(written)


def test_a_refused_submission_says_what_the_embedded_store_says_and_changes_nothing(
    store_location: StoreUnderTest, tmp_path: Path
) -> None:
    reference = tmp_path / "reference"
    for location in (str(reference), store_location.location):
        assert run("build", *map(str, DATA.iterdir()), "--store", location, "-q").exit_code == 0
    before = Store(store_location.location).export("nquads", inferred=True)
    graphs = store_location.graphs() if store_location.server is not None else None
    refused = [
        variant(  # a conflict with a stored graph (the review's lookups, graph names mapped)
            HELSINKI,
            tmp_path / "helsinki-2018.yaml",
            ("survey: {wave: 2020}", "survey: {wave: 2018}"),
            ("value: 653867", "value: 650000"),
        ),
        variant(HELSINKI, tmp_path / "helsinky.yaml", ("name: Helsinki", "name: Helsinky")),  # a look-alike
        variant(HELSINKI, tmp_path / "bad.yaml", ("value: 653867", "value: many")),  # the shapes
    ]
    for path in refused:
        ours = run("submit", str(path), "--store", store_location.location)
        theirs = run("submit", str(path), "--store", str(reference))
        assert (ours.exit_code, ours.stdout) == (theirs.exit_code, theirs.stdout) == (1, theirs.stdout)
        assert "conflicts with" in theirs.stdout or "looks like" in theirs.stdout or "many" in theirs.stdout
    assert "stored for the same city and year by <https://w3id.org/citykg/graph/finland/helsinki/2020>" in (
        run("submit", str(refused[0]), "--store", store_location.location).stdout
    )
    assert Store(store_location.location).export("nquads", inferred=True) == before
    if graphs is not None:
        assert store_location.graphs() == graphs


def test_history_after_two_submits_and_a_rebuild_is_the_embedded_history(
    store_location: StoreUnderTest, tmp_path: Path
) -> None:
    reference = str(tmp_path / "reference")
    second = _second(tmp_path)
    third = variant(second, tmp_path / "helsinki-again.yaml", ("value: 653867", "value: 653868"))
    for location in (reference, store_location.location):
        assert run("build", *map(str, OTHERS), "--store", location, "-q").exit_code == 0
        for path in (HELSINKI, second):
            assert run("submit", str(path), "--store", location).exit_code == 0
    ours = run("history", "Helsinki", "--store", store_location.location, "-f", "json")
    theirs = run("history", "Helsinki", "--store", reference, "-f", "json")
    assert ours.exit_code == theirs.exit_code == 0
    assert ours.stdout == theirs.stdout
    assert [v.current for v in Store(reference).history("Helsinki")] == [False, True]
    for number in (1, 2):  # each version's graph, as the embedded history keeps it
        shown = [
            run("history", "Helsinki", "--show", str(number), "-f", "ntriples", "--store", where).stdout
            for where in (store_location.location, reference)
        ]
        assert shown[0] == shown[1] and ("Jan Vapaavuori" in shown[0]) == (number == 1)
    for location in (reference, store_location.location):  # a rebuild keeps what it replaces too
        built = run("build", *map(str, OTHERS), str(third), "--store", location)
        assert built.exit_code == 0 and "kept 1 earlier version(s)" in built.stderr, built.output
    ours = run("history", "helsinki", "--store", store_location.location)
    theirs = run("history", "helsinki", "--store", reference)
    assert ours.stdout == theirs.stdout and len(theirs.stdout.splitlines()) == 4  # a header, 3 versions
    assert run("history", "Helsinky", "--store", store_location.location).exit_code == 2


def _killed_submit(location: str, path: Path, started: Callable[[], bool]) -> int:
    """Run `citykg submit` in a process and kill it with SIGKILL once `started()` says so."""
    submit = subprocess.Popen(
        [sys.executable, "-m", "citykg", "submit", str(path), "--store", location],
        env={**os.environ, "SOURCE_DATE_EPOCH": "1764633600"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not started() and submit.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert submit.poll() is None, "the submit ended before it was seen writing"
    submit.send_signal(signal.SIGKILL)
    return submit.wait()


@pytest.mark.parametrize("held", ["INSERT { GRAPH", "remote#complete"])
def test_a_submit_killed_mid_write_leaves_the_visible_graphs_as_they_were(
    store_location: StoreUnderTest, tmp_path: Path, held: str
) -> None:
    """Killed while it copies a derived graph on the server, or once everything is uploaded but
    the generation is not marked complete yet (a proxy holds that request until the kill); on
    the embedded store, once its new generation's folder exists."""
    store = Store(store_location.location)
    store.build(OTHERS)
    store.submit(HELSINKI)
    before = store.export("nquads", inferred=True)
    history = store.history("Helsinki")
    second = _second(tmp_path)
    if store_location.server is None:
        folder = Path(store_location.location)
        code = _killed_submit(store_location.location, second, lambda: (folder / "gen-000003").exists())
    else:
        with HoldingProxy(store_location.server, hold=held) as proxy:
            location = proxy.location(tmp_path, store_location)
            code = _killed_submit(location, second, proxy.held.is_set)
    assert code == -signal.SIGKILL
    assert store.export("nquads", inferred=True) == before
    assert store.history("Helsinki") == history
    result = store.submit(second)  # the lock is broken, what the killed run left is dropped
    assert result.committed and store.query("people-and-roles").rows
    reference = Store(tmp_path / "reference")
    reference.build(OTHERS)
    reference.submit(HELSINKI)
    reference.submit(second)
    _same_store(store_location.location, reference)
    assert [v.as_json() for v in store.history("Helsinki")] == [
        v.as_json() for v in reference.history("Helsinki")
    ]
    if store_location.server is not None:
        found = (re.match(rf"{PREFIX}(gen-\d+-\w+)/", g) for g in store_location.graphs())
        assert len({m[1] for m in found if m}) == 3  # the new, the previous, and the first (shared)


def test_a_submit_writes_only_under_its_prefix_and_keeps_other_graphs(oxigraph_store: StoreUnderTest) -> None:
    theirs = "https://example.org/their/graph"
    oxigraph_store.update(
        f"INSERT DATA {{ <urn:a> <urn:b> <urn:c> . GRAPH <{theirs}> {{ <urn:a> <urn:b> <urn:d> }} }}"
    )
    store = Store(oxigraph_store.location)
    store.build(OTHERS)
    assert store.submit(HELSINKI).committed
    assert store.submit(HELSINKI).committed  # a resubmission: the history, a new generation
    assert all(g.startswith(PREFIX) for g in oxigraph_store.graphs() - {theirs})
    assert oxigraph_store.select(f"SELECT ?o WHERE {{ GRAPH <{theirs}> {{ ?s ?p ?o }} }}") == [{"o": "urn:d"}]
    assert oxigraph_store.select("SELECT ?o WHERE { ?s ?p ?o }") == [{"o": "urn:c"}]
