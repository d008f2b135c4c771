"""Helpers of the publishing tests: a small store of three cities, and reading exports back."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from citykg.rdf.convert import graph_of
from citykg.workflow.build import build

ROOT = Path(__file__).resolve().parents[1]
DATA = [ROOT / "data" / "submissions" / "helsinki-2020.yaml", ROOT / "tests" / "data" / "publishing"]
SECRETS = [
    "mayor.private@tampere.example",
    "teemu.private@tampere.example",
    "+358 40 111 2222",
    "+358 50 333 4444",
]
"""The contact details the test submissions carry; no public export may contain any."""

FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
}


def build_store(location: Path, monkeypatch: pytest.MonkeyPatch, epoch: str = "1767225600") -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    monkeypatch.chdir(ROOT)
    build([p.relative_to(ROOT) for p in DATA], store_path=location)
    return location


def shared_root() -> Path:
    here = Path(__file__).resolve().parents[2] / "shared"
    return here if here.is_dir() else Path("/work/shared")


def parse_graphs(data: bytes, fmt: ox.RdfFormat, base: str | None = None) -> dict[str, Graph]:
    """Named graph (or "" for the default graph) -> its triples, read with pyoxigraph's strict parser."""
    grouped: dict[str, list[ox.Quad]] = defaultdict(list)
    for quad in ox.parse(data, fmt, base_iri=base):
        name = "" if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
        grouped[name].append(quad)
    return {name: graph_of(quads) for name, quads in grouped.items()}


def union(graphs: dict[URIRef, Graph] | dict[str, Graph]) -> Graph:
    out = Graph()
    for graph in graphs.values():
        for triple in graph:
            out.add(triple)
    return out


def parse_export(data: bytes, fmt: ox.RdfFormat) -> list[ox.Quad]:
    """The quads of an export, read with pyoxigraph's strict parser (JSON-LD as it is: its
    context is inline, and pyoxigraph loads no other)."""
    return list(ox.parse(data, format=fmt))
