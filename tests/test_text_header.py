"""The header of a profile page: each line is taken for what it looks like, in the site's order,
and a line that looks like nothing still open is left out with a note, never guessed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from citykg.cli.app import cli
from citykg.sources.text.extract import TextExtraction, extract_text

STRATEGY = "Along with 50% of cities surveyed, Varde has an explicit innovation strategy."
SPOTLIGHT = "Spotlight on innovation in Varde"
GOALS = "Innovation is helping to:\n  • Improve service delivery\n"


def read(text: str) -> TextExtraction:
    return extract_text(text, source="page.txt")


def city(text: str) -> dict[str, Any]:
    data: dict[str, Any] = read(text).document.data["city"]
    return data


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        # the copy begins at the mayor's name: no city, country or labels
        (
            "Ingrid Solberg\n\n\n48,210 (2019)\n\nLead Innovation Officer\n\nPer Aune\n",
            {"name": "Varde", "mayor": "Ingrid Solberg", "population": {"value": 48210, "year": 2019}},
        ),
        # city, country and mayor without their labels
        (
            "Varde\nNorway\nIngrid Solberg\n48,210 (2019)\n"
            "Innovation Website\nLead Innovation Officer\nPer Aune\n",
            {
                "name": "Varde",
                "country": "Norway",
                "mayor": "Ingrid Solberg",
                "population": {"value": 48210, "year": 2019},
            },
        ),
        # the country, then the mayor: the copy lost the city line
        (
            "Norway\nIngrid Solberg\n48,210 (2019)\nLead Innovation Officer\nPer Aune\n",
            {
                "name": "Varde",
                "country": "Norway",
                "mayor": "Ingrid Solberg",
                "population": {"value": 48210, "year": 2019},
            },
        ),
        # labelled, with a misprinted population without a year
        (
            "Varde\nNorway\nMayor\nIngrid Solberg\nPopulation\n48,2100\nLead Innovation Officer\nPer Aune\n",
            {
                "name": "Varde",
                "country": "Norway",
                "mayor": "Ingrid Solberg",
                "population": {"value": 482100},
            },
        ),
    ],
)
def test_header_lines_are_taken_for_what_they_look_like(header: str, expected: dict[str, Any]) -> None:
    got = city(header + GOALS + SPOTLIGHT + "\n" + STRATEGY + "\n")
    got.pop("innovation_officers")
    assert got == expected


def test_a_population_line_is_never_a_name_or_a_country() -> None:
    for figure in ["48,210 (2019)", "48,210", "39,6990"]:
        got = city(f"{figure}\nLead Innovation Officer\nPer Aune\n" + GOALS + STRATEGY + "\n")
        assert got["name"] == "Varde"
        assert "country" not in got and "mayor" not in got
        assert got["population"]["value"] == int(figure.split(" ")[0].replace(",", ""))


def test_a_line_that_fits_no_open_slot_is_left_out_with_a_note() -> None:
    extraction = read(
        "Varde\nsee the city's own pages\nIngrid Solberg\n48,210 (2019)\n" + GOALS + STRATEGY + "\n"
    )
    got = extraction.document.data["city"]
    assert got["name"] == "Varde" and got["mayor"] == "Ingrid Solberg" and "country" not in got
    notes = [n for n in extraction.document.notes if "see the city's own pages" in n.message]
    assert len(notes) == 1 and notes[0].origin is not None and notes[0].origin.line == 2
    assert "left out" in notes[0].message
    assert extraction.unexplained == []


def test_a_person_is_never_the_city() -> None:
    got = city("Ingrid Solberg\n48,210 (2019)\n" + GOALS + STRATEGY + "\n")
    assert got["name"] == "Varde" and got["mayor"] == "Ingrid Solberg"


OFFICERS = "Ingrid Solberg\n48,210 (2019)\nLead Innovation Officers\n{line}\n" + GOALS + STRATEGY + "\n"


def test_officers_with_qualifiers_are_names_with_a_note_on_the_role() -> None:
    got = city(OFFICERS.format(line="Per Aune (current), Kari Holm (at time of 2018 survey)"))
    assert got["innovation_officers"] == ["Per Aune", "Kari Holm"]
    assert got["officer_notes"] == [
        {"name": "Per Aune", "note": "current"},
        {"name": "Kari Holm", "note": "at time of 2018 survey"},
    ]


def build_and_ask(tmp_path: Path, page: str, query: str) -> list[str]:
    """Build a store from one page with `citykg build`, and the CSV rows of a query on it."""
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "varde.txt").write_text(page, encoding="utf-8")
    store = tmp_path / "store"
    runner = CliRunner()
    built = runner.invoke(cli, ["build", str(pages), "--store", str(store)])
    assert built.exit_code == 0, built.output
    answer = runner.invoke(cli, ["query", "--store", str(store), "--sparql", CKG + query, "-f", "csv"])
    assert answer.exit_code == 0, answer.output
    return answer.output.replace("\r", "").splitlines()[1:]


CKG = "PREFIX ckg: <https://w3id.org/citykg/ontology#> PREFIX schema: <https://schema.org/> "


def test_an_and_inside_a_qualifier_does_not_split_the_name() -> None:
    got = city(OFFICERS.format(line="Per Aune (at time of 2018 and 2020 surveys) and Kari Holm"))
    assert got["innovation_officers"] == ["Per Aune", "Kari Holm"]
    assert got["officer_notes"] == [{"name": "Per Aune", "note": "at time of 2018 and 2020 surveys"}]


def test_a_qualifier_note_reaches_the_graph(tmp_path: Path) -> None:
    rows = build_and_ask(
        tmp_path,
        "Varde\nNorway\n" + OFFICERS.format(line="Per Aune (current) and Kari Holm"),
        "SELECT ?name ?note WHERE { ?p ckg:innovationOfficer ?o . ?o schema:name ?name "
        "OPTIONAL { ?o ckg:roleNote ?note } } ORDER BY ?name",
    )
    assert rows == ["Kari Holm,", "Per Aune,current"]


def test_a_page_without_its_city_keeps_its_lists_and_asks_for_the_name() -> None:
    fragment = (
        "Improve service delivery\nGenerate new sources of revenue\nDedicated funding\nFocus on measurement\n"
    )
    extraction = read(fragment)
    data = extraction.document.data
    assert data["goals"] == ["Improve service delivery", "Generate new sources of revenue"]
    assert data["success_factors"] == ["Dedicated funding", "Focus on measurement"]
    assert "city" not in data or "name" not in data["city"]
    assert any(n.field == "city.name" and "--city" in n.message for n in extraction.document.notes)
    named = extract_text(fragment, source="page.txt", city="Varde").document.data
    assert named["city"]["name"] == "Varde"


def test_a_flat_header_keeps_officers_qualifiers_and_the_mayors_name_without_one() -> None:
    flat = (
        "Improve service delivery\nDedicated funding\nNorway\nIngrid Solberg (acting)\n48,210 (2019)\n"
        "Per Aune (current), Kari Holm (at time of 2018 survey)\n"
        "Improve service delivery\nDedicated funding\n" + STRATEGY + "\n"
    )
    extraction = read(flat)
    got = extraction.document.data["city"]
    assert got["mayor"] == "Ingrid Solberg"
    assert got["innovation_officers"] == ["Per Aune", "Kari Holm"]
    assert [n["note"] for n in got["officer_notes"]] == ["current", "at time of 2018 survey"]
    assert any(n.field == "city.mayor" and "(acting)" in n.message for n in extraction.document.notes)


def test_the_line_before_the_country_is_the_city_as_its_header_names_it() -> None:
    got = city("Varde-Nord\nNorway\nIngrid Solberg\n48,210 (2019)\n" + GOALS + STRATEGY + "\n")
    assert got["name"] == "Varde-Nord" and got["country"] == "Norway"


def test_a_figure_without_its_year_reaches_the_graph_as_the_profiles_own(tmp_path: Path) -> None:
    rows = build_and_ask(
        tmp_path,
        "Varde\nNorway\nMayor\nIngrid Solberg\nPopulation\n48,2100\n" + GOALS + STRATEGY + "\n",
        "SELECT ?value (COUNT(?year) AS ?years) WHERE { ?p ckg:population ?o . ?o ckg:populationValue ?value "
        "OPTIONAL { ?o ckg:year ?year } } GROUP BY ?value",
    )
    assert rows == ["482100,0"]


def test_building_a_page_without_its_city_fails_clearly_and_changes_nothing(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "fragment.txt").write_text("Improve service delivery\nDedicated funding\n", encoding="utf-8")
    store = tmp_path / "store"
    built = CliRunner().invoke(cli, ["build", str(pages), "--store", str(store)])
    assert built.exit_code == 1, built.output
    assert "fragment.txt" in built.output and "--city" in built.output
    assert "required field missing: city" in built.output
    assert "Traceback" not in built.output
    assert not (store / "CURRENT").exists()


def test_a_line_of_ten_thousand_digits_is_no_population_and_reads_at_once() -> None:
    # a long run of digits once sent the figure pattern into exponential backtracking
    extraction = read(
        "9" * 10_000 + "Ingrid Solberg\n" + "9" * 10_000 + "\n48,210 (2019)\n" + GOALS + STRATEGY
    )
    got = extraction.document.data["city"]
    assert got["population"] == {"value": 48210, "year": 2019}
    assert "mayor" not in got
    assert extraction.unexplained == []
