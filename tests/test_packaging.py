"""An installed wheel carries the data the library reads (ontology, shapes, queries)."""

from __future__ import annotations

import tomllib
from pathlib import Path

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
