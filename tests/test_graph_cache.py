"""The parsed ontology and shapes are kept as N-Triples beside the package: the cached graph is
the parsed one (blank-node labels included, so exports keep their bytes), a changed Turtle file
is read again, and a folder that cannot be written only means parsing every time."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from citykg.model import ontology
from citykg.resources import ontology_files, shapes_files


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setattr(ontology, "cache_folder", lambda: folder)
    return folder


def _refuse(files: list[Path]) -> Graph:
    raise AssertionError(f"parsed {files} although a cache holds them")


def test_the_cached_ontology_is_the_parsed_one_with_the_same_blank_node_labels(cache: Path) -> None:
    parsed = ontology._canonical(ontology_files())
    first = ontology.cached_graph("ontology", ontology_files(), ontology._canonical)
    [written] = cache.glob("citykg-ontology-*.nt")
    again = ontology.cached_graph("ontology", ontology_files(), _refuse)
    assert set(first) == set(parsed)
    assert set(again) == set(parsed)
    assert written.stat().st_mode & 0o044 == 0o044  # readable by the other users of the install


def test_the_cached_shapes_are_the_parsed_ones(cache: Path) -> None:
    ontology.cached_graph("shapes", shapes_files(), ontology._parse)
    cached = ontology.cached_graph("shapes", shapes_files(), _refuse)
    assert isomorphic(cached, ontology._parse(shapes_files()))


def test_the_process_wide_ontology_is_the_parsed_one() -> None:
    assert set(ontology.ontology_graph()) == set(ontology._canonical(ontology_files()))


def test_a_changed_file_is_read_again_and_its_old_cache_dropped(cache: Path, tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("<https://example.org/a> <https://example.org/p> 1 .\n", encoding="utf-8")
    first = ontology.cached_graph("shapes", [shapes], ontology._parse)
    shapes.write_text("<https://example.org/a> <https://example.org/p> 2 .\n", encoding="utf-8")
    second = ontology.cached_graph("shapes", [shapes], ontology._parse)
    assert [str(o) for o in first.objects()] == ["1"]
    assert [str(o) for o in second.objects()] == ["2"]
    assert len(list(cache.glob("citykg-shapes-*.nt"))) == 1


def test_a_folder_that_cannot_be_written_means_parsing_every_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setattr(ontology, "cache_folder", lambda: blocked / "cache")
    graph = ontology.cached_graph("shapes", shapes_files(), ontology._parse)
    assert len(graph) == len(ontology._parse(shapes_files()))
    assert blocked.read_text(encoding="utf-8") == "not a folder"
