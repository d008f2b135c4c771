"""`citykg extract --report`, folders of pages, -o as a file or a folder, --city (issue 11, item 6)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import Result

import citykg
from citykg.cli.extract import render_data

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "tests" / "fixtures" / "pages"
QUILLON = PAGES / "quillon-flat-cut.txt"  # flat, cut off inside its last line
ORVANE = PAGES / "orvane-headed-ends-early.txt"  # headed, an ambiguous header line, ends at the team
VELMORA = PAGES / "velmora-fragment.txt"  # only the goal and factor lists, no city
GOOD = ["lindqvist-flat-2018.txt", "marrow-headed-2020.txt", "quillon-flat-cut.txt"]

Run = Callable[..., Result]

# The fields a page can state, in the page's order: the header, the two lists, the sections.
REPORTED = [
    "city.name",
    "city.country",
    "city.mayor",
    "city.population",
    "city.innovation_officers",
    "goals",
    "success_factors",
    "strategy.explicit",
    "strategy.approach",
    "policy_areas",
    "roles",
    "teams",
    "terms",
    "activities",
    "funding.dedicated",
    "funding.uses",
    "partnerships.innovation",
    "partnerships.data",
    "survey.wave",
]


def field_lines(stdout: str) -> dict[str, str]:
    """The report's field lines by field: `found     goals: 2 (lines 3-4)` under `goals`."""
    lines = {}
    for line in stdout.splitlines():
        if line.startswith(("  found ", "  left out ")):
            field = line[12:].split(":", 1)[0]
            assert field not in lines, f"{field} reported twice"
            lines[field] = line.strip()
    return lines


