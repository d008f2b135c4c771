"""CSV submissions: header field paths, multi-valued cells, row/column origins, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from citykg.errors import InputError
from citykg.rdf.formats import InputFormat
from citykg.sources import read_documents, read_file
from citykg.sources.tabular import MULTI_SEPARATOR, read_csv
from citykg.validation.shacl import validate_document

HEADER = (
    "city.name,city.country,city.mayor,city.population.value,city.population.year,survey.wave,"
    "goals,strategy.explicit,partnerships.data,partnerships.data_purposes"
)


def test_header_names_field_paths_and_cells_are_typed() -> None:
    text = (
        HEADER + "\n"
        'Helsinki,Finland,Jan Vapaavuori,"653,867",2019,2020,'
        "Improve service delivery; Anticipate and manage future challenges,true,"
        "academia; think tanks,collect data\n"
    )
    (document,) = read_csv(text, source="c.csv")
    assert document.data == {
        "city": {
            "name": "Helsinki",
            "country": "Finland",
            "mayor": "Jan Vapaavuori",
            "population": {"value": 653867, "year": 2019},
        },
        "survey": {"wave": 2020},
        "goals": ["Improve service delivery", "Anticipate and manage future challenges"],
        "strategy": {"explicit": True},
        "partnerships": {
            "data": [{"partner": "academia"}, {"partner": "think tanks"}],
            "data_purposes": ["collect data"],
        },
    }


def test_multi_value_separator_is_semicolon() -> None:
    assert MULTI_SEPARATOR == ";"
    (document,) = read_csv("goals\n a ;; b ; \n", source="c.csv")
    assert document.data == {"goals": ["a", "b"]}


def test_indexed_columns_build_lists_of_objects() -> None:
    text = (
        "city.name,teams[0].name,teams[0].staff,teams[1].name,teams[1].staff_min,teams[1].staff_max,"
        "partnerships.data[0].partner,partnerships.data[0].includes,policy_areas[0].targets[0].year\n"
        "Helsinki,Economic Development,25,Digital Innovation,4,6,regional institutions,"
        "hospitals; public transport agency,2035\n"
    )
    (document,) = read_csv(text, source="c.csv")
    assert document.data["teams"] == [
        {"name": "Economic Development", "staff": 25},
        {"name": "Digital Innovation", "staff_min": 4, "staff_max": 6},
    ]
    assert document.data["partnerships"]["data"] == [
        {"partner": "regional institutions", "includes": ["hospitals", "public transport agency"]}
    ]
    assert document.data["policy_areas"] == [{"targets": [{"year": 2035}]}]


def test_origins_carry_row_and_column() -> None:
    text = "city.name,city.country,teams[0].staff,goals\nHelsinki,Finland,25,a;b\nEspoo,Finland,7,c\n"
    first, second = read_csv(text, source="c.csv")
    assert second.describe("teams[0].staff") == "c.csv, row 3, column 3"  # the header is row 1
    origin = second.origins["teams[0].staff"]
    assert (origin.row, origin.column, origin.text) == (3, 3, "7")
    assert first.origins["goals[1]"].column == 4
    # a list item of a plain list is not a partnership
    assert "goals[1].partner" not in first.origins


def test_partnerships_shortcut_points_each_partner_at_its_cell() -> None:
    (document,) = read_csv("city.name,partnerships.innovation\nA,other cities; academia\n", source="c.csv")
    assert document.data["partnerships"]["innovation"][1] == {"partner": "academia"}
    assert document.describe("partnerships.innovation[1].partner") == "c.csv, row 2, column 2"


def test_utf8_bom_before_the_header_is_ignored() -> None:
    data = "\ufeffcity.name,city.country\nZürich,Switzerland\n".encode()
    (document,) = read_documents(data, source="bom.csv", fmt=InputFormat.CSV)
    assert document.data == {"city": {"name": "Zürich", "country": "Switzerland"}}


def test_tab_separated_header_is_detected() -> None:
    (document,) = read_csv("city.name\tcity.country\nCape Town\tSouth Africa\n", source="t.csv")
    assert document.data == {"city": {"name": "Cape Town", "country": "South Africa"}}


def test_unknown_column_is_named() -> None:
    with pytest.raises(InputError) as caught:
        read_csv("city.name,city.colour\nA,blue\n", source="c.csv")
    assert "column 2 ('city.colour') is not a field" in caught.value.message
    assert caught.value.where == "c.csv, header, column 2"


@pytest.mark.parametrize("name", [".city", "city..name", "city.name.", "teams[0]staff", "[0]city"])
def test_malformed_field_path_is_not_a_field(name: str) -> None:
    # '.city' once read as 'city' and crashed beside 'city.country' (found by the CSV fuzz)
    with pytest.raises(InputError) as caught:
        read_csv(f"{name},city.country\nF,T\n", source="c.csv")
    assert f"column 1 ('{name}') is not a field" in caught.value.message
    assert caught.value.where == "c.csv, header, column 1"


def test_semicolon_separated_file_gets_advice() -> None:
    with pytest.raises(InputError) as caught:
        read_csv("city.name;city.country\nA;B\n", source="c.csv")
    assert caught.value.hint is not None and "commas" in caught.value.hint


def test_duplicate_header_is_refused() -> None:
    with pytest.raises(InputError, match="names a field twice"):
        read_csv("city.name,city.name\nA,B\n", source="c.csv")


def test_row_with_too_many_cells_names_the_row() -> None:
    with pytest.raises(InputError, match="row has 3 cells but the header names 2") as caught:
        read_csv("city.name,city.country\nA,B\nC,D,E\n", source="c.csv")
    assert caught.value.where == "c.csv, row 3"


def test_short_row_leaves_missing_cells_absent_and_validation_says_so() -> None:
    (document,) = read_csv("city.name,city.country,survey.wave\nHelsinki\n", source="c.csv")
    assert document.data == {"city": {"name": "Helsinki"}}
    report, _ = validate_document(document)
    messages = [(p.field, p.message) for p in report.errors]
    assert ("city", "required field missing: country") in messages
    assert ("", "required field missing: survey") in [(p.field or "", p.message) for p in report.errors]


def test_value_under_an_unnamed_column_is_not_dropped_silently() -> None:
    # a trailing comma in the header is common in spreadsheet exports: fine while it stays empty
    (document,) = read_csv("city.name,city.country,\nA,B,\n", source="c.csv")
    assert document.data == {"city": {"name": "A", "country": "B"}}
    with pytest.raises(InputError, match="no field name") as caught:
        read_csv("city.name,\nA,lost\n", source="c.csv")
    assert caught.value.where == "c.csv, row 2, column 2"


def test_unterminated_quote_names_the_line() -> None:
    with pytest.raises(InputError, match="CSV syntax error") as caught:
        read_csv('city.name,city.country\n"Helsinki,Finland\n', source="c.csv")
    assert caught.value.where is not None and caught.value.where.startswith("c.csv:")


def test_blank_rows_are_skipped_and_header_only_is_refused() -> None:
    documents = read_csv("city.name\n\nA\n,\nB\n", source="c.csv")
    assert [d.data["city"]["name"] for d in documents] == ["A", "B"]
    with pytest.raises(InputError, match="header but no rows"):
        read_csv("city.name,city.country\n", source="c.csv")
    with pytest.raises(InputError, match="empty"):
        read_csv("", source="c.csv")


def test_number_that_is_not_a_number_is_reported_with_row_and_column() -> None:
    (document,) = read_csv(
        "city.name,city.country,survey.wave,teams[0].staff\nHelsinki,Finland,2020,many\n", source="c.csv"
    )
    report, _ = validate_document(document)
    (problem,) = report.errors
    assert problem.field == "teams[0].staff"
    assert problem.where == "c.csv, row 2, column 4"
    assert "whole number" in problem.message


def test_csv_file_is_read_from_disk(tmp_path: Path) -> None:
    path = tmp_path / "cities.csv"
    path.write_text("city.name,city.country,survey.wave\nHelsinki,Finland,2020\n", encoding="utf-8")
    (submission,) = read_file(path)
    assert submission.document.data["survey"] == {"wave": 2020}
    assert submission.source.location == str(path)
