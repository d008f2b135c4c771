"""Rebuilding with the digest cache: a file whose bytes did not change is neither checked nor
mapped again, and the store is the one a cold build of the same files makes (the same quads,
inferred graph included, the same reports). The cache is not used when it does not describe
the live generation, when it is damaged, or when the shapes or ontology changed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bench.synthetic import document, waves

from citykg.store.build_cache import CACHE_FILE
from citykg.store.generations import open_store
from citykg.workflow import prepare
from citykg.workflow.build import BuildResult, build
from citykg.workflow.submit import submit
from store_shape_support import assert_folder_shape

ROOT = Path(__file__).resolve().parents[1]
FREE_TEXT = "Make the city a living lab for better services"


def _write(folder: Path, index: int, wave: int, **changes: object) -> Path:
    data = document(index, wave=wave)
    if index in (1, 2):  # one free-text goal, spelled two ways: the first file met keeps its spelling
        data["goals"].append(FREE_TEXT if index == 1 else FREE_TEXT.upper() + "!")
    data["city"].update(changes)
    path = folder / f"city-{index:03d}-{wave}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    return path


def _folder(tmp_path: Path, cities: int = 12) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for index in range(cities):
        for wave in waves(index):
            _write(folder, index, wave)
    return folder


def _quads(store: Path) -> set[str]:
    return {str(q) for q in open_store(store).store}


def _same_as_cold(files: Path, store: Path, result: BuildResult, tmp_path: Path, name: str) -> None:
    cold = build([files], store_path=tmp_path / name)
    assert _quads(store) == _quads(tmp_path / name)
    assert_folder_shape(store)  # the rebuilt store has the documented shape (decision 1304)
    assert [r.problems for r in result.reports] == [r.problems for r in cold.reports]
    assert (result.triples, result.inferred, result.graphs) == (cold.triples, cold.inferred, cold.graphs)
    # the same messages, but for what only a rebuild says (what it reused, what went to the history)
    assert [a for a in result.actions if not a.startswith(("reused", "kept"))] == cold.actions


@pytest.fixture
def prepared_count(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files the build checks and maps."""
    seen: list[Path] = []
    original = prepare.prepare_file

    def counting(path: Path, **kwargs: object) -> prepare.PreparedFile:
        seen.append(path)
        return original(path, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(prepare, "prepare_file", counting)
    return seen


def test_one_changed_file_is_all_a_rebuild_checks_and_the_store_is_a_cold_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prepared_count: list[Path]
) -> None:
    files = _folder(tmp_path)
    store = tmp_path / "store"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build([files], store_path=store)
    assert (store / CACHE_FILE).is_file()
    total = len(prepared_count)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700003600")  # a later build: every graph says when
    changed = _write(files, 4, 2020, mayor="Somebody Else")
    prepared_count.clear()
    result = build([files], store_path=store)
    assert prepared_count == [changed]
    assert any(a.startswith("reused 14 unchanged graph(s)") for a in result.actions), result.actions
    assert len(result.kept) == 1  # the replaced version went into the history, as a cold build keeps it
    assert total == 15
    _same_as_cold(files, store, result, tmp_path, "cold")


def test_removed_added_and_relabelled_files_rebuild_as_a_cold_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    files = _folder(tmp_path, cities=16)
    store = tmp_path / "store"
    build([files], store_path=store)
    # the first spelling of the free-text goal goes: the second spelling becomes preferred
    (files / "city-001-2020.yaml").unlink()
    _write(files, 16, 2020)  # a new city
    result = build([files], store_path=store)
    assert any(a.startswith("reused") for a in result.actions)
    _same_as_cold(files, store, result, tmp_path, "cold-1")
    # the first spelling comes back: it is met first again, and the other one is demoted again
    _write(files, 1, 2020)
    result = build([files], store_path=store)
    assert any(a.startswith("reused") for a in result.actions)
    _same_as_cold(files, store, result, tmp_path, "cold-2")


def test_a_cache_that_does_not_describe_the_live_store_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, helsinki_path: Path
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    files = _folder(tmp_path)
    store = tmp_path / "store"
    build([files], store_path=store)
    submit(helsinki_path, store_path=store, new_city=True)  # another generation is live now
    result = build([files], store_path=store)
    assert not any(a.startswith("reused") for a in result.actions)  # a cold build
    (store / CACHE_FILE).write_bytes(b"{not json")
    _write(files, 3, 2020, mayor="Another Mayor")
    result = build([files], store_path=store)
    assert not any(a.startswith("reused") for a in result.actions)
    _same_as_cold(files, store, result, tmp_path, "cold")


def test_changed_shapes_drop_the_cache(tmp_path: Path) -> None:
    home = tmp_path / "home"
    for part in ("ontology", "shapes", "queries"):
        shutil.copytree(ROOT / part, home / part)
    files = _folder(tmp_path, cities=3)
    env = {**os.environ, "CITYKG_HOME": str(home)}
    command = [sys.executable, "-m", "citykg", "build", str(files), "--store", str(tmp_path / "store")]

    def run() -> str:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        return done.stderr

    run()
    assert "reused" in run()  # nothing changed: every graph reused
    shapes = home / "shapes" / "citykg-shapes.ttl"
    shapes.write_text(shapes.read_text("utf-8") + "\n# a comment changes the digest\n", "utf-8")
    assert "reused" not in run()
