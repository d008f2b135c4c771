"""A store built under another base IRI remembers it: queries find its inferred graph, and
submit, export and a rebuild mint under it without being told again."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from citykg.queries.run import answer

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "catalog"
TAMPERE = ROOT / "tests" / "data" / "publishing" / "tampere-2020.yaml"
BASE = "https://data.example.org/kg/"


@pytest.fixture
def run(run_cli: Callable[..., Result]) -> Callable[..., Result]:
    return run_cli


@pytest.fixture
def store(tmp_path: Path, run: Callable[..., Result]) -> Path:
    location = tmp_path / "store"
    result = run("build", FIXTURES, "--store", location, "--base", BASE)
    assert result.exit_code == 0, result.output
    return location


def test_queries_see_the_inferred_graph_of_a_store_built_under_another_base(
    store: Path, run: Callable[..., Result]
) -> None:
    # membership of ckg:SurveyedCity is inferred only
    assert answer(store, name="surveyed-cities").column("city") == [
        "Eastvale",
        "Northport",
        "Southbridge",
        "Westham",
    ]
    printed = run("query", "surveyed-cities", "--store", str(store), "-f", "csv")
    assert printed.exit_code == 0 and "Northport" in printed.stdout


@pytest.mark.slow  # a submit, an export and a rebuild
def test_submit_export_and_rebuild_mint_under_the_stored_base(
    store: Path, run: Callable[..., Result]
) -> None:
    submitted = run("submit", str(TAMPERE), "--store", str(store))
    assert submitted.exit_code == 0, submitted.output
    exported = run("export", "-f", "nquads", "--inferred", "--store", str(store))
    assert exported.exit_code == 0, exported.output
    assert f"<{BASE}id/city/finland/tampere>" in exported.stdout
    assert f"<{BASE}graph/inferred>" in exported.stdout
    assert "https://w3id.org/citykg/id/city/" not in exported.stdout

    rebuilt = run("build", str(FIXTURES), "--store", str(store))
    assert rebuilt.exit_code == 0, rebuilt.output
    again = run("export", "-f", "nquads", "--store", str(store))
    assert f"<{BASE}id/city/" in again.stdout and "https://w3id.org/citykg/id/city/" not in again.stdout


def test_another_base_for_an_existing_store_is_refused_and_changes_nothing(
    store: Path, run: Callable[..., Result]
) -> None:
    before = (store / "CURRENT").read_text()
    result = run("submit", str(TAMPERE), "--store", str(store), "--base", "https://w3id.org/citykg/")
    assert result.exit_code == 2
    assert f"built with the base IRI {BASE}" in result.stderr
    assert "leave out --base" in result.stderr
    assert (store / "CURRENT").read_text() == before
    # a rebuild may choose another base on purpose
    rebuilt = run("build", str(FIXTURES), "--store", str(store), "--base", "https://w3id.org/citykg/")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "https://w3id.org/citykg/id/city/" in run("export", "-f", "nquads", "--store", str(store)).stdout
