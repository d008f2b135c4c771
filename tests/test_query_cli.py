"""`citykg query`: output formats, --inferred/--asserted, --timeout, and no network or file access."""

from __future__ import annotations

import csv
import io
import json
import re
import threading
import time
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from citykg.cli import cli
from citykg.errors import QueryError
from citykg.queries.run import answer
from citykg.rdf.jsonld import context


@pytest.fixture
def store(catalog_store: Path) -> Path:
    return catalog_store


def run(store: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["query", *args, "--store", str(store)])
    return result.exit_code, result.stdout, result.stderr


# ------------------------------------------------------------------ formats


def test_table_is_aligned_and_shows_vocabulary_iris_as_prefixed_names(store: Path) -> None:
    code, out, _ = run(store, "cities-with-data-partner", "-p", "partner=hospitals")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["city", "country", "wave", "partner", "partnerType"]
    assert lines[2].split() == ["Eastvale", "Freedonia", "2020", "partner-type:hospitals", "hospitals"]
    assert lines[-1] == "(2 rows)"
    assert lines[2].index("partner-type:") == lines[0].index("partner ")  # columns line up


def test_csv_tsv_json_and_xml_keep_full_iris(store: Path) -> None:
    hospitals = "https://w3id.org/citykg/vocab/partner-type/hospitals"
    args = ("cities-with-data-partner", "-p", "partner=hospitals")
    _, out, _ = run(store, *args, "-f", "csv")
    table = list(csv.reader(io.StringIO(out)))
    assert table[0] == ["city", "country", "wave", "partner", "partnerType"]
    assert table[1] == ["Eastvale", "Freedonia", "2020", hospitals, "hospitals"]
    _, out, _ = run(store, *args, "-f", "tsv")
    assert out.splitlines()[1].split("\t")[3] == f"<{hospitals}>"
    _, out, _ = run(store, *args, "-f", "json")
    document = json.loads(out)
    assert document["head"]["vars"] == ["city", "country", "wave", "partner", "partnerType"]
    assert document["results"]["bindings"][0]["partner"] == {"type": "uri", "value": hospitals}
    _, out, _ = run(store, *args, "-f", "xml")
    ns = {"s": "http://www.w3.org/2005/sparql-results#"}
    assert len(ET.fromstring(out).findall("s:results/s:result", ns)) == 2


def test_construct_prints_turtle_or_jsonld_the_same_every_time(store: Path) -> None:
    args = ("city-profile", "-p", "city=Northport")
    code, turtle, _ = run(store, *args, "-f", "turtle")
    assert code == 0
    assert run(store, *args)[1] == turtle  # the default for graphs
    assert run(store, *args, "-f", "turtle")[1] == turtle  # deterministic
    code, jsonld, _ = run(store, *args, "-f", "jsonld")
    assert code == 0
    from_turtle = Graph().parse(data=turtle, format="turtle")
    assert len(from_turtle) > 50
    assert json.loads(jsonld)["@context"] == context()  # inline: nothing to fetch
    assert isomorphic(from_turtle, Graph().parse(data=jsonld, format="json-ld"))


def test_a_format_that_does_not_fit_the_answer_is_a_usage_error(store: Path) -> None:
    code, _, err = run(store, "city-profile", "-p", "city=Northport", "-f", "csv")
    assert code == 2 and "answers with a graph" in err and "-f turtle" in err
    code, _, err = run(store, "people-and-roles", "-f", "jsonld")
    assert code == 2 and "answers with rows" in err


def test_inferred_and_asserted(store: Path) -> None:
    code, out, _ = run(store, "surveyed-cities", "--inferred")
    assert code == 0 and "(4 rows)" in out
    code, out, _ = run(store, "surveyed-cities", "--asserted")
    assert code == 0 and "(0 rows)" in out


# ------------------------------------------------------------------ time limit

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_timeout_stops_a_slow_query_with_exit_2(store: Path) -> None:
    started = time.monotonic()
    code, _, err = run(store, "--sparql", SLOW, "--timeout", "1")
    assert code == 2
    assert "did not finish within 1 s and was stopped" in err
    assert time.monotonic() - started < 60  # ~10^14 rows: it would run for days


