"""No query reaches the network: SERVICE is refused however it is written, and a loopback
listener that records every connection sees none from citykg.

Each generated query is first shown to be a live attack: run on a bare pyoxigraph store (no
citykg in between) it does connect to the listener. The same text through `citykg query
--sparql` exits 2 and connects nowhere.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citykg.cli import cli
from citykg.workflow.build import build
from network_support import Listener

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "catalog"


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    location = tmp_path_factory.mktemp("network") / "store"
    build([FIXTURES], store_path=location)
    return location


def reaches(listener: Listener, sparql: str) -> bool:
    """Whether pyoxigraph on its own, given `sparql`, connects to the listener."""
    before = len(listener.connections)
    try:
        result = ox.Store().query(sparql)
        if isinstance(result, ox.QueryBoolean):
            bool(result)
        else:
            list(result)
    except (OSError, RuntimeError):
        pass  # the listener hangs up without answering
    return listener.wait_for(before + 1)


def citykg_query(store: Path, sparql: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["query", "--sparql", sparql, "--store", str(store)])
    return result.exit_code, result.stderr


# ------------------------------------------------------------------ the query of the issue

ISSUE = (
    "PREFIX ex: <http://x/> SELECT * WHERE {{ OPTIONAL {{ ?s ex:a\\' ?o }} "
    "SERVICE <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}"
)


def test_the_escaped_quote_of_the_issue_hides_nothing(listener: Listener, store: Path) -> None:
    sparql = ISSUE.format(port=listener.port)
    assert reaches(listener, sparql)  # the attack is live against the bare engine
    before = len(listener.connections)
    done = subprocess.run(
        [sys.executable, "-m", "citykg", "query", "--sparql", sparql, "--store", str(store)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert f"SERVICE <http://127.0.0.1:{listener.port}/x> is not allowed" in done.stderr
    assert "Traceback" not in done.stderr
    assert len(listener.connections) == before


# ------------------------------------------------------------------ where the two parsers differed

DIFFERING = {
    # Oxigraph reads "\u0022" as a string holding a quote; decoded first (as SPARQL says), it
    # opens a long string that runs to the second one and swallows the SERVICE between them.
    # citykg gives the engine the decoded text it checked: one harmless string, answered (0)
    "escaped quote": (
        'SELECT ?b WHERE {{ BIND("\\u0022" AS ?a) SERVICE <{url}> {{ ?s ?p ?o }} BIND("\\u0022" AS ?b) }}',
        0,
    ),
    # a carriage return ends a comment for Oxigraph; rdflib's comment ran to the line feed
    "carriage return": ("SELECT * WHERE {{ # a comment\r SERVICE <{url}> {{ ?s ?p ?o }} \n }}", 2),
}


@pytest.mark.parametrize("name", sorted(DIFFERING))
def test_a_service_one_parser_saw_and_the_other_missed_is_refused(
    listener: Listener, store: Path, name: str
) -> None:
    template, expected = DIFFERING[name]
    sparql = template.format(url=f"http://127.0.0.1:{listener.port}/x")
    assert reaches(listener, sparql)
    before = len(listener.connections)
    code, err = citykg_query(store, sparql)
    assert code == expected, err
    if expected == 2:
        assert "SERVICE" in err and "not allowed" in err, err
    assert len(listener.connections) == before


@pytest.mark.parametrize(
    "keyword",
    ["\\u0053ERVICE", "\\U00000053ERVICE", "".join(f"\\u{ord(c):04x}" for c in "SERVICE"), "S\\u0045RVICE"],
)
def test_service_spelled_with_codepoint_escapes_is_refused(
    listener: Listener, store: Path, keyword: str
) -> None:
    before = len(listener.connections)
    code, err = citykg_query(
        store, f"SELECT * WHERE {{ {keyword} <http://127.0.0.1:{listener.port}/x> {{ ?s ?p ?o }} }}"
    )
    assert code == 2 and "SERVICE" in err and "not allowed" in err, err
    assert len(listener.connections) == before


# ------------------------------------------------------------------ generated queries

# things that hide keywords from a text filter, each valid SPARQL in the place it is used
LITERALS = [
    "'a\\'b'",
    '"a\\"b"',
    "'''it''s'''",
    '"""say ""SERVICE"" here"""',
    '"# not a comment"',
    '"} SERVICE <http://e/> {"',
    "'\\\\'",
    '"x"@en-service',
    '"1"^^<http://www.w3.org/2001/XMLSchema#integer>',
    '"caf\\u00E9"',
    ".5",
    "-1.0E-2",
    "true",
]
NAMES = [
    "ex:a\\'",
    "ex:a\\#b",
    "ex:a\\.b",
    "ex:a.b",
    "ex:a%41",
    "ex:a:b",
    "ex:a-b",
    "ex:service",
    "ex:SERVICE",
    "ex:",
    "<http://e/SERVICE#x>",
    "<http://e/a'b>",
    "<http://e/\\u0053ERVICE>",
    "?SERVICE",
    "$service",
]
COMMENTS = ["# SERVICE <http://e/> {\n", "# a '\n", '# a "\r', "#\r\n", "# }\n"]
SPACES = [" ", "\n", "\t", "\r\n", "\r", " # c\n", "#\r"]


def spelled(word: str, cases: list[bool]) -> str:
    return "".join(c.lower() if low else c for c, low in zip(word, cases, strict=True))


@st.composite
def service_clause(draw: st.DrawFn, url: str) -> str:
    keyword = spelled("SERVICE", draw(st.lists(st.booleans(), min_size=7, max_size=7)))
    silent = draw(
        st.sampled_from(["", spelled("SILENT", draw(st.lists(st.booleans(), min_size=6, max_size=6)))])
    )
    endpoint = draw(st.sampled_from([f"<{url}>", "ep:x", f"<{url[:-1]}\\u0078>"]))
    gap = st.sampled_from(SPACES)
    after_keyword, after_silent = draw(gap), draw(gap)
    before_group = draw(st.sampled_from(["", *SPACES]))
    return f"{keyword}{after_keyword}{silent}{after_silent}{endpoint}{before_group}{{ ?s ?p ?o }}"


PLACES = [
    "{}",
    "OPTIONAL {{ {} }}",
    "{{ ?u ?v ?w }} UNION {{ {} }}",
    "FILTER EXISTS {{ {} }}",
    "FILTER NOT EXISTS {{ {} }}",
    "BIND(1 AS ?s) MINUS {{ {} }}",
    "{{ SELECT * WHERE {{ {} }} }}",
    "LATERAL {{ {} }}",
]
FORMS = ["SELECT *", "select distinct ?s", "ASK", "CONSTRUCT { ?s ?p ?o }", "DESCRIBE ?s"]


@st.composite
def hostile_query(draw: st.DrawFn, port: int) -> str:
    url = f"http://127.0.0.1:{port}/x"
    decoys: list[str] = []
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        kind = draw(st.sampled_from(["literal", "name", "comment"]))
        if kind == "literal":
            decoys.append(f"BIND({draw(st.sampled_from(LITERALS))} AS ?v{len(decoys)})")
        elif kind == "name":
            decoys.append(f"OPTIONAL {{ ?n{len(decoys)} ex:p {draw(st.sampled_from(NAMES))} }}")
        else:
            decoys.append(draw(st.sampled_from(COMMENTS)))
    place = draw(st.sampled_from(PLACES))
    position = draw(st.integers(min_value=0, max_value=len(decoys)))
    parts = [*decoys[:position], place.format(draw(service_clause(url))), *decoys[position:]]
    form = draw(st.sampled_from(FORMS))
    prologue = f"PREFIX ex: <http://e/>\nPREFIX ep: <http://127.0.0.1:{port}/>\n"
    return f"{prologue}{form} WHERE {{ " + " ".join(parts) + "\n}"


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_generated_query_reaches_the_listener(
    listener: Listener, store: Path, data: st.DataObject
) -> None:
    sparql = data.draw(hostile_query(listener.port))
    before = len(listener.connections)
    code, err = citykg_query(store, sparql)
    assert len(listener.connections) == before, sparql  # checked before the live run below
    assert code == 2 and "Traceback" not in err, (sparql, err)
    assert reaches(listener, sparql), sparql  # the bare engine does connect: a real attack
