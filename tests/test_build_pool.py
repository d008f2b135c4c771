"""The build on a pool of workers gives the store a build in one process gives: the same quads,
the same reports and messages, the same refusals. The inputs include what needs every
submission at once: a free-text answer spelled two ways (one preferred label, the first met),
two files stating the same facts (merged into one graph), and a disagreement."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from bench.synthetic import document, waves

from citykg.errors import BuildRefused
from citykg.rdf.terms import SKOS
from citykg.store.generations import open_store
from citykg.workflow.build import BuildResult, build
from citykg.workflow.prepare import POOL_MIN_FILES

FREE_TEXT = "Make the city a living lab for better services"


def _files(folder: Path, cities: int) -> Path:
    folder.mkdir()
    for index in range(cities):
        for wave in waves(index):
            data = document(index, wave=wave)
            if index in (1, 2):  # the same free-text goal, spelled two ways
                data["goals"].append(FREE_TEXT if index == 1 else FREE_TEXT.upper() + "!")
            (folder / f"city-{index:03d}-{wave}.yaml").write_text(
                yaml.safe_dump(data, sort_keys=False), "utf-8"
            )
    same = (folder / "city-003-2020.yaml").read_bytes()
    (folder / "city-003-2020-copy.yaml").write_bytes(same)  # the same facts from a second file
    return folder


def _quads(store: Path) -> set[str]:
    return {str(q) for q in open_store(store).store}


def _build(files: Path, store: Path, workers: int) -> BuildResult:
    return build([files], store_path=store, workers=workers)


def test_a_pool_builds_the_store_one_process_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    files = _files(tmp_path / "in", 16)
    assert len(list(files.iterdir())) >= POOL_MIN_FILES
    alone = _build(files, tmp_path / "one", workers=1)
    pooled = _build(files, tmp_path / "pool", workers=2)
    assert _quads(tmp_path / "one") == _quads(tmp_path / "pool")
    assert alone.actions == pooled.actions
    assert [r.problems for r in alone.reports] == [r.problems for r in pooled.reports]
    assert (alone.triples, alone.inferred, alone.graphs) == (pooled.triples, pooled.inferred, pooled.graphs)
    # what needs all submissions happened: one preferred label, the other spelling an alternative
    store = open_store(tmp_path / "pool").store
    labels = {
        (q.predicate.value, q.object.value)
        for predicate in (SKOS.prefLabel, SKOS.altLabel)
        for q in store.quads_for_pattern(None, ox.NamedNode(str(predicate)), None, ox.DefaultGraph())
        if isinstance(q.object, ox.Literal) and q.object.value.lower().startswith(FREE_TEXT.lower()[:20])
    }
    assert labels == {(str(SKOS.prefLabel), FREE_TEXT), (str(SKOS.altLabel), FREE_TEXT.upper() + "!")}
    notes = [p.message for r in pooled.reports for p in r.problems if "already given" in p.message]
    assert len(notes) == 1
    assert any("states the same facts as" in a and "merged into one graph" in a for a in pooled.actions)


def test_a_pool_refuses_what_one_process_refuses(tmp_path: Path) -> None:
    files = _files(tmp_path / "in", 16)
    other = document(3, wave=2020)
    other["city"]["mayor"] = "Somebody Else"
    (files / "city-003-2020-copy.yaml").write_text(yaml.safe_dump(other, sort_keys=False), "utf-8")
    bad = document(5, wave=2020)
    messages = []
    for workers in (1, 2):
        with pytest.raises(BuildRefused) as refused:
            _build(files, tmp_path / f"store-{workers}", workers=workers)
        assert "both describe City 00003 2020 but disagree" in refused.value.message
        assert "city.mayor" in refused.value.message
        messages.append(refused.value.message)
        assert not (tmp_path / f"store-{workers}" / "CURRENT").exists()  # nothing was built
    assert messages[0] == messages[1]
    bad["city"]["population"]["value"] = -5
    (files / "city-003-2020-copy.yaml").unlink()
    (files / "city-005-2020.yaml").write_text(yaml.safe_dump(bad, sort_keys=False), "utf-8")
    for workers in (1, 2):
        with pytest.raises(BuildRefused) as refused:
            _build(files, tmp_path / f"bad-{workers}", workers=workers)
        assert "1 submission(s) do not conform" in refused.value.message
        [failed] = [r for r in refused.value.reports if not r.conforms]
        assert failed.source.endswith("city-005-2020.yaml")
        assert any(p.field == "city.population.value" for p in failed.errors), failed.errors
