"""The pieces of a remote store on their own: `--store` values, bounded request bodies, and
uploads by SPARQL Update when the server has no Graph Store endpoint."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pyoxigraph as ox
import pytest

from citykg import Store
from citykg.errors import InputError, StoreError
from citykg.store.remote.batches import ntriples_batches
from citykg.store.remote.locator import is_remote, locate
from triplestores import StoreUnderTest, oxigraph_store

__all__ = ["oxigraph_store"]

HELSINKI = Path(__file__).resolve().parents[1] / "data" / "submissions" / "helsinki-2020.yaml"


def test_an_oxigraph_url_names_its_update_and_graph_store_endpoints() -> None:
    location = locate("sparql+http://127.0.0.1:7878/query")
    assert (location.query, location.update, location.graph_store) == (
        "http://127.0.0.1:7878/query",
        "http://127.0.0.1:7878/update",
        "http://127.0.0.1:7878/store",
    )
    other = locate("sparql+https://example.org/sparql")
    assert (other.query, other.update, other.graph_store) == (
        "https://example.org/sparql",
        "https://example.org/sparql",
        None,
    )
    assert not is_remote("data/store") and is_remote("SPARQL+HTTP://h/query")


def test_a_password_in_the_url_is_refused() -> None:
    with pytest.raises(InputError, match="password in the store's URL is refused"):
        locate("sparql+http://admin:secret@127.0.0.1:7878/query")


def test_credentials_come_from_the_environment_or_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CITYKG_STORE_USER", "reader")
    monkeypatch.setenv("CITYKG_STORE_PASSWORD", "from-env")
    from_env = locate("sparql+http://127.0.0.1:7878/query")
    assert (from_env.user, from_env.password) == ("reader", "from-env")
    assert "from-env" not in repr(from_env)
    (tmp_path / "secret").write_text("from-file\n")
    config = tmp_path / "store.toml"
    config.write_text(
        'query = "http://h:1/sparql"\nprefix = "https://example.org/g/"\ntimeout = 5\n'
        '[credentials]\nuser = "dba"\npassword-file = "secret"\n'
    )
    located = locate(str(config))
    assert (located.user, located.password, located.prefix, located.timeout) == (
        "dba",
        "from-file",
        "https://example.org/g/",
        5.0,
    )


def test_a_config_file_with_an_unknown_setting_names_it(tmp_path: Path) -> None:
    config = tmp_path / "store.yaml"
    config.write_text("query: http://h:1/sparql\npasword: x\n")
    with pytest.raises(InputError, match="unknown setting 'pasword'") as caught:
        locate(str(config))
    assert caught.value.where == str(config)


def test_bodies_stay_under_the_limit_and_blank_nodes_travel_together() -> None:
    p = ox.NamedNode("urn:p")
    plain = [ox.Triple(ox.NamedNode(f"urn:s{i}"), p, ox.Literal("x" * 50)) for i in range(200)]
    chain = [ox.BlankNode(f"b{i}") for i in range(30)]
    linked = [ox.Triple(ox.NamedNode("urn:head"), p, chain[0])]
    linked += [ox.Triple(chain[i], p, chain[i + 1]) for i in range(29)]
    bodies = list(ntriples_batches([*linked[:10], *plain, *linked[10:]], 1000))
    assert len(bodies) > 10
    assert all(len(b) <= 1000 for b in bodies if b"_:" not in b)
    holding = [b for b in bodies if b"_:" in b]
    assert len(holding) == 1  # the 30 linked blank nodes: one body, whatever its size
    parsed = [q.triple for b in bodies for q in ox.parse(b, format=ox.RdfFormat.N_TRIPLES)]
    assert len(parsed) == 230


def test_a_server_without_graph_store_endpoint_is_written_by_sparql_update(
    oxigraph_store: StoreUnderTest, tmp_path: Path
) -> None:
    assert oxigraph_store.server is not None
    config = tmp_path / "store.toml"
    config.write_text(
        f'query = "{oxigraph_store.server.query_url}"\nupdate = "{oxigraph_store.server.update_url}"\n'
        "batch-bytes = 20000\n"
    )
    store = Store(config)
    store.build([HELSINKI])
    assert store.query("surveyed-cities").column("city") == ["Helsinki"]
    [ontology] = [g for g in oxigraph_store.graphs() if g.endswith("/g/3")]
    restriction = "<http://www.w3.org/2002/07/owl#Restriction>"
    with_blank = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ontology}> {{ ?r a {restriction} ; ?p ?o }} }}"
    assert int(oxigraph_store.select(with_blank)[0]["n"]) > 0


def test_a_second_writer_waits_for_the_lock_then_names_its_holder(oxigraph_store: StoreUnderTest) -> None:
    store = Store(oxigraph_store.location)
    store.build([HELSINKI])
    lock = "https://w3id.org/citykg/store/lock"
    terms = "https://w3id.org/citykg/remote#"
    oxigraph_store.update(  # held by a process that runs (this one), as a build elsewhere would
        f'INSERT DATA {{ GRAPH <{lock}> {{ <{lock}> <{terms}holder> "x" ; '
        f'<{terms}host> "{socket.gethostname()}" ; <{terms}pid> {os.getpid()} }} }}'
    )
    graphs = oxigraph_store.graphs()
    with pytest.raises(
        StoreError, match=rf"another citykg build or submit is writing this store \(process {os.getpid()}"
    ):
        store.build([HELSINKI], wait=0.5)
    assert oxigraph_store.graphs() == graphs
    with pytest.raises(StoreError, match=rf"another citykg build or submit .* \(process {os.getpid()}"):
        store.submit(HELSINKI, wait=0.5)  # a submit takes the same lock
    assert oxigraph_store.graphs() == graphs
    assert store.query("surveyed-cities").column("city") == ["Helsinki"]
