"""A store built under another base IRI remembers it: queries find its inferred graph, and
submit, export and a rebuild mint under it without being told again."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

import citykg
from citykg.workflow.submit import submit

pytestmark = pytest.mark.slow  # each test builds a store or two (~5 s)

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
    assert citykg.Store(store).query("surveyed-cities").column("city") == [
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


def test_python_users_build_and_submit_under_the_stored_base_as_the_cli_does(store: Path) -> None:
    python_store = citykg.Store(store)  # no base given: the store remembers its own
    assert python_store.base == BASE
    submitted = python_store.submit(TAMPERE)
    assert submitted.committed, [p.render() for r in submitted.reviews for p in r.report.problems]
    exported = python_store.export(citykg.ExportFormat.NQUADS, inferred=True).decode()
    assert f"<{BASE}id/city/finland/tampere>" in exported
    assert f"<{BASE}graph/inferred>" in exported
    assert "https://w3id.org/citykg/id/city/" not in exported

    python_store.build([FIXTURES])  # a rebuild keeps the stored base too
    again = python_store.export(citykg.ExportFormat.NQUADS).decode()
    assert f"<{BASE}id/city/" in again and "https://w3id.org/citykg/id/city/" not in again
    assert python_store.history("Tampere")[0].graph_iri.startswith(f"{BASE}graph/")


def test_python_users_are_refused_another_base_for_an_existing_store(store: Path) -> None:
    before = (store / "CURRENT").read_text()
    with pytest.raises(citykg.StoreError, match=f"built with the base IRI {BASE}"):
        citykg.Store(store, base="https://w3id.org/citykg/").submit(TAMPERE)
    assert (store / "CURRENT").read_text() == before


def test_the_workflow_called_without_iris_mints_under_the_stored_base_too(store: Path) -> None:
    assert submit(TAMPERE, store_path=store).committed
    exported = citykg.Store(store).export(citykg.ExportFormat.NQUADS).decode()
    assert f"<{BASE}id/city/finland/tampere>" in exported
