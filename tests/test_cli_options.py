"""The options shared by the commands read the same everywhere: `table` is the word for output
for people (`text`, the word used before, still works), `-o` is a file (extract's, for several
pages, a folder), and --base says what its default is."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from citykg.cli import cli
from citykg.rdf.terms import DEFAULT_BASE

Run = Callable[..., Result]


@pytest.mark.parametrize("word", ["table", "text"])
def test_validate_prints_a_table_for_people_under_either_word(
    run_cli: Run, helsinki_path: Path, word: str
) -> None:
    result = run_cli("validate", helsinki_path, "-f", word)
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(f"{helsinki_path}: conforms (0 errors, 2 warnings)\n")
    assert "warning: goals[2]:" in result.stdout
    assert result.stdout == run_cli("validate", helsinki_path).stdout


@pytest.mark.parametrize("word", ["table", "text"])
def test_submit_prints_a_table_for_people_under_either_word(
    run_cli: Run, helsinki_path: Path, tmp_path: Path, word: str
) -> None:
    store = tmp_path / "store"
    result = run_cli("submit", helsinki_path, "--dry-run", "-f", word, "--store", store)
    assert result.exit_code == 0, result.output
    assert "Helsinki (Finland), 2020 wave" in result.stdout
    assert "new submission for this city and wave" in result.stdout


@pytest.mark.parametrize("command", ["validate", "submit"])
def test_help_and_completion_offer_table_not_text(run_cli: Run, command: str) -> None:
    shown = run_cli(command, "--help").stdout
    assert "[table|json" in shown and "[default: table]" in shown
    assert "text" not in shown.split("-f, --format", 1)[1].split("]", 1)[0]
    completions = cli.commands[command].params
    choices = next(p for p in completions if p.name == "fmt").type
    assert "text" not in choices.choices  # type: ignore[attr-defined]


def test_output_is_a_file_and_only_extract_takes_it_as_a_folder_for_several_pages(
    run_cli: Run, tmp_path: Path
) -> None:
    for command in ("export", "history"):
        option = next(p for p in cli.commands[command].params if p.name == "output")
        assert "-o" in option.opts and option.type.dir_okay is False  # type: ignore[attr-defined]
    shown = " ".join(run_cli("extract", "--help").stdout.split())
    assert "--output-dir" in shown
    assert "a file for one page; a folder (one <page>.yaml|json per page) for a folder" in shown


def test_base_help_names_the_default_base(run_cli: Run) -> None:
    assert DEFAULT_BASE in " ".join(run_cli("export", "--help").stdout.split())


def test_a_base_that_is_no_base_iri_is_a_usage_error(run_cli: Run, helsinki_path: Path) -> None:
    result = run_cli("validate", helsinki_path, "--base", "ftp://example.org/")
    assert result.exit_code == 2
    assert "Invalid value for '--base'" in result.stderr and "ending in '/'" in result.stderr
