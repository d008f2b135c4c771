"""The build benchmark times submission files a user could build: valid, one per city and wave."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from bench.build import change_one_file, submission_files
from click.testing import Result

Run = Callable[..., Result]


def _validated(run_cli: Run, files: list[Path]) -> list[tuple[str, bool]]:
    result = run_cli("validate", "--format", "json", *files)
    assert result.exit_code == 0, result.stdout
    return [(r["source"], r["conforms"]) for r in json.loads(result.stdout)]


def test_n_cities_give_n_plus_a_fifth_files_that_validate(run_cli: Run, tmp_path: Path) -> None:
    folder = submission_files(10, tmp_path / "cities")
    files = sorted(folder.glob("*.yaml"))
    assert len(files) == 10 + 10 // 5  # every fifth city answered both waves, a file per wave
    assert [f.name for f in files[:4]] == [
        "city-00000-2018.yaml",
        "city-00000-2020.yaml",
        "city-00001-2020.yaml",
        "city-00002-2020.yaml",
    ]
    some = [*files[:3], files[-1]]
    assert _validated(run_cli, some) == [(str(f), True) for f in some]


def test_the_file_changed_between_rebuilds_stays_valid_and_is_restored(run_cli: Run, tmp_path: Path) -> None:
    folder = submission_files(10, tmp_path / "cities")
    written = {f.name: f.read_bytes() for f in folder.glob("*.yaml")}
    changed = change_one_file(folder, 0)
    first = changed.read_bytes()
    assert first != written[changed.name]
    assert b"Changed Mayor 0" in first
    assert change_one_file(folder, 1).read_bytes() not in (first, written[changed.name])  # each run its own
    assert _validated(run_cli, [changed]) == [(str(changed), True)]
    assert {f.name for f in folder.glob("*.yaml")} == set(written)

    submission_files(10, folder)  # as the benchmark finds it next time: as written
    assert {f.name: f.read_bytes() for f in folder.glob("*.yaml")} == written
