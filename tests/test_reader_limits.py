"""Readers cost what the input costs, and refuse numbers and list indexes no field needs,
with exit 2 and the file, line or column named (issue 12, items 3 and 7)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from citykg.cli import cli
from citykg.sources.common import MAX_INPUT_BYTES
from citykg.sources.documents import read_json
from citykg.sources.tabular import read_csv

HEADER = "city.name,city.country,survey.wave"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code != 70, result.output
    return result.exit_code, result.stdout + result.stderr


def big_json(goals: int) -> str:
    """A submission with `goals` goals, one per line, the last one a number (an error)."""
    lines = ['{"city": {"name": "Tampere", "country": "Finland"},', '"survey": {"wave": 2020},', '"goals": [']
    lines += [f'"Improve service delivery {i}",' for i in range(goals)]
    lines += ["42", "]}"]
    return "\n".join(lines) + "\n"


@pytest.mark.slow  # a 5 MB file through the whole validate command
def test_a_5_mb_json_submission_is_validated_with_the_line_of_the_bad_value(tmp_path: Path) -> None:
    goals = 150_000
    text = big_json(goals)
    assert 4_500_000 < len(text) <= MAX_INPUT_BYTES
    path = tmp_path / "big.json"
    path.write_text(text, encoding="utf-8")
    code, output = run("validate", str(path))
    assert code == 1
    # the number sits on the line after the last of the goals (3 lines of header before them)
    assert f"big.json:{goals + 4}:1" in output and f"goals[{goals}]" in output and "must be text" in output


def test_line_and_column_of_every_value_in_a_json_array_of_submissions() -> None:
    text = big_json(3)
    array = "[\n" + text.strip() + ",\n" + text.strip() + "\n]\n"
    first, second = read_json(array, source="a.json")
    lines = array.splitlines()
    one, two = first.origins["goals[3]"].line or 0, second.origins["goals[3]"].line or 0
    assert lines[one - 1] == "42" == lines[two - 1] and two - one == 8
    assert second.origins["city.name"].line == 10 and second.origins["city.name"].column == 19
    assert set(first.origins) == set(second.origins)


def test_csv_list_index_over_the_cap_is_refused_with_the_column(tmp_path: Path) -> None:
    path = tmp_path / "teams.csv"
    path.write_text(f"{HEADER},teams[100000].staff\nTampere,Finland,2020,3\n", encoding="utf-8")
    code, output = run("validate", str(path))
    assert code == 2
    assert "teams.csv, header, column 4" in output and "teams[100000].staff" in output
    assert "over the limit of 999" in output


def test_csv_list_index_at_the_cap_is_read() -> None:
    [document] = read_csv(f"{HEADER},teams[999].staff\nTampere,Finland,2020,3\n", source="teams.csv")
    assert len(document.data["teams"]) == 1000 and document.data["teams"][999] == {"staff": 3}


def test_csv_column_inside_another_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "both.csv"
    path.write_text(f"city,{HEADER}\nX,Tampere,Finland,2020\n", encoding="utf-8")
    code, output = run("validate", str(path))
    assert code == 2
    assert "both.csv, header, column 2" in output and "'city.name'" in output and "'city'" in output


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        (
            "n.yaml",
            "city: {name: Tampere, country: Finland}\nsurvey: {wave: 2020}\nroles_count: {n}\n",
            "n.yaml:3",
        ),
        (
            "n.json",
            '{"city": {"name": "Tampere", "country": "Finland"},\n "roles_count": {n}}\n',
            "n.json:2:17",
        ),
        ("n.csv", f"{HEADER},roles_count\nTampere,Finland,2020,{{n}}\n", "n.csv, row 2, column 4"),
    ],
)
def test_a_number_of_5000_digits_is_refused_with_its_place(
    tmp_path: Path, name: str, text: str, where: str
) -> None:
    path = tmp_path / name
    path.write_text(text.replace("{n}", "9" * 5000), encoding="utf-8")
    code, output = run("validate", str(path))
    assert code == 2
    assert where in output and "5,000 digits" in output


def test_json_line_numbers_match_a_count_of_newlines() -> None:
    text = '{\n"city":\n\n  {"name": "T",\r\n "country": "F"}, "survey": {"wave":\n2020}}'
    [document] = read_json(text, source="x.json")
    for path, origin in document.origins.items():
        assert origin.line is not None and origin.column is not None
        offset = sum(len(line) for line in text.splitlines(keepends=True)[: origin.line - 1])
        assert text[offset + origin.column - 1] in '{"2', (path, origin)
    assert json.loads(text) == document.data
