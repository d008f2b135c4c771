"""Exports: every format parses back to the store's content; Turtle is deterministic; -o is atomic."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.compare import isomorphic

from citykg.errors import StoreError
from citykg.export.serializers import export_store
from citykg.rdf.convert import graph_of
from citykg.rdf.formats import ExportFormat
from citykg.rdf.iris import IRIs
from citykg.store.generations import open_store
from citykg.workflow.build import build
from publishing_support import parse_export


def store_quads(location: Path, *, ontology: bool = True) -> set[ox.Quad]:
    store = open_store(location)
    inferred = ox.NamedNode(str(IRIs().inferred_graph))
    quads = {q for q in store.quads() if q.graph_name != inferred}  # exports are asserted by default
    if not ontology:
        skip = ox.NamedNode(str(IRIs().ontology_graph))
        quads = {q for q in quads if q.graph_name != skip}
    return quads


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_every_format_parses_back_to_the_store_content(
    built_store: Path, fmt: ExportFormat, parse_format: dict[ExportFormat, ox.RdfFormat]
) -> None:
    data = export_store(built_store, fmt, iris=IRIs())
    parsed = parse_export(data, parse_format[fmt])
    expected = store_quads(built_store)
    assert len(expected) > 1000
    if fmt.keeps_graphs:
        names = {q.graph_name for q in expected}
        assert {q.graph_name for q in parsed} == names
        for name in names:
            assert isomorphic(
                graph_of(q for q in parsed if q.graph_name == name),
                graph_of(q for q in expected if q.graph_name == name),
            ), name
    else:
        assert isomorphic(graph_of(parsed), graph_of(expected))
        assert all(isinstance(q.graph_name, ox.DefaultGraph) for q in parsed)


@pytest.mark.parametrize("fmt", [ExportFormat.NQUADS, ExportFormat.TURTLE])
def test_without_ontology(
    built_store: Path, fmt: ExportFormat, parse_format: dict[ExportFormat, ox.RdfFormat]
) -> None:
    data = export_store(built_store, fmt, iris=IRIs(), include_ontology=False)
    parsed = parse_export(data, parse_format[fmt])
    expected = store_quads(built_store, ontology=False)
    if fmt.keeps_graphs:
        assert set(parsed) == expected
    else:
        assert {q.triple for q in parsed} == {q.triple for q in expected}


@pytest.mark.slow  # builds in subprocesses
def test_turtle_is_deterministic_across_builds_in_separate_processes(
    tmp_path: Path, project_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    epoch = 1764316800
    submission = "data/submissions/helsinki-2020.yaml"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    monkeypatch.chdir(project_root)
    # one build and export in this process, one in another: neither may vary
    build([Path(submission)], store_path=tmp_path / "one")
    here = export_store(tmp_path / "one", ExportFormat.TURTLE, iris=IRIs())
    script = (
        "import sys; from pathlib import Path; from citykg.workflow.build import build; "
        "from citykg.export.serializers import export_store; from citykg.rdf.formats import ExportFormat; "
        "from citykg.rdf.iris import IRIs; "
        f"build([Path({submission!r})], store_path=Path(sys.argv[1])); "
        "sys.stdout.buffer.write(export_store(Path(sys.argv[1]), ExportFormat.TURTLE, iris=IRIs()))"
    )
    there = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "two")],
        env={**os.environ, "PYTHONPATH": str(project_root / "src")},
        check=True,
        capture_output=True,
    ).stdout
    assert here == there
    built = datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert f'"{built}"^^xsd:dateTime'.encode() in here


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_output_file_is_written_whole(built_store: Path, tmp_path: Path, fmt: ExportFormat) -> None:
    target = tmp_path / "out" / f"graph{fmt.extension}"
    data = export_store(built_store, fmt, iris=IRIs(), output=target)
    assert target.read_bytes() == data
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]  # no temporary left


def test_failed_export_leaves_the_previous_output(tmp_path: Path) -> None:
    target = tmp_path / "graph.ttl"
    target.write_bytes(b"previous export\n")
    with pytest.raises(StoreError):
        export_store(tmp_path / "no-store", ExportFormat.TURTLE, iris=IRIs(), output=target)
    assert target.read_bytes() == b"previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]
