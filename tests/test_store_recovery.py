"""A damaged store says so plainly in every command that reads it, and `citykg build` rebuilds
it in place (it needs only the store's marker), keeping its history."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from _submit_support import HELSINKI, variant

# each test copies a built store, damages it and rebuilds it
pytestmark = pytest.mark.slow


def _empty_pointer(store: Path) -> None:
    (store / "CURRENT").write_bytes(b"")


def _garbage_pointer(store: Path) -> None:
    (store / "CURRENT").write_bytes(b"\x00\xff not a generation")


def _missing_generation(store: Path) -> None:
    shutil.rmtree(store / (store / "CURRENT").read_text(encoding="utf-8").strip())


def _truncated_files(store: Path) -> None:
    generation = store / (store / "CURRENT").read_text(encoding="utf-8").strip()
    for path in generation.glob("*.sst"):
        with path.open("r+b") as data:
            data.truncate(path.stat().st_size // 2)


DAMAGE = {
    "empty CURRENT": (_empty_pointer, "its CURRENT file is empty"),
    "garbage CURRENT": (_garbage_pointer, "its CURRENT file names no generation"),
    "missing generation": (_missing_generation, "its CURRENT file names a missing generation 'gen-000001'"),
    "truncated files": (_truncated_files, "its generation gen-000001 cannot be read (Corruption"),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_store_says_so_and_build_rebuilds_it_in_place(
    damage: str, store_copy: Path, tmp_path: Path, run_cli: Callable[..., Result]
) -> None:
    (store_copy / "history" / "finland" / "helsinki" / "2020").mkdir(parents=True)
    kept = store_copy / "history" / "finland" / "helsinki" / "2020" / "000001-0123456789abcdef.nt"
    kept.write_text("", encoding="utf-8")  # an earlier version the rebuild must keep
    breaks, says = DAMAGE[damage]
    breaks(store_copy)
    resubmission = variant(HELSINKI, tmp_path / "helsinki-v2.yaml", ("Jan Vapaavuori", "Anna Aalto"))
    for command in (
        ("query", "surveyed-cities"),
        ("export",),
        ("history", "Helsinki"),
        ("submit", str(resubmission)),
        ("publish", str(tmp_path / "site")),
    ):
        result = run_cli(*command, "--store", store_copy)
        assert result.exit_code == 2, (command, result.output)
        assert f"{store_copy}: the store is damaged: {says}" in result.stderr, command
        assert f"hint: rebuild it from your submissions: citykg build FILES... --store {store_copy}" in (
            result.stderr
        )
        assert "another" not in result.stderr and "Traceback" not in result.stderr

    rebuilt = run_cli("build", HELSINKI, "--store", store_copy)
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "the store is damaged" in rebuilt.stderr and "rebuilding it from these files" in rebuilt.stderr
    answered = run_cli("query", "surveyed-cities", "--store", store_copy)
    assert answered.exit_code == 0 and "Helsinki" in answered.stdout
    assert kept.is_file()
    assert run_cli("submit", resubmission, "--store", store_copy).exit_code == 0


def test_a_rebuild_keeps_the_base_iri_the_marker_remembers(
    tmp_path: Path, run_cli: Callable[..., Result]
) -> None:
    store = tmp_path / "store"
    base = "https://data.example.org/kg/"
    assert run_cli("build", HELSINKI, "--store", store, "--base", base).exit_code == 0
    _garbage_pointer(store)
    assert run_cli("build", HELSINKI, "--store", store).exit_code == 0  # no --base given
    exported = run_cli("export", "-f", "ntriples", "--store", store)
    assert f"<{base}id/city/" in exported.stdout
    assert "<https://w3id.org/citykg/id/city/" not in exported.stdout


def test_a_damaged_marker_still_marks_the_store(store_copy: Path, run_cli: Callable[..., Result]) -> None:
    (store_copy / "citykg-store.json").write_bytes(b'{"format": "citykg-st')  # cut short
    result = run_cli("build", HELSINKI, "--store", store_copy)
    assert result.exit_code == 0, result.output
    assert '"format": "citykg-store"' in (store_copy / "citykg-store.json").read_text(encoding="utf-8")
