"""An installed wheel carries the data the library reads (ontology, shapes, queries), the one
version and the licence."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

from click.testing import CliRunner

import citykg
from citykg.cli import cli
from citykg.resources import ontology_dir, queries_dir, shapes_dir

ROOT = Path(__file__).resolve().parents[1]


def test_every_data_file_the_library_reads_is_installed_with_the_wheel() -> None:
    data_files = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["data-files"]
    shipped = {
        path.resolve()
        for target, patterns in data_files.items()
        for pattern in patterns
        for path in ROOT.glob(pattern)
        if target == f"share/citykg/{Path(pattern).parent}"
    }
    needed = {
        path.resolve()
        for folder in (ontology_dir(), shapes_dir(), queries_dir())
        for path in folder.iterdir()
        if path.is_file()
    }
    assert needed and needed <= shipped, sorted(str(p) for p in needed - shipped)


def test_the_version_is_written_once_and_the_cli_metadata_and_changelog_agree() -> None:
    """`citykg --version`, the installed package's metadata and the newest release of
    CHANGELOG.md all give `citykg.__version__`; pyproject.toml reads it from there."""
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"citykg, version {citykg.__version__}\n"
    assert metadata.version("citykg") == citykg.__version__, "stale install: run make .venv/.installed"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "citykg.__version__"}
    releases = re.findall(r"^## \[(\d[^\]]*)\]", (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), re.M)
    assert releases[0] == citykg.__version__


def test_the_licence_is_an_spdx_expression_with_its_file() -> None:
    installed = metadata.metadata("citykg")
    assert installed["License-Expression"] == "Apache-2.0"
    assert installed.get_all("License-File") == ["LICENSE"]
    assert "Apache License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
