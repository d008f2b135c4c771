"""`citykg publish` replaces only an earlier publication it recognises by its manifest: links,
their targets, files someone added or changed, and store folders are left alone (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from citykg.cli import cli


def publish(store: Path, folder: Path) -> Result:
    return CliRunner().invoke(cli, ["publish", str(folder), "--store", str(store)])


def contents(folder: Path) -> dict[str, bytes | None]:
    """Every entry's bytes (None for a folder)."""
    return {p.name: p.read_bytes() if p.is_file() else None for p in sorted(folder.iterdir())}


@pytest.fixture
def site(built_store: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    result = publish(built_store, folder)
    assert result.exit_code == 0, result.output
    return folder


def test_the_marker_lists_every_file_published_with_its_digest(site: Path) -> None:
    manifest = json.loads((site / ".citykg-publication").read_text(encoding="utf-8"))
    assert manifest["format"] == "citykg-publication"
    assert sorted(manifest["files"]) == sorted(
        p.name for p in site.iterdir() if p.name != ".citykg-publication"
    )


def test_an_unchanged_publication_is_replaced(built_store: Path, site: Path) -> None:
    before = contents(site)
    result = publish(built_store, site)
    assert result.exit_code == 0, result.output
    assert contents(site) == before
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]  # no temporary folder left


def test_a_file_someone_added_is_kept_and_the_publication_refused(built_store: Path, site: Path) -> None:
    (site / "README.txt").write_text("our notes", encoding="utf-8")
    (site / "extra").mkdir()
    before = contents(site)
    result = publish(built_store, site)
    assert result.exit_code == 2
    assert "holds what citykg publish did not write, or changed since: README.txt, extra" in result.stderr
    assert "move those out of the folder" in result.stderr
    assert contents(site) == before


def test_a_published_file_someone_edited_is_kept_and_the_publication_refused(
    built_store: Path, site: Path
) -> None:
    (site / "citykg.ttl").write_text("# edited by hand\n", encoding="utf-8")
    result = publish(built_store, site)
    assert result.exit_code == 2
    assert "changed since: citykg.ttl" in result.stderr
    assert (site / "citykg.ttl").read_text(encoding="utf-8") == "# edited by hand\n"


def test_a_link_inside_a_publication_is_not_followed_or_removed(
    built_store: Path, site: Path, tmp_path: Path
) -> None:
    target = tmp_path / "mine"
    target.mkdir()
    (target / "thesis.tex").write_text("years of work", encoding="utf-8")
    (site / "data").symlink_to(target)
    result = publish(built_store, site)
    assert result.exit_code == 2 and "changed since: data" in result.stderr
    assert (site / "data").is_symlink() and (target / "thesis.tex").read_text(
        encoding="utf-8"
    ) == "years of work"


def test_a_folder_that_is_a_link_is_left_alone_with_its_target(
    built_store: Path, site: Path, tmp_path: Path
) -> None:
    link = tmp_path / "www"
    link.symlink_to(site)
    before = contents(site)
    result = publish(built_store, link)
    assert result.exit_code == 2
    assert f"{link}: is a symbolic link; citykg publish replaces neither links nor what they point to" in (
        result.stderr
    )
    assert f"name the folder the link points to ({site})" in result.stderr
    assert link.is_symlink() and contents(site) == before


def test_a_publication_is_never_written_into_a_store(built_store: Path) -> None:
    before = sorted(p.name for p in built_store.iterdir())
    for folder in (built_store, built_store / "site"):
        result = publish(built_store, folder)
        assert result.exit_code == 2, result.output
    assert sorted(p.name for p in built_store.iterdir()) == before


def test_a_publication_of_citykg_0_1_is_recognised_by_its_file_names(built_store: Path, site: Path) -> None:
    (site / ".citykg-publication").write_text(
        "citykg publication; this folder is replaced as a whole by citykg publish\n", encoding="utf-8"
    )
    (site / "citykg.ttl").write_text("# older\n", encoding="utf-8")
    assert publish(built_store, site).exit_code == 0
    assert (site / "citykg.ttl").read_text(encoding="utf-8") != "# older\n"
    (site / ".citykg-publication").write_text("citykg publication\n", encoding="utf-8")
    (site / "notes.txt").write_text("mine", encoding="utf-8")
    refused = publish(built_store, site)
    assert refused.exit_code == 2 and "did not write, or changed since: notes.txt" in refused.stderr
