"""The build pipeline: two sources for one city and wave merge when they agree, refuse otherwise."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from citykg.errors import InputError
from citykg.rdf.iris import IRIs
from citykg.rdf.terms import CKG, PROV, RDF
from citykg.sources import expand, read_file
from citykg.store.generations import open_store
from citykg.workflow.build import build
from citykg.workflow.check import BuildRefused, validate_paths


def helsinki_data(helsinki_path: Path) -> dict[str, Any]:
    (submission,) = read_file(helsinki_path)
    return submission.document.data


def test_same_facts_from_two_files_merge_into_one_graph(tmp_path: Path, helsinki_path: Path) -> None:
    copy = tmp_path / "helsinki.json"
    copy.write_text(json.dumps(helsinki_data(helsinki_path)), encoding="utf-8")
    result = build([helsinki_path, copy], store_path=tmp_path / "store")
    graph_iri = IRIs().graph("Helsinki", "Finland", 2020)
    assert result.graphs == [graph_iri]
    assert any("states the same facts" in action and "merged" in action for action in result.actions)
    graph = open_store(tmp_path / "store").graph(graph_iri)
    assert len(list(graph.objects(graph_iri, PROV.wasDerivedFrom))) == 2
    # each fact has evidence from both files
    sources = {graph.value(e, CKG.evidenceSource) for e in graph.subjects(RDF.predicate, CKG.mayor)}
    assert len(sources) == 2


def test_two_files_that_disagree_are_refused_naming_files_and_fields(
    tmp_path: Path, helsinki_path: Path
) -> None:
    data = helsinki_data(helsinki_path)
    data["city"] = {**data["city"], "mayor": "Someone Else"}
    other = tmp_path / "helsinki.json"
    other.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(BuildRefused) as caught:
        build([helsinki_path, other], store_path=tmp_path / "store")
    message = caught.value.message
    assert str(helsinki_path) in message and str(other) in message
    assert "Helsinki 2020" in message and "city.mayor" in message
    assert not (tmp_path / "store" / "CURRENT").exists()


def test_two_waves_of_one_city_are_two_graphs(tmp_path: Path, helsinki_path: Path) -> None:
    data = helsinki_data(helsinki_path)
    data["survey"] = {"wave": 2018}
    earlier = tmp_path / "helsinki-2018.json"
    earlier.write_text(json.dumps(data), encoding="utf-8")
    result = build([helsinki_path, earlier], store_path=tmp_path / "store")
    iris = IRIs()
    assert result.graphs == sorted(
        [iris.graph("Helsinki", "Finland", 2018), iris.graph("Helsinki", "Finland", 2020)]
    )


def test_validate_paths_reads_folders(project_root: Path) -> None:
    reports = validate_paths([project_root / "data" / "submissions"])
    assert [r.conforms for r in reports] == [True] * len(reports)
    assert any(r.source.endswith("helsinki-2020.yaml") for r in reports)


def test_folders_expand_to_their_submission_files_in_a_stable_order(tmp_path: Path) -> None:
    for name in ["b.yaml", "a.json", "sub/c.csv", ".hidden/d.yaml", ".e.yaml", "notes.md", "f.YML"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in expand([tmp_path])]
    assert found == ["a.json", "b.yaml", "f.YML", "sub/c.csv"]


def test_folder_without_submissions_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="folder holds no submission files") as caught:
        expand([tmp_path])
    assert caught.value.where == str(tmp_path)
