"""Fuzz targets: every reader (YAML, JSON, CSV, Turtle, JSON-LD) and the page extractor, fed
arbitrary text and mutations of valid submissions, either succeed or raise InputError or
NotConforming: never another exception (a traceback and exit 70 for the user).

The normal suite runs a few examples per target; `make fuzz` runs many more
(CITYKG_FUZZ_EXAMPLES, a tenth of them for the slower page extractor), about a minute in all.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citykg.errors import InputError, NotConforming
from citykg.rdf.convert import to_ox
from citykg.rdf.formats import InputFormat
from citykg.sources import read_documents, read_graph
from citykg.sources.text.extract import extract_text

CORPUS = Path(__file__).resolve().parent / "corpus" / "good"
EXAMPLES = int(os.environ.get("CITYKG_FUZZ_EXAMPLES", "15"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=EXAMPLES <= 15,  # the normal suite is repeatable; `make fuzz` explores
)
PAGE = (Path(__file__).resolve().parents[1] / "tests" / "fixtures").glob("**/*.txt")

# characters that matter to some syntax, and some that break text
SYNTAX = st.sampled_from(
    [
        *"{}[]:,;\"'\\#&*!|>-?%@<>^._ \t\n\r0123456789eE+",
        "\u0000",
        "\ufeff",
        "\u2028",
        "\ud800",
        "é",
        "\\u0020",
    ]
)
PIECE = st.one_of(
    SYNTAX, st.text(max_size=8), st.sampled_from(["true", "null", "9" * 5000, "@context", "_:b"])
)


def seeds(*names: str) -> list[str]:
    return [(CORPUS / name).read_text(encoding="utf-8") for name in names]


def mutated(seed_texts: list[str]) -> st.SearchStrategy[str]:
    """A seed with characters inserted, deleted or replaced at a few places."""

    @st.composite
    def build(draw: st.DrawFn) -> str:
        text = draw(st.sampled_from(seed_texts))
        for _ in range(draw(st.integers(1, 6))):
            at = draw(st.integers(0, len(text)))
            cut = draw(st.integers(0, 4))
            text = text[:at] + draw(PIECE) + text[at + cut :]
        return text

    return build()


def inputs(*names: str) -> st.SearchStrategy[bytes]:
    texts = st.one_of(st.text(max_size=200), mutated(seeds(*names)))
    return st.one_of(
        texts.map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.binary(max_size=200),
        texts.map(lambda t: t.encode("utf-16", "surrogatepass")),
    )


def read_or_refuse(data: bytes, fmt: InputFormat) -> None:
    try:
        if fmt in (InputFormat.TURTLE, InputFormat.JSONLD):
            graph = read_graph(data, source="fuzz", fmt=fmt)
            for triple in graph:  # what a reader accepts, the store can hold
                for term in triple:
                    to_ox(term)
        else:
            read_documents(data, source="fuzz", fmt=fmt)
    except (InputError, NotConforming) as exc:
        assert "fuzz" in str(exc) or exc.where is None or exc.where.startswith("fuzz")


@FUZZ
@given(inputs("helsinki-2020.yaml", "flow-style.yaml", "multi-doc.yaml", "team-named-1230.yaml"))
def test_yaml_reader_never_crashes(data: bytes) -> None:
    read_or_refuse(data, InputFormat.YAML)


@FUZZ
@given(inputs("json-helsinki.json", "json-array.json", "json-whitespace.json"))
def test_json_reader_never_crashes(data: bytes) -> None:
    read_or_refuse(data, InputFormat.JSON)


@FUZZ
@given(inputs("csv-multivalue.csv", "csv-two-rows.csv", "csv-quoted-comma.csv", "csv-tab.csv"))
def test_csv_reader_never_crashes(data: bytes) -> None:
    read_or_refuse(data, InputFormat.CSV)


@FUZZ
@given(inputs("turtle.ttl", "turtle-helsinki.ttl"))
def test_turtle_reader_never_crashes(data: bytes) -> None:
    read_or_refuse(data, InputFormat.TURTLE)


@FUZZ
@given(inputs("jsonld-context-iri.jsonld", "jsonld-inline-context.jsonld"))
def test_jsonld_reader_never_crashes(data: bytes) -> None:
    read_or_refuse(data, InputFormat.JSONLD)


PAGES = sorted(str(p) for p in PAGE)


@settings(FUZZ, max_examples=max(5, EXAMPLES // 10))  # a page takes up to half a second
@given(st.one_of(st.text(max_size=300), mutated([Path(p).read_text(encoding="utf-8") for p in PAGES[:3]])))
def test_page_extractor_never_crashes(text: str) -> None:
    with contextlib.suppress(InputError, NotConforming):
        extract_text(text, source="fuzz")
