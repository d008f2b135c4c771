"""Shared fixtures: the project root, a store built from the Helsinki submission, a CLI runner."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result

from citykg import Store
from citykg.cli import cli
from citykg.rdf.formats import ExportFormat

ROOT = Path(__file__).resolve().parents[1]
HELSINKI = ROOT / "data" / "submissions" / "helsinki-2020.yaml"


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def helsinki_path() -> Path:
    return HELSINKI


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built once from the Helsinki submission; tests must not change it (build their own)."""
    location = tmp_path_factory.mktemp("store") / "store"
    Store(location).build([HELSINKI])
    return location


@pytest.fixture(scope="session")
def submissions_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built once from the project's submissions (data/submissions); tests must not change it."""
    location = tmp_path_factory.mktemp("submissions") / "store"
    Store(location).build([ROOT / "data" / "submissions"])
    return location


@pytest.fixture(scope="session")
def catalog_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built once from the catalog fixtures (tests/fixtures/catalog); tests must not change it."""
    location = tmp_path_factory.mktemp("catalog") / "store"
    Store(location).build([ROOT / "tests" / "fixtures" / "catalog"])
    return location


@pytest.fixture
def store_copy(tmp_path: Path, built_store: Path) -> Path:
    """A copy of the built store that this test may break."""
    location = tmp_path / "store"
    shutil.copytree(built_store, location)
    return location


@pytest.fixture
def run_cli() -> Callable[..., Result]:
    """`run_cli("validate", path)`: invoke `citykg` in-process; stdout and stderr kept apart."""
    runner = CliRunner()

    def invoke(*args: object, input: str | None = None) -> Result:
        return runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)

    return invoke


@pytest.fixture(scope="session")
def parse_format() -> dict[ExportFormat, ox.RdfFormat]:
    """The pyoxigraph parser for each export format, written out here independently of export.py."""
    return {
        ExportFormat.TURTLE: ox.RdfFormat.TURTLE,
        ExportFormat.NTRIPLES: ox.RdfFormat.N_TRIPLES,
        ExportFormat.NQUADS: ox.RdfFormat.N_QUADS,
        ExportFormat.TRIG: ox.RdfFormat.TRIG,
        ExportFormat.JSONLD: ox.RdfFormat.JSON_LD,
    }
