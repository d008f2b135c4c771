"""Published JSON-LD stands on its own: standard processors read every file with no custom loader
and nothing fetched (the context inline), or resolve the context to the copy `publish` wrote."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from pyld import jsonld
from rdflib import Graph
from rdflib.compare import isomorphic

from citykg.cli import cli
from citykg.rdf.convert import graph_of
from citykg.rdf.jsonld import PUBLISHED_CONTEXT_FILE, context, context_path
from publishing_support import build_store

DATA_FILES = ["citykg-cities.jsonld", "citykg.jsonld"]
"""The JSON-LD data files of a publication (the context and the frame are the other two)."""
BASE = "https://data.example.org/citykg/"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with pytest.MonkeyPatch.context() as mp:
        return build_store(tmp_path_factory.mktemp("standalone") / "store", mp)


def _publish(store: Path, folder: Path, *extra: str) -> Path:
    result = CliRunner().invoke(cli, ["publish", str(folder), "--store", str(store), *extra])
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in folder.glob("*.jsonld")) == sorted(
        [*DATA_FILES, PUBLISHED_CONTEXT_FILE, "frame-city.jsonld"]
    )
    return folder


@pytest.fixture(scope="module")
def published(store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _publish(store, tmp_path_factory.mktemp("site") / "inline")


@pytest.fixture(scope="module")
def published_at_base(store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _publish(store, tmp_path_factory.mktemp("site") / "based", "--download-base", BASE)


class Fetched(AssertionError):
    """pyld asked its document loader for something: a standard processor would go to the network."""


@pytest.fixture
def no_loading() -> Iterator[list[str]]:
    """pyld's own default loader replaced by one that records the URL and fails the test."""
    asked: list[str] = []

    def loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
        asked.append(url)
        raise Fetched(f"pyld tried to load {url}")

    before = jsonld.get_document_loader()
    jsonld.set_document_loader(loader)
    try:
        yield asked
    finally:
        jsonld.set_document_loader(before)


def _pyld_graph(document: Any, **options: Any) -> Graph:
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", **options})
    return graph_of(list(ox.parse(nquads.encode(), ox.RdfFormat.N_QUADS)))


def _oxigraph_graph(data: bytes) -> Graph:
    return graph_of(list(ox.parse(data, ox.RdfFormat.JSON_LD)))


def _turtle(folder: Path) -> Graph:
    return graph_of(list(ox.parse((folder / "citykg.ttl").read_bytes(), ox.RdfFormat.TURTLE)))


@pytest.mark.parametrize("name", DATA_FILES)
def test_every_published_json_ld_file_reads_with_no_loader(
    published: Path, name: str, no_loading: list[str]
) -> None:
    data = (published / name).read_bytes()
    by_pyld = _pyld_graph(json.loads(data))  # pyld's defaults: no loader given
    by_oxigraph = _oxigraph_graph(data)  # pyoxigraph loads no remote context at all
    assert no_loading == []
    assert len(by_oxigraph) > 500
    assert isomorphic(by_pyld, by_oxigraph)
    whole = _turtle(published)
    if name == "citykg.jsonld":
        assert isomorphic(by_oxigraph, whole)  # the same graph as the Turtle file
    else:
        assert set(by_oxigraph) <= set(whole)  # the cities, nested, with nothing added


def test_the_inline_context_is_the_bundled_context(published: Path) -> None:
    for name in DATA_FILES:
        document = json.loads((published / name).read_bytes())
        for each in document if isinstance(document, list) else [document]:
            assert each["@context"] == context()


def test_with_a_download_base_the_files_name_the_copy_publish_wrote(
    published: Path, published_at_base: Path, no_loading: list[str]
) -> None:
    named = BASE + PUBLISHED_CONTEXT_FILE
    copy = published_at_base / PUBLISHED_CONTEXT_FILE
    assert copy.read_bytes() == context_path().read_bytes()
    served: list[str] = []

    def from_the_folder(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
        """What a web server of the folder at BASE answers (and nothing else)."""
        assert url.startswith(BASE), url
        served.append(url)
        local = published_at_base / url.removeprefix(BASE)
        return {"contextUrl": None, "documentUrl": url, "document": json.loads(local.read_bytes())}

    for name in DATA_FILES:
        document = json.loads((published_at_base / name).read_bytes())
        for each in document if isinstance(document, list) else [document]:
            assert each["@context"] == named
        got = _pyld_graph(document, documentLoader=from_the_folder)
        assert isomorphic(got, _oxigraph_graph((published / name).read_bytes()))
    assert set(served) == {named}
    assert no_loading == []


def test_export_writes_json_ld_that_reads_with_no_loader(store: Path, no_loading: list[str]) -> None:
    for args in ([], ["--frame", "city"], ["--city", "Tampere"]):
        result = CliRunner().invoke(cli, ["export", "--store", str(store), "-f", "jsonld", *args])
        assert result.exit_code == 0, result.stderr
        data = result.stdout_bytes
        assert isomorphic(_pyld_graph(json.loads(data)), _oxigraph_graph(data)), args
    assert no_loading == []


def test_export_names_the_context_under_a_download_base(store: Path) -> None:
    result = CliRunner().invoke(
        cli, ["export", "--store", str(store), "-f", "jsonld", "--download-base", BASE.rstrip("/")]
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["@context"] == BASE + PUBLISHED_CONTEXT_FILE


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-f", "turtle", "--download-base", BASE], "--download-base names the JSON-LD context"),
        (["-f", "jsonld", "--download-base", "file:///etc/"], "is not an http(s) URL"),
    ],
)
def test_export_refuses_a_download_base_it_cannot_use(store: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["export", "--store", str(store), *args])
    assert result.exit_code == 2
    assert message in result.stderr and "--download-base" in result.stderr
    assert result.stdout == ""
