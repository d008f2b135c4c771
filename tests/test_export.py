"""Exports: every format parses back to the store's content; Turtle is deterministic; -o is atomic."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
import pytest

from citykg.errors import StoreError
from citykg.export import export_store
from citykg.formats import ExportFormat
from citykg.iris import IRIs
from citykg.store import open_store

OX = {
    ExportFormat.TURTLE: ox.RdfFormat.TURTLE,
    ExportFormat.NTRIPLES: ox.RdfFormat.N_TRIPLES,
    ExportFormat.NQUADS: ox.RdfFormat.N_QUADS,
    ExportFormat.TRIG: ox.RdfFormat.TRIG,
    ExportFormat.JSONLD: ox.RdfFormat.JSON_LD,
}


def store_quads(location: Path, *, ontology: bool = True) -> set[ox.Quad]:
    store = open_store(location)
    quads = set(store.quads())
    if not ontology:
        skip = ox.NamedNode(str(IRIs().ontology_graph))
        quads = {q for q in quads if q.graph_name != skip}
    return quads


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_every_format_parses_back_to_the_store_content(built_store: Path, fmt: ExportFormat) -> None:
    data = export_store(built_store, fmt, iris=IRIs())
    parsed = list(ox.parse(data, format=OX[fmt]))
    expected = store_quads(built_store)
    assert len(expected) > 1000
    if fmt.keeps_graphs:
        assert set(parsed) == expected
    else:
        assert {q.triple for q in parsed} == {q.triple for q in expected}
        assert all(isinstance(q.graph_name, ox.DefaultGraph) for q in parsed)


@pytest.mark.parametrize("fmt", [ExportFormat.NQUADS, ExportFormat.TURTLE])
def test_without_ontology(built_store: Path, fmt: ExportFormat) -> None:
    data = export_store(built_store, fmt, iris=IRIs(), include_ontology=False)
    parsed = list(ox.parse(data, format=OX[fmt]))
    expected = store_quads(built_store, ontology=False)
    if fmt.keeps_graphs:
        assert set(parsed) == expected
    else:
        assert {q.triple for q in parsed} == {q.triple for q in expected}


def test_turtle_is_deterministic_across_builds_in_separate_processes(
    tmp_path: Path, project_root: Path
) -> None:
    epoch = 1764316800
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "PYTHONPATH": str(project_root / "src")}
    outputs = []
    for name in ("one", "two"):
        location = tmp_path / name
        subprocess.run(
            [sys.executable, "-m", "citykg", "build", "data/submissions", "--store", str(location)],
            cwd=project_root,
            env=env,
            check=True,
            capture_output=True,
        )
        outputs.append(export_store(location, ExportFormat.TURTLE, iris=IRIs()))
    assert outputs[0] == outputs[1]
    built = datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert f'"{built}"^^xsd:dateTime'.encode() in outputs[0]


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
