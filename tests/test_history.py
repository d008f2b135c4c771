"""`citykg history` lists the versions of a submission in the order they landed, whatever the
clock says, and `--show N` prints the N-th of that list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from _submit_support import HELSINKI, variant
from citykg.cli import cli

MAYORS = ("Jan Vapaavuori", "Anna Aalto", "Bertta Berg", "Cecilia Cedergren")


def citykg(*args: str) -> str:
    """Run the CLI; its stdout (it must succeed)."""
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def submit_mayor(store: Path, folder: Path, number: int) -> Path:
    """Submit Helsinki with the `number`-th mayor, from a file of its own."""
    path = variant(HELSINKI, folder / f"helsinki-v{number}.yaml", ("Jan Vapaavuori", MAYORS[number]))
    citykg("submit", str(path), "--store", str(store))
    return path


def mayor_shown(store: Path, number: int) -> list[str]:
    """The mayors in version `number` as `citykg history Helsinki --show N` prints it."""
    shown = citykg("history", "Helsinki", "--show", str(number), "--store", str(store))
    return [mayor for mayor in MAYORS if f'"{mayor}"' in shown]


@pytest.mark.slow
def test_versions_built_in_the_same_second_are_listed_in_the_order_they_landed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764316800")  # every version built at the same time
    store = tmp_path / "store"
    files = [submit_mayor(store, tmp_path, number) for number in range(len(MAYORS))]

    rows = citykg("history", "Helsinki", "--store", str(store)).splitlines()[1:]
    assert [row.split()[0] for row in rows] == ["1", "2", "3", "4"]
    assert len({row.split()[2] for row in rows}) == 1  # one build time for all four
    assert [row.split()[-1] for row in rows] == [str(path) for path in files]
    assert ["current" in row for row in rows] == [False, False, False, True]
    listed = json.loads(citykg("history", "Helsinki", "-f", "json", "--store", str(store)))
    assert [v["sources"] for v in listed] == [[str(path)] for path in files]
    for number, mayor in enumerate(MAYORS, start=1):
        assert mayor_shown(store, number) == [mayor]


@pytest.mark.slow  # three submits
def test_versions_kept_by_citykg_0_1_come_before_those_kept_since(tmp_path: Path) -> None:
    """citykg 0.1 named a kept version by its build time; a store it wrote keeps its history."""
    store = tmp_path / "store"
    submit_mayor(store, tmp_path, 0)
    submit_mayor(store, tmp_path, 1)
    folder = store / "history" / "finland" / "helsinki" / "2020"
    [kept] = folder.glob("*.nt")
    kept.rename(folder / f"20991231T235959-{kept.name.split('-', 1)[1]}")  # a time later than now
    submit_mayor(store, tmp_path, 2)

    assert len(list(folder.glob("*.nt"))) == 2
    for number, mayor in enumerate(MAYORS[:3], start=1):
        assert mayor_shown(store, number) == [mayor]
