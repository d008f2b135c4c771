"""No command deletes or replaces what it did not create: store folders, `-o` files and history
names (publication folders: test_publication_folders.py)."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from _submit_support import CORPUS, HELSINKI, variant
from citykg import InputError, Store
from citykg.rdf.iris import IRIs


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every path under `folder` with its bytes (None for a folder)."""
    return {
        str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(folder.rglob("*"))
    }


def test_build_and_submit_refuse_a_folder_that_is_not_a_store(
    tmp_path: Path, run_cli: Callable[..., Result]
) -> None:
    folder = tmp_path / "mine"
    (folder / "gen-000001").mkdir(parents=True)
    (folder / "gen-000001" / "thesis.tex").write_text("years of work", encoding="utf-8")
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    before = tree(folder)
    for command in ("build", "submit"):
        result = run_cli(command, HELSINKI, "--store", folder)
        assert result.exit_code == 2, result.output
        assert f"{folder}: this folder is not empty and is not a citykg store" in result.stderr
        assert "choose a new or empty folder with --store" in result.stderr
        assert tree(folder) == before


def test_an_empty_store_name_is_refused_and_nothing_is_written(
    tmp_path: Path, run_cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for command in ("build", "submit"):
        result = run_cli(command, HELSINKI, "--store", "")
        assert result.exit_code == 2
        assert "Invalid value for '--store': is empty" in result.stderr
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(InputError, match="the store folder is an empty name"):
        Store("")


@pytest.mark.parametrize("wait", ["nan", "inf", "-1"])
def test_wait_must_be_a_number_of_seconds(wait: str, tmp_path: Path, run_cli: Callable[..., Result]) -> None:
    result = run_cli("build", HELSINKI, "--wait", wait, "--store", tmp_path / "store")
    assert result.exit_code == 2
    assert "Invalid value for '--wait'" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_build_marks_its_folder_as_a_store(built_store: Path) -> None:
    marker = json.loads((built_store / "citykg-store.json").read_text(encoding="utf-8"))
    assert (marker["format"], marker["version"], marker["base"]) == ("citykg-store", 1, IRIs().base)


def test_a_first_build_that_fails_leaves_no_folder_behind(
    tmp_path: Path, run_cli: Callable[..., Result]
) -> None:
    result = run_cli("build", CORPUS / "bad" / "negative-staff.yaml", "--store", tmp_path / "new" / "store")
    assert result.exit_code == 1
    assert list(tmp_path.iterdir()) == []
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_cli("build", CORPUS / "bad" / "negative-staff.yaml", "--store", empty).exit_code == 1
    assert list(empty.iterdir()) == []


@pytest.mark.slow
def test_a_store_made_before_the_marker_is_still_a_store(
    store_copy: Path, run_cli: Callable[..., Result]
) -> None:
    (store_copy / "citykg-store.json").unlink()
    shutil.rmtree(store_copy / "readers")
    assert run_cli("query", "surveyed-cities", "--store", store_copy).exit_code == 0
    result = run_cli("build", HELSINKI, "--store", store_copy)
    assert result.exit_code == 0, result.output
    assert (store_copy / "citykg-store.json").is_file()


# ------------------------------------------------------------------ -o never replaces what is not a file


def test_output_refuses_a_symbolic_link_and_leaves_it_and_its_target(
    built_store: Path, tmp_path: Path, run_cli: Callable[..., Result]
) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("keep me", encoding="utf-8")
    link = tmp_path / "out.ttl"
    link.symlink_to(target)
    result = run_cli("export", "-o", link, "--store", built_store)
    assert result.exit_code == 2
    assert f"{link}: is a symbolic link; citykg does not replace links" in result.stderr
    assert link.is_symlink() and link.readlink() == target
    assert target.read_text(encoding="utf-8") == "keep me"


def test_output_refuses_a_special_file(
    built_store: Path, tmp_path: Path, run_cli: Callable[..., Result]
) -> None:
    pipe = tmp_path / "pipe"  # a named pipe stands for devices too: any file that is not regular
    os.mkfifo(pipe)
    result = run_cli("export", "-o", pipe, "--store", built_store)
    assert result.exit_code == 2
    assert "is not a regular file (a folder, a device, a pipe or a socket)" in result.stderr
    assert pipe.is_fifo()


def test_output_refuses_a_file_inside_a_store(store_copy: Path, run_cli: Callable[..., Result]) -> None:
    before = tree(store_copy)
    for inside in (store_copy / "CURRENT", store_copy / "gen-000001" / "CURRENT", store_copy / "new.ttl"):
        result = run_cli("export", "-o", inside, "--store", store_copy)
        assert result.exit_code == 2
        assert f"{inside}: is inside a citykg store folder" in result.stderr
    assert tree(store_copy) == before
    assert run_cli("query", "surveyed-cities", "--store", store_copy).exit_code == 0


@pytest.mark.slow
def test_history_show_and_extract_refuse_the_same_outputs(
    store_copy: Path, tmp_path: Path, run_cli: Callable[..., Result], project_root: Path
) -> None:
    link = tmp_path / "link.ttl"
    link.symlink_to(tmp_path / "elsewhere.ttl")
    shown = run_cli("history", "Helsinki", "--show", "1", "-o", link, "--store", store_copy)
    assert shown.exit_code == 2 and "is a symbolic link" in shown.stderr
    page = project_root / "data" / "profiles" / "helsinki.txt"
    extracted = run_cli("extract", page, "--output-dir", store_copy)
    assert extracted.exit_code == 2 and "is inside a citykg store folder" in extracted.stderr
    assert not (tmp_path / "elsewhere.ttl").exists()


# ------------------------------------------------------------------ history names are names, not patterns


@pytest.mark.slow
def test_history_matches_city_names_and_iris_literally(
    store_copy: Path, tmp_path: Path, run_cli: Callable[..., Result]
) -> None:
    resubmitted = variant(HELSINKI, tmp_path / "helsinki-v2.yaml", ("Jan Vapaavuori", "Anna Aalto"))
    assert run_cli("submit", resubmitted, "--store", store_copy).exit_code == 0
    assert (store_copy / "history" / "finland" / "helsinki").is_dir()  # a kept version on disk
    city = str(IRIs().city("Helsinki", "Finland"))
    listed = run_cli("history", city, "--store", store_copy)
    assert listed.exit_code == 0 and len(listed.stdout.strip().splitlines()) == 3  # header + 2
    prefix = city.rsplit("/", 2)[0]
    for pattern in (
        f"{prefix}/*/helsinki",
        f"{prefix}/finland/[h]elsinki",
        f"{prefix}/finland/*",
        "*",
        "..",
        ".",
    ):
        result = run_cli("history", pattern, "--store", store_copy)
        assert result.exit_code == 2, (pattern, result.output)
        assert "no submission for" in result.stderr
