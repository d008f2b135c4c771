"""RDF submissions (Turtle, JSON-LD): read safely, validated like documents, stored like them."""

from __future__ import annotations

import builtins
import io
import socket
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from pyld import jsonld

from _submit_support import CORPUS
from citykg.errors import InputError
from citykg.rdf.jsonld import document_loader
from citykg.sources import read_file
from citykg.sources.rdf import CONTEXT_IRI, bundled_context
from citykg.validation.shacl import validate_submission


class Spy:
    """Records every attempt to reach the network or open a file."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.network: list[Any] = []
        self.files: list[str] = []
        real_open = builtins.open

        def no_network(*args: Any, **kwargs: Any) -> Any:
            self.network.append(args)
            raise OSError("network access in a test")

        def spy_open(file: Any, *args: Any, **kwargs: Any) -> Any:
            self.files.append(str(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(socket.socket, "connect", no_network)
        monkeypatch.setattr(socket, "create_connection", no_network)
        monkeypatch.setattr(socket, "getaddrinfo", no_network)
        monkeypatch.setattr(urllib.request, "urlopen", no_network)
        monkeypatch.setattr(builtins, "open", spy_open)
        monkeypatch.setattr(io, "open", spy_open)
        for name in ("requests_document_loader", "aiohttp_document_loader"):
            if hasattr(jsonld, name):
                monkeypatch.setattr(jsonld, name, lambda *a, **k: no_network)
        monkeypatch.setattr(jsonld, "_default_document_loader", no_network, raising=False)


@pytest.mark.parametrize(
    "name",
    [
        "jsonld-remote-context.jsonld",
        "jsonld-file-context.jsonld",
        "jsonld-relative-context.jsonld",
        "jsonld-altered-inline-context.jsonld",
        "jsonld-nested-remote-context.jsonld",
    ],
)
def test_foreign_context_is_refused_and_nothing_is_fetched_or_read(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled_context()  # the bundled context may be read; make sure it is cached before spying
    spy = Spy(monkeypatch)
    path = CORPUS / "bad" / name
    with pytest.raises(InputError, match="@context") as refused:
        read_file(path)
    assert str(path) in str(refused.value)
    assert spy.network == []
    assert spy.files == [str(path)], spy.files  # the submission, and not the file its context names


def test_loader_serves_only_the_bundled_context(monkeypatch: pytest.MonkeyPatch) -> None:
    spy = Spy(monkeypatch)
    assert document_loader(CONTEXT_IRI)["document"] == bundled_context()
    for url in ("https://example.org/x.jsonld", "file:///etc/passwd", "context.jsonld", CONTEXT_IRI + "?x"):
        with pytest.raises(InputError, match="which citykg does not accept"):
            document_loader(url)
    assert spy.network == [] and spy.files == []


def test_accepted_jsonld_reads_no_file_but_the_submission(monkeypatch: pytest.MonkeyPatch) -> None:
    bundled_context()
    spy = Spy(monkeypatch)
    path = CORPUS / "good" / "jsonld-context-iri.jsonld"
    [submission] = read_file(path)
    assert submission.graph is not None and len(submission.graph) > 10
    assert spy.network == []
    assert spy.files == [str(path)]


def test_jsonld_and_turtle_give_the_graph_a_yaml_submission_maps_to() -> None:
    from rdflib.compare import isomorphic

    _, yaml_mapped = validate_submission(read_file(CORPUS / "good" / "helsinki-2020.yaml")[0])
    assert yaml_mapped is not None
    for name in ("turtle-helsinki.ttl", "jsonld-helsinki.jsonld"):
        [submission] = read_file(CORPUS / "good" / name)
        report, mapped = validate_submission(submission)
        assert report.conforms, [p.render() for p in report.problems]
        assert mapped is not None
        assert mapped.graph_iri == yaml_mapped.graph_iri
        assert isomorphic(mapped.facts, yaml_mapped.facts)


def test_rdf_problems_name_subject_and_property() -> None:
    [submission] = read_file(CORPUS / "bad" / "turtle-unknown-concept.ttl")
    report, mapped = validate_submission(submission)
    assert mapped is not None and not report.conforms
    [error] = report.errors
    assert error.field == "id/profile/finland/tampere/2020 ckg:goal"
    assert error.value == "https://w3id.org/citykg/vocab/goal/world-domination"


def test_refused_rdf_content_is_not_mapped(tmp_path: Path) -> None:
    for name in ("turtle-sameas.ttl", "turtle-redefine-city.ttl", "jsonld-sameas.jsonld"):
        [submission] = read_file(CORPUS / "bad" / name)
        report, mapped = validate_submission(submission)
        assert mapped is None and not report.conforms


def test_the_spy_would_see_a_fetch(monkeypatch: pytest.MonkeyPatch) -> None:
    """The no-fetch tests above can fail: pyld left to itself does try the network."""
    spy = Spy(monkeypatch)
    with pytest.raises(Exception):  # noqa: B017 - pyld wraps the refused connection in its own error
        jsonld.to_rdf({"@context": "https://example.org/context.jsonld", "name": "x"}, {})
    assert spy.network != []


def test_versioned_context_iri_of_the_exports_is_accepted(tmp_path: Path) -> None:
    text = (CORPUS / "good" / "jsonld-context-iri.jsonld").read_text(encoding="utf-8")
    versioned = tmp_path / "exported.jsonld"
    versioned.write_text(text.replace(CONTEXT_IRI, "https://w3id.org/citykg/context/0.1.jsonld"), "utf-8")
    [submission] = read_file(versioned)
    report, _ = validate_submission(submission)
    assert report.conforms