def test_a_query_within_its_timeout_answers_as_usual(store: Path) -> None:
    result = answer(store, name="people-and-roles", timeout=60)
    assert len(result.rows) == 9
    with pytest.raises(QueryError, match="needs -p city"):
        answer(store, name="city-profile", params={"city": ""}, timeout=60)
    code, _, err = run(store, "--sparql", "SELECT * WHERE { ?s ?p }", "--timeout", "30")
    assert code == 2 and "syntax error" in err


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("nan", "'nan' is not a number of seconds above 0"),
        ("inf", "'inf' is not a number of seconds above 0"),
        ("-inf", "'-inf' is not a number of seconds above 0"),
        ("0", "'0' is not a number of seconds above 0"),
        ("-5", "'-5' is not a number of seconds above 0"),
        ("soon", "'soon' is not a number of seconds"),
        ("1e300", "at most 86400, not 1e+300"),
    ],
)
def test_a_timeout_that_is_not_a_usable_number_of_seconds_exits_2(
    store: Path, value: str, message: str
) -> None:
    code, out, err = run(store, "people-and-roles", "--timeout", value)
    assert code == 2 and out == ""
    assert "--timeout" in err and message in err and "Traceback" not in err


def test_the_api_refuses_the_same_time_limits(store: Path) -> None:
    for seconds in (float("nan"), float("inf"), 0.0, -1.0, 1e300):
        with pytest.raises(QueryError, match="must be a number of seconds above 0 and at most 86400"):
            answer(store, name="people-and-roles", timeout=seconds)


# ------------------------------------------------------------------ no network, no files


class _Counter(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Counter.hits.append(self.path)
        body = b"<http://a> <http://b> <http://c> ."
        self.send_response(200)
        self.send_header("Content-Type", "text/turtle")
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def server() -> Iterator[str]:
    httpd = HTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _Counter.hits.clear()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def _hostile(url: str, tmp: Path) -> list[tuple[str, str]]:
    """Queries that would reach `url` or a local file, each with the start of its refusal."""
    secret = tmp / "secret.ttl"
    secret.write_text("<http://a> <http://b> <http://c> .")
    service = f"SERVICE <{url}/sparql> is not allowed"
    return [
        (f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}", service),
        (f"select * where {{ service <{url}/sparql> {{ ?s ?p ?o }} }}", service),
        (f"SELECT * WHERE {{ ?x ?y ?z . SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }}", service),
        (f"SELECT * WHERE {{ ?x ?y ?z .SERVICE<{url}/sparql>{{ ?s ?p ?o }} }}", service),
        (f'SELECT ("}}" AS ?x) WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}', service),
        (f"SELECT * WHERE {{ \\u0053ERVICE <{url}/sparql> {{ ?s ?p ?o }} }}", service),
        (f"SELECT * FROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }}", f"FROM <{url}/data.ttl> names a graph"),
        (
            f"SELECT * FROM NAMED <{url}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
            f"FROM NAMED <{url}/data.ttl> names a graph",
        ),
        (f"SELECT * from <file://{secret}> WHERE {{ ?s ?p ?o }}", f"FROM <file://{secret}> names a graph"),
        (f"SELECT * # a comment\nFROM <{url}/x> WHERE {{ ?s ?p ?o }}", f"FROM <{url}/x> names a graph"),
        (f"LOAD <{url}/data.ttl>", "updates are not allowed (LOAD)"),
        (f"LOAD <file://{secret}> INTO GRAPH <http://g>", "updates are not allowed (LOAD)"),
    ]


def test_service_load_and_unknown_from_are_refused_and_no_request_is_made(
    store: Path, server: str, tmp_path: Path
) -> None:
    urllib.request.urlopen(server + "/control").read()  # the counter does count
    assert _Counter.hits == ["/control"]
    for sparql, refusal in _hostile(server, tmp_path):
        code, out, err = run(store, "--sparql", sparql)
        assert code == 2, sparql
        assert refusal in err and out == "" and "Traceback" not in err
        with pytest.raises(QueryError, match=re.escape(refusal)):
            answer(store, sparql=sparql, timeout=30)
    assert _Counter.hits == ["/control"]


def test_the_words_in_strings_iris_comments_and_names_are_fine(store: Path) -> None:
    code, out, _ = run(
        store,
        "--sparql",
        'PREFIX ex: <http://e/> SELECT ?from ?load ("FROM SERVICE LOAD" AS ?x) '
        "WHERE { OPTIONAL { ?from <http://e/SERVICE> ?load ; ex:service ?s } } # SERVICE <http://x/> { }",
    )
    assert code == 0 and "FROM SERVICE LOAD" in out
