"""`citykg extract`, invoked through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from citykg.cli.extract import extract
from citykg.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
HELSINKI = ROOT / "data" / "profiles" / "helsinki.txt"
PAGES = ROOT / "tests" / "fixtures" / "pages"


def test_extract_prints_readable_yaml_that_round_trips() -> None:
    result = CliRunner().invoke(extract, [str(HELSINKI)])
    assert result.exit_code == 0, result.output
    expected = yaml.safe_load((ROOT / "data" / "submissions" / "helsinki-2020.yaml").read_text())
    assert yaml.safe_load(result.stdout) == expected
    assert result.stdout.startswith("city:\n  name: Helsinki\n")
    assert "{" not in result.stdout  # block style
    summary = "helsinki.txt: 16 of 19 fields found; 16 lines produced no fact (0 not understood)"
    assert summary in result.stderr


def test_extract_json_to_an_output_directory(tmp_path: Path) -> None:
    pages = [str(HELSINKI), str(PAGES / "marrow-headed-2020.txt")]
    result = CliRunner().invoke(extract, [*pages, "-f", "json", "--output-dir", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == ["helsinki.json", "marrow-headed-2020.json"]
    marrow = json.loads((tmp_path / "out" / "marrow-headed-2020.json").read_text())
    assert marrow["teams"][0]["name"] == "Marrow Lab"
    assert result.stderr.count("produced no fact") == 2


def test_explain_lists_facts_and_lines_without_facts_per_line() -> None:
    result = CliRunner().invoke(extract, [str(HELSINKI), "--explain"])
    assert result.exit_code == 0
    assert "  11 | 653,867 (2019)\n     -> city.population.value = 653867\n" in result.stdout
    assert "  26 | Taking risks or testing new ideas\n     .. no fact: legend\n" in result.stdout


def test_explain_flags_lines_it_did_not_understand(tmp_path: Path) -> None:
    page = tmp_path / "odd.txt"
    page.write_text(
        "Oslo also invests in digital systems.\nThe weather was fine all week.\n", encoding="utf-8"
    )
    result = CliRunner().invoke(extract, [str(page), "--explain"])
    assert "   2 | The weather was fine all week.\n     ?? not understood\n" in result.stdout
    assert "2 lines produced no fact" not in result.stderr
    assert "1 line produced no fact (1 not understood)" in result.stderr


def test_wave_option_overrides_the_page() -> None:
    result = CliRunner().invoke(extract, [str(PAGES / "quillon-flat-cut.txt"), "--wave", "2020"])
    assert yaml.safe_load(result.stdout)["survey"] == {"wave": 2020}


def test_not_a_profile_page_is_an_input_error() -> None:
    result = CliRunner().invoke(extract, [str(PAGES / "not-a-page.txt")])
    assert isinstance(result.exception, InputError)
    assert result.exception.exit_code == 2
    assert "does not look like a city profile page" in str(result.exception)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(extract, [str(tmp_path / "nope.txt")])
    assert isinstance(result.exception, InputError)
    assert "nope.txt" in str(result.exception)
