"""docs/queries.md is generated from the query headers, the JSON Schema and the field table of
docs/submission-format.md from shapes/submission-format.yaml; a stale file or an undocumented
query fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from citykg.errors import CityKGError, QueryError
from citykg.model.fields import submission_format
from citykg.model.format_docs import BEGIN, END, with_table
from citykg.queries.reference import queries_markdown, stale

ROOT = Path(__file__).resolve().parents[1]


def test_docs_queries_md_is_up_to_date() -> None:
    assert stale(["queries"]) == [], "run: make docs"
    text = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    assert "## cities-with-data-partner" in text
    assert "citykg query cities-with-data-partner -p partner=hospitals" in text
    assert "`hospitals`" in text  # the values a vocabulary parameter takes


GOOD = """# title: Cities
# description: Every city.
# param: city (string) = Helsinki -- the city's name
# example: citykg query {name} -p city=Helsinki
SELECT ?city WHERE {{ ?c <https://schema.org/name> ?city }}
"""


@pytest.mark.parametrize(
    ("header", "complaint"),
    [
        (GOOD.replace("# description: Every city.\n", ""), "no '# description:' line"),
        (GOOD.replace("# title: Cities\n", ""), "no '# title:' line"),
        (GOOD.replace("# example: citykg query {name} -p city=Helsinki\n", ""), "no '# example:' line"),
        (GOOD.replace(" -- the city's name", ""), "parameter city has no description"),
        (GOOD.replace(" = Helsinki", ""), "parameter city has no default"),
        (GOOD.replace("-p city=", "-p town="), "unknown parameter town"),
    ],
)
def test_an_undocumented_query_is_refused(tmp_path: Path, header: str, complaint: str) -> None:
    (tmp_path / "cities.rq").write_text(header.format(name="cities"), encoding="utf-8")
    with pytest.raises(QueryError, match=complaint) as caught:
        queries_markdown(tmp_path)
    assert caught.value.where == str(tmp_path / "cities.rq")


def test_a_documented_query_is_listed(tmp_path: Path) -> None:
    (tmp_path / "cities.rq").write_text(GOOD.format(name="cities"), encoding="utf-8")
    text = queries_markdown(tmp_path)
    assert "| `city` | `Helsinki` | the city's name | text |" in text


def test_the_submission_schema_and_the_field_table_are_up_to_date() -> None:
    assert stale(["schema", "format"]) == [], "run: make docs"
    text = (ROOT / "docs" / "submission-format.md").read_text(encoding="utf-8")
    table = text[text.index(BEGIN) : text.index(END)]
    for field in submission_format().fields:
        assert f"| `{field.path}` |" in table, field.path
    mayor = "| `city.mayor` | text | The mayor at the time of this wave. | `Jan Vapaavuori` | `ckg:mayor` |"
    assert mayor in table
    assert "list of labels (Innovation goals)" in table  # the scheme's name, from the vocabulary


def test_the_field_table_replaces_only_what_lies_between_the_markers() -> None:
    page = f"# Format\n\nBefore.\n\n{BEGIN}\n| old | table |\n{END}\n\nAfter.\n"
    new = with_table(page, where="page.md")
    assert new.startswith("# Format\n\nBefore.\n\n" + BEGIN) and new.endswith(END + "\n\nAfter.\n")
    assert "| old | table |" not in new and "| `survey.wave` |" in new
    assert with_table(new, where="page.md") == new


def test_a_page_without_the_markers_is_refused() -> None:
    with pytest.raises(CityKGError, match="no place for the field table") as caught:
        with_table("# Format\n", where="page.md")
    assert caught.value.where == "page.md"
