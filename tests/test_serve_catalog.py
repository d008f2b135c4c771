"""`citykg serve`: the catalog over HTTP (the same answers and parameter binding as `citykg
query`), answers cached per store generation (ETag, 304, a new generation answered afresh),
the base URL's path, and the `citykg serve` command itself."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from _submit_support import catalog_answers
from citykg import Store, catalog
from citykg.queries.results import render
from citykg.rdf.formats import ResultFormat
from serve_support import Running, running, serve_command

ROOT = Path(__file__).resolve().parents[1]
SUBMISSIONS = ROOT / "data" / "submissions"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    location = tmp_path_factory.mktemp("serve-catalog") / "store"
    Store(location).build([SUBMISSIONS])
    return location


@pytest.fixture(scope="module")
def server(store: Path) -> Iterator[Running]:
    with running(store) as started:
        yield started


@pytest.fixture(scope="module")
def client(server: Running) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60) as http:
        yield http


def test_the_catalog_is_listed_as_json_with_each_querys_parameters(
    server: Running, client: httpx.Client
) -> None:
    listed = client.get("queries").json()["queries"]
    assert [q["name"] for q in listed] == [q.name for q in catalog()]
    by_name = {q["name"]: q for q in listed}
    assert by_name["cities-with-data-partner"]["parameters"] == [
        {
            "name": "partner",
            "type": "partner-type",
            "default": "hospitals",
            "description": "a partner type, by label or concept IRI",
        }
    ]
    assert by_name["surveyed-cities"]["url"] == server.url + "queries/surveyed-cities"


def test_a_browser_gets_the_catalog_as_a_page(client: httpx.Client) -> None:
    page = client.get("queries", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.headers["content-type"].startswith("text/html")
    for query in catalog():
        assert f">{query.name}</strong></a>" in page.text
    assert "<script" not in page.text


def test_every_catalog_query_answers_as_the_cli_does(store: Path, client: httpx.Client) -> None:
    expected = catalog_answers(store)
    for name, text in expected.items():
        graph = text.startswith("@prefix") or "CONSTRUCT" in (ROOT / "queries" / f"{name}.rq").read_text()
        accept = "text/turtle" if graph else "application/sparql-results+json"
        answer = client.get(f"queries/{name}", headers={"Accept": accept})
        assert answer.status_code == 200, (name, answer.text)
        assert answer.text == text, name


def test_parameters_are_bound_as_the_cli_binds_them(store: Path, client: httpx.Client) -> None:
    answer = client.get("queries/cities-with-data-partner", params={"partner": "universities"})
    expected = Store(store).query("cities-with-data-partner", {"partner": "universities"})
    assert answer.text == render(expected, ResultFormat.JSON)
    assert answer.json()["results"]["bindings"] != []


def test_a_value_is_never_written_into_the_query_text(store: Path, client: httpx.Client) -> None:
    hostile = 'Helsinki" } UNION { ?s ?p ?o } #'
    answer = client.get("queries/city-changes", params={"city": hostile})
    assert answer.status_code == 200
    assert answer.json()["results"]["bindings"] == []


def test_catalog_requests_that_cannot_be_answered(client: httpx.Client) -> None:
    unknown = client.get("queries/no-such-query")
    assert unknown.status_code == 404 and "no query named 'no-such-query'" in unknown.text
    wrong_name = client.get("queries/cities-with-data-partner", params={"partnr": "hospitals"})
    assert wrong_name.status_code == 400 and "has no parameter partnr" in wrong_name.text
    wrong_value = client.get("queries/cities-with-data-partner", params={"partner": "hospitalz"})
    assert wrong_value.status_code == 400 and "did you mean 'hospitals'?" in wrong_value.text
    twice = client.get("queries/cities-with-data-partner", params=[("partner", "a"), ("partner", "b")])
    assert twice.status_code == 400 and "given twice" in twice.text
    rows_as_turtle = client.get("queries/surveyed-cities", headers={"Accept": "text/turtle"})
    assert rows_as_turtle.status_code == 406


# ------------------------------------------------------------------ cached per generation


def test_answers_are_cached_per_generation_and_a_new_generation_is_answered_afresh(
    tmp_path: Path, store: Path
) -> None:
    location = tmp_path / "store"
    Store(location).build([SUBMISSIONS / "helsinki-2020.yaml"])
    with running(location) as server, httpx.Client(base_url=server.url, timeout=60) as http:
        first = http.get("queries/surveyed-cities")
        second = http.get("queries/surveyed-cities")
        assert (first.headers["x-cache"], second.headers["x-cache"]) == ("miss", "hit")
        assert first.content == second.content and first.headers["etag"] == second.headers["etag"]
        assert (
            http.get("queries/surveyed-cities", headers={"If-None-Match": first.headers["etag"]}).status_code
            == 304
        )

        Store(location).build([SUBMISSIONS])  # a new generation, with five cities

        third = http.get("queries/surveyed-cities", headers={"If-None-Match": first.headers["etag"]})
        assert third.status_code == 200 and third.headers["x-cache"] == "miss"
        assert third.headers["etag"] != first.headers["etag"]
        assert len(third.json()["results"]["bindings"]) == 5 > len(first.json()["results"]["bindings"])
        assert third.text == render(Store(location).query("surveyed-cities"), ResultFormat.JSON)


def test_without_a_cache_every_answer_is_computed(store: Path) -> None:
    with running(store, cache=0) as server, httpx.Client(base_url=server.url, timeout=60) as http:
        answers = [http.get("queries/surveyed-cities") for _ in range(2)]
    assert [a.headers["x-cache"] for a in answers] == ["miss", "miss"]
    assert answers[0].content == answers[1].content


# ------------------------------------------------------------------ the base URL and the command


def test_the_routes_are_served_under_the_base_urls_path(store: Path) -> None:
    with running(store, path="kg/") as server, httpx.Client(timeout=60) as http:
        assert server.url.endswith("/kg/")
        assert http.get(server.url + "sparql", params={"query": "ASK {}"}).status_code == 200
        assert (
            http.get(server.url.removesuffix("kg/") + "sparql", params={"query": "ASK {}"}).status_code == 404
        )
        listed = http.get(server.url + "queries").json()["queries"]
        assert all(q["url"].startswith(server.url + "queries/") for q in listed)


def _free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port: int = probe.getsockname()[1]
    return port


def test_citykg_serve_prints_its_url_answers_and_stops_on_ctrl_c(store: Path) -> None:
    port = _free_port()
    args = [sys.executable, "-m", "citykg", "serve", "--store", str(store), "--port", str(port)]
    with serve_command(args, {**os.environ, "PYTHONUNBUFFERED": "1"}) as served:
        assert served.printed == f"citykg: serving {store} at http://127.0.0.1:{port}/\n"
        answer = served.get(f"http://127.0.0.1:{port}/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert answer.json()["boolean"] is True


def test_citykg_serve_refuses_a_missing_store_a_bad_base_url_and_a_port_in_use(
    tmp_path: Path, store: Path
) -> None:
    missing = subprocess.run(
        [sys.executable, "-m", "citykg", "serve", "--store", str(tmp_path / "none")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert missing.returncode == 2 and "no store here yet" in missing.stderr
    bad = subprocess.run(
        [sys.executable, "-m", "citykg", "serve", "--store", str(store), "--base-url", "ftp://x/"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "the base URL must be an http(s) URL ending in '/'" in bad.stderr
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        in_use = subprocess.run(
            [sys.executable, "-m", "citykg", "serve", "--store", str(store), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert (
        in_use.returncode == 2
        and f"cannot listen on 127.0.0.1:{port}: Address already in use" in in_use.stderr
    )
