"""The SHACL engine: pyshacl-turbo, compiled once and given the part of the ontology the
shapes can see (validation/shapes_view.py), gives the results pyshacl gives with the whole one.

Every submission of the corpus (good and bad, documents and RDF), the example data and
synthetic cities is validated both ways: pyshacl as citykg ran it before (the ontology and the
submission in one rdflib graph, the shapes parsed for each call) and `check_graph`. The
results must be the same set: severity, focus node, path, value and message.
"""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from bench.synthetic import document
from rdflib import Graph, Literal
from rdflib.term import Node

from _submit_support import CORPUS
from citykg.errors import CityKGError
from citykg.mapping.document import Mapped, map_document
from citykg.mapping.rdf import map_graph
from citykg.model.document import Document, walk
from citykg.model.ontology import ontology_graph, shapes_graph
from citykg.model.vocabulary import load_vocabulary
from citykg.rdf.iris import IRIs
from citykg.rdf.terms import RDF, SH, XSD
from citykg.sources import read_file
from citykg.sources.rdf import RdfProblem, identity
from citykg.validation.shacl import check_graph

ROOT = Path(__file__).resolve().parents[1]
FILES = (
    sorted((CORPUS / "good").iterdir())
    + sorted((CORPUS / "bad").iterdir())
    + sorted((ROOT / "data").iterdir())
)

Result = tuple[Node | None, Node | None, Node | None, Node | None, str]


def _pyshacl(data: Graph) -> set[Result]:
    combined = Graph()
    for triple in ontology_graph():
        combined.add(triple)
    for triple in data:
        combined.add(triple)
    _, report, _ = pyshacl.validate(
        combined, shacl_graph=shapes_graph(), inference="none", allow_warnings=True, advanced=True
    )
    assert isinstance(report, Graph)
    out = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        out.add(
            (
                report.value(result, SH.resultSeverity),
                report.value(result, SH.focusNode),
                report.value(result, SH.resultPath),
                report.value(result, SH.value),
                messages[0] if messages else "does not conform",
            )
        )
    return out


def _ours(data: Graph) -> set[Result]:
    _, results = check_graph(data)
    severity = {"error": SH.Violation, "warning": SH.Warning}
    return {
        (severity.get(r.severity.value, SH.Info), r.focus, r.path, _simple(r.value), r.message)
        for r in results
    }


def _simple(value: Node | None) -> Node | None:
    """An xsd:string literal as the simple literal it is in RDF 1.1 (rdflib tells them apart;
    pyshacl reports the simple form, the Rust engine the typed one; users see the same text)."""
    if isinstance(value, Literal) and value.datatype == XSD.string and not value.language:
        return Literal(str(value))
    return value


def _mapped(path: Path) -> list[Mapped]:
    """The submissions of `path` that get as far as SHACL (readable, text, mappable)."""
    try:
        submissions = read_file(path)
    except CityKGError:
        return []
    out = []
    for submission in submissions:
        if submission.graph is not None:
            who = identity(submission.graph)
            if not isinstance(who, RdfProblem):
                out.append(
                    map_graph(submission.graph, document=submission.document, identity=who, iris=IRIs())
                )
            continue
        texts = [value for _, value in walk(submission.document.data) if isinstance(value, str)]
        if any(0xD800 <= ord(ch) <= 0xDFFF for text in texts for ch in text):
            continue  # not text: refused before mapping
        try:
            out.append(map_document(submission.document, vocabulary=load_vocabulary(), iris=IRIs()))
        except (CityKGError, KeyError, TypeError, ValueError, AttributeError):
            continue  # refused by the structure check before mapping
    return out


@pytest.mark.slow
def test_the_engine_finds_what_pyshacl_finds_on_the_corpus() -> None:
    compared = violations = 0
    for path in FILES:
        for mapped in _mapped(path):
            expected = _pyshacl(mapped.facts)
            assert _ours(mapped.facts) == expected, path.name
            compared += 1
            violations += bool(expected)
    assert compared >= 150  # most of the corpus reaches SHACL
    assert violations >= 20  # and many of those break a shape


def test_the_engine_finds_what_pyshacl_finds_on_synthetic_cities() -> None:
    for index in range(12):
        doc = Document(data=document(index), source=f"synthetic-{index}.yaml")
        mapped = map_document(doc, vocabulary=load_vocabulary(), iris=IRIs())
        assert _ours(mapped.facts) == _pyshacl(mapped.facts)