def copy_pages(folder: Path, names: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(PAGES / name, folder / name)
    return folder


def found_in(page: Path) -> int:
    return sum(r.found for r in citykg.field_reports(citykg.extract(page)))


# ---------------------------------------------------------------- --report


def test_report_gives_one_line_per_field_with_the_value_found_and_its_line(run_cli: Run) -> None:
    result = run_cli("extract", QUILLON, "--report")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{QUILLON}: 14 of 19 fields found\n")
    lines = field_lines(result.stdout)
    assert list(lines) == REPORTED
    assert lines["city.name"] == "found     city.name: Quillon (line 1)"
    assert lines["city.population"] == "found     city.population: 98,450 (2016) (line 9)"
    assert lines["goals"] == "found     goals: 2 (lines 3-4)"
    assert lines["teams"] == "found     teams: 1, staff 3 (line 16)"
    assert lines["strategy.explicit"] == "found     strategy.explicit: yes (line 15)"
    assert "city:" not in result.stdout  # the report, not the document


def test_report_says_why_each_field_was_left_out(run_cli: Run) -> None:
    quillon = field_lines(run_cli("extract", QUILLON, "--report").stdout)
    # before the cut: the page simply does not state it; after it: the page is cut off
    assert quillon["funding.dedicated"] == "left out  funding.dedicated: the page does not state it"
    assert quillon["partnerships.data"] == (
        "left out  partnerships.data: the page is cut off at line 19, before it states this"
    )
    orvane = field_lines(run_cli("extract", ORVANE, "--report").stdout)
    # the extractor's own note on the field, with the line it points at, comes first
    assert orvane["city.country"].startswith(
        "left out  city.country: line 3: header line 'Sunward Isles' does not look like a country"
    )
    assert orvane["roles"] == "left out  roles: the page does not state it"
    # a page that ends early, on a complete sentence: the later sections are not on it
    assert orvane["terms"] == "left out  terms: the page ends at line 39, before it states this"
    assert orvane["partnerships.data"] == (
        "left out  partnerships.data: the page ends at line 39, before it states this"
    )
    assert orvane["teams"] == "found     teams: 1, staff 7 (line 39)"
    assert orvane["survey.wave"].startswith(
        "found     survey.wave: 2018 (not from the page); nothing on the page tells the survey wave"
    )


def test_a_long_line_quoted_in_a_reason_is_shortened(run_cli: Run, tmp_path: Path) -> None:
    page = tmp_path / "orvane.txt"
    long_line = "Sunward Isles and the Seven Windward Reaches of the Outer Sea"
    page.write_text(ORVANE.read_text(encoding="utf-8").replace("Sunward Isles", long_line), encoding="utf-8")
    country = field_lines(run_cli("extract", page, "--report").stdout)["city.country"]
    assert country.startswith(
        "left out  city.country: line 3: header line 'Sunward Isles and the Seven Windward...' "
        "does not look like a country"
    )
    assert long_line not in country


def test_report_and_documents_together_when_written_to_a_folder(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli("extract", QUILLON, ORVANE, "--report", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert result.stdout.count(" fields found\n") == 2
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "orvane-headed-ends-early.yaml",
        "quillon-flat-cut.yaml",
    ]


def test_the_summary_line_counts_the_fields_found(run_cli: Run) -> None:
    result = run_cli("extract", ORVANE)
    assert f"{ORVANE}: 10 of 19 fields found; 10 lines produced no fact (0 not understood)" in result.stderr


def test_field_reports_are_public_api() -> None:
    reports = citykg.field_reports(citykg.extract(QUILLON))
    assert isinstance(reports[0], citykg.FieldReport)
    assert [r.path for r in reports] == REPORTED
    population = reports[REPORTED.index("city.population")]
    assert (population.found, population.text, population.lines) == (True, "98,450 (2016)", (9,))


# ---------------------------------------------------------------- --city


def test_city_names_a_fragment_that_gives_no_city(run_cli: Run) -> None:
    without = field_lines(run_cli("extract", VELMORA, "--report").stdout)
    assert without["city.name"].startswith("left out  city.name: the page does not name its city")
    assert "--city NAME" in without["city.name"]
    assert without["goals"] == "found     goals: 3 (lines 1-3)"
    assert without["strategy.explicit"] == (
        "left out  strategy.explicit: the page ends at line 6, before it states this"
    )
    result = run_cli("extract", VELMORA, "--city", "Velmora")
    assert result.exit_code == 0, result.output
    document = yaml.safe_load(result.stdout)
    assert document["city"] == {"name": "Velmora"}
    assert document["success_factors"] == [
        "Dedicated funding",
        "Culture of innovation in city",
        "Engagement with partners",
    ]
    reported = field_lines(run_cli("extract", VELMORA, "--city", "Velmora", "--report").stdout)
    assert reported["city.name"] == "found     city.name: Velmora (not from the page)"


def test_city_is_refused_for_several_pages(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli("extract", VELMORA, QUILLON, "--city", "Velmora", "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert "--city names the city of one page; 2 pages were given" in result.stderr
    folder = copy_pages(tmp_path / "pages", GOOD)
    result = run_cli("extract", folder, "--city", "Velmora")
    assert result.exit_code == 2
    assert "3 pages were given" in result.stderr
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------- folders and -o


def test_a_folder_of_pages_into_a_folder_one_document_each(run_cli: Run, tmp_path: Path) -> None:
    folder = copy_pages(tmp_path / "pages", GOOD)
    (folder / "notes.md").write_text("not a page\n", encoding="utf-8")
    copy_pages(folder / "older", ["velmora-fragment.txt"])  # subfolders are not read
    result = run_cli("extract", folder, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == [name.replace(".txt", ".yaml") for name in GOOD]
    for name in GOOD:
        expected = render_data(citykg.extract(folder / name).document.data, "yaml")
        assert (tmp_path / "out" / name.replace(".txt", ".yaml")).read_text(encoding="utf-8") == expected
    summaries = [line for line in result.stderr.splitlines() if "fields found;" in line]
    assert [line.split(":")[0] for line in summaries] == [str(folder / name) for name in GOOD]
    total = sum(found_in(folder / name) for name in GOOD)
    assert result.stderr.splitlines()[-1] == f"3 pages: 3 read, 0 failed; {total} fields found"


def test_a_folder_without_pages_is_refused(run_cli: Run, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "readme.md").write_text("x\n", encoding="utf-8")
    result = run_cli("extract", tmp_path / "empty", "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert f"{tmp_path / 'empty'}: the folder holds no page (*.txt)" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("pages", "output", "expected"),
    [
        (["quillon-flat-cut.txt"], "q.json", ["q.json"]),  # one page: -o is the file
        (["quillon-flat-cut.txt"], "new/", ["new/quillon-flat-cut.json"]),  # ends with '/'
        (["quillon-flat-cut.txt"], "made", ["made/quillon-flat-cut.json"]),  # an existing folder
        (GOOD[:2], "several", [f"several/{n.replace('.txt', '.json')}" for n in GOOD[:2]]),
    ],
)
def test_output_is_a_file_for_one_page_otherwise_a_folder(
    run_cli: Run, tmp_path: Path, pages: list[str], output: str, expected: list[str]
) -> None:
    copy_pages(tmp_path / "pages", pages)
    (tmp_path / "made").mkdir()
    out = str(tmp_path / output) + ("/" if output.endswith("/") else "")
    result = run_cli("extract", *[tmp_path / "pages" / p for p in pages], "-f", "json", "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.json"))
    assert written == expected


def test_output_dir_still_writes_into_a_folder(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli("extract", QUILLON, "--output-dir", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["quillon-flat-cut.yaml"]
    both = run_cli("extract", QUILLON, "--output-dir", tmp_path / "a", "-o", tmp_path / "b")
    assert both.exit_code == 2
    assert "give -o/--output or --output-dir, not both" in both.stderr


def test_two_pages_of_the_same_name_are_refused_before_anything_is_written(
    run_cli: Run, tmp_path: Path
) -> None:
    first = copy_pages(tmp_path / "a", ["quillon-flat-cut.txt"]) / "quillon-flat-cut.txt"
    second = copy_pages(tmp_path / "b", ["quillon-flat-cut.txt"]) / "quillon-flat-cut.txt"
    shutil.copy(ORVANE, tmp_path / "a" / "orvane.txt")
    result = run_cli("extract", tmp_path / "a" / "orvane.txt", first, second, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert (
        f"{first} and {second} would both be written as {tmp_path / 'out' / 'quillon-flat-cut'}.yaml; "
        "nothing was written"
    ) in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_page_that_fails_is_reported_and_the_others_are_written(run_cli: Run, tmp_path: Path) -> None:
    folder = copy_pages(tmp_path / "pages", ["marrow-headed-2020.txt", "not-a-page.txt"])
    (folder / "latin1.txt").write_bytes("Caf\xe9 Lindqvist\n".encode("latin-1"))
    out = tmp_path / "out"
    out.mkdir()
    (out / "not-a-page.yaml").write_text("from an earlier run\n", encoding="utf-8")
    result = run_cli("extract", folder, "-o", out)
    assert result.exit_code == 2
    assert f"citykg: {folder / 'latin1.txt'}: is not valid UTF-8 at byte offset 3 (line 1)" in result.stderr
    assert f"citykg: {folder / 'not-a-page.txt'}: does not look like a city profile page" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["marrow-headed-2020.yaml", "not-a-page.yaml"]
    assert (out / "not-a-page.yaml").read_text(encoding="utf-8") == "from an earlier run\n"
    marrow = found_in(folder / "marrow-headed-2020.txt")
    assert result.stderr.splitlines()[-1] == f"3 pages: 1 read, 2 failed; {marrow} fields found"


def test_failed_pages_to_stdout_print_the_others(run_cli: Run) -> None:
    result = run_cli("extract", PAGES / "not-a-page.txt", QUILLON)
    assert result.exit_code == 2
    assert yaml.safe_load(result.stdout)["city"]["name"] == "Quillon"
    assert "2 pages: 1 read, 1 failed;" in result.stderr


def test_help_says_folders_are_read_for_their_txt_files_only(run_cli: Run) -> None:
    result = run_cli("extract", "--help")
    text = " ".join(result.stdout.split())
    assert "a folder stands for every *.txt directly in it, in sorted order (subfolders are not read)" in text
    assert "--report" in text and "--city NAME" in text


def test_a_file_where_a_folder_is_needed_and_an_empty_output_are_refused(
    run_cli: Run, tmp_path: Path
) -> None:
    existing = tmp_path / "notes.yaml"
    existing.write_text("kept\n", encoding="utf-8")
    result = run_cli("extract", QUILLON, ORVANE, "-o", existing)
    assert result.exit_code == 2
    assert f"{existing}: is a file, but several pages go into a folder" in result.stderr
    assert existing.read_text(encoding="utf-8") == "kept\n"
    empty = run_cli("extract", QUILLON, "-o", "")
    assert empty.exit_code == 2
    assert "-o/--output is empty" in empty.stderr


def test_a_link_among_the_outputs_refuses_the_batch_before_anything_is_written(
    run_cli: Run, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "quillon-flat-cut.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    result = run_cli("extract", ORVANE, QUILLON, "-o", out)
    assert result.exit_code == 2
    assert f"{out / 'quillon-flat-cut.yaml'}: is a symbolic link" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["quillon-flat-cut.yaml"]  # orvane not written
    assert not (tmp_path / "elsewhere.yaml").exists()
