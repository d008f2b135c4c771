"""Validation: each rule fires with the field, the right line and a plain message."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from citykg.rdf.terms import CKG, RDF, SCHEMA, SKOS
from citykg.sources import read_file
from citykg.sources.documents import read_json, read_yaml
from citykg.validation.report import Problem, Report, Severity
from citykg.validation.shacl import check_graph, validate_document

BASE = """\
city:
  name: Helsinki
  country: Finland
  population: {value: 653867, year: 2019}
survey: {wave: 2020}
goals: [Improve service delivery]
teams:
  - {name: Economic Development, location: Mayor's Office, staff: 25}
policy_areas:
  - name: Environment and climate change
    targets:
      - {description: carbon neutral, year: 2035}
"""


def validate(text: str) -> Report:
    (document,) = read_yaml(text, source="t.yaml")
    report, _ = validate_document(document)
    return report


def only_error(report: Report) -> Problem:
    assert not report.conforms
    assert len(report.errors) == 1, [p.render() for p in report.problems]
    return report.errors[0]


def test_base_document_conforms_without_problems() -> None:
    report = validate(BASE)
    assert report.conforms and report.problems == []


def test_helsinki_conforms_with_exactly_the_two_free_text_warnings(helsinki_path: Path) -> None:
    (submission,) = read_file(helsinki_path)
    report, mapped = validate_document(submission.document)
    assert report.conforms and mapped is not None
    assert report.errors == []
    assert [(p.field, p.value, p.where) for p in report.warnings] == [
        ("goals[2]", "Help develop a vibrant economy", f"{helsinki_path}:13:5"),
        ("policy_areas[1].name", "Digital services", f"{helsinki_path}:32:11"),
    ]
    assert all("kept as a new free-text answer" in p.message for p in report.warnings)


@pytest.mark.parametrize(
    ("old", "new", "field", "where", "words"),
    [
        ("  name: Helsinki\n", "", "city", "t.yaml:2:3", "required field missing: name"),
        ("name: Helsinki", "name: ''", "city.name", "t.yaml:2:9", "non-empty"),
        ("name: Helsinki", "name: ' '", "city.name", "t.yaml:2:9", "non-empty"),
        ("country: Finland", "country: ''", "city.country", "t.yaml:3:12", "non-empty"),
        ("653867", "0", "city.population.value", "t.yaml:4:23", "more than 0"),
        ("653867", "-5", "city.population.value", "t.yaml:4:23", "more than 0"),
        ("year: 2019", "year: 3025", "city.population.year", "t.yaml:4:37", "plausible year"),
        ("year: 2035", "year: 3025", "policy_areas[0].targets[0].year", "t.yaml:12:45", "plausible year"),
        ("staff: 25", "staff: -1", "teams[0].staff", "t.yaml:8:67", "0 to 100,000"),
        ("staff: 25", "staff_min: 6, staff_max: 4", "teams[0].staff_min", "t.yaml:8:71",
         "not above staff_max"),
        ("name: Economic Development", "name: ''", "teams[0].name", "t.yaml:8:12", "non-empty"),
        ("wave: 2020", "wave: 2019", "survey.wave", "t.yaml:5:16", "2018 or 2020"),
        ("description: carbon neutral", "description: ''", "policy_areas[0].targets[0].description",
         "t.yaml:12:23", "what is to be reached"),
    ],
)  # fmt: skip
def test_each_rule_names_field_line_and_what_is_wrong(
    old: str, new: str, field: str, where: str, words: str
) -> None:
    assert old in BASE
    problem = only_error(validate(BASE.replace(old, new, 1)))
    assert problem.field == field
    assert problem.where == where
    assert words in problem.message
    assert field in problem.render() and where in problem.render()


def test_bad_approach_names_the_allowed_values() -> None:
    problem = only_error(validate(BASE + "strategy: {explicit: true, approach: sideways}\n"))
    assert (problem.field, problem.value, problem.where) == ("strategy.approach", "sideways", "t.yaml:13:38")
    assert "holistic, policy-areas, both" in problem.message


def test_empty_mayor_is_an_error() -> None:
    problem = only_error(validate(BASE.replace("  country: Finland\n", "  country: Finland\n  mayor: ''\n")))
    assert problem.field == "city.mayor" and problem.where == "t.yaml:4:10"


def test_missing_goals_is_a_warning_about_goals() -> None:
    report = validate(BASE.replace("goals: [Improve service delivery]\n", ""))
    assert report.conforms
    (warning,) = report.warnings
    assert warning.field == "goals"
    assert "no goal given" in warning.message


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        ("name: Helsinki", "name: [Helsinki]", "city.name", "must be text, not a list"),
        ("name: Helsinki", "name: {first: Hel}", "city.name", "must be text, not a group of fields"),
        ("name: Helsinki", "name: true", "city.name", "must be text, not true"),
        ("name: Helsinki", "name: ~", "city.name", "must be text, not empty"),
        ("goals: [Improve service delivery]", "goals: Improve service delivery", "goals", "must be a list"),
        ("staff: 25", "staff: many", "teams[0].staff", "must be a whole number"),
        ("wave: 2020", "wave: '2020'", "survey.wave", "must be a whole number"),
    ],
)
def test_structure_errors_name_the_field(old: str, new: str, field: str, words: str) -> None:
    problem = only_error(validate(BASE.replace(old, new, 1)))
    assert problem.field == field
    assert words in problem.message


def test_unknown_field_points_at_its_line() -> None:
    problem = only_error(validate(BASE + "colour: blue\n"))
    assert problem.field == "colour" and problem.where == "t.yaml:13:9"
    assert "unknown field 'colour'" in problem.message and "goals" in problem.message


def test_unknown_nested_field_points_at_its_line() -> None:
    problem = only_error(validate(BASE.replace("staff: 25", "staf: 25")))
    assert problem.field == "teams[0].staf"
    assert "known fields here" in problem.message and "staff" in problem.message


def test_typo_is_an_error_with_a_suggestion_and_no_duplicate_warning() -> None:
    report = validate(BASE.replace("Improve service delivery", "Improve servise delivery"))
    problem = only_error(report)
    assert problem.field == "goals[0]" and problem.where == "t.yaml:6:9"
    assert problem.suggestion == "Improve service delivery"
    assert "did you mean 'Improve service delivery'?" in problem.render()
    assert report.warnings == []


@pytest.mark.parametrize(("escape", "code"), [("\\x07", "U+0007"), ("\\n", "U+000A"), ("\\u2028", "U+2028")])
def test_control_characters_in_names_are_errors(escape: str, code: str) -> None:
    problem = only_error(validate(BASE.replace("name: Helsinki", f'name: "Hel{escape}sinki"')))
    assert problem.field == "city.name" and code in problem.message


@pytest.mark.parametrize("brk", ["\\n", "\\r\\n", "\\t"])
def test_line_breaks_are_fine_in_descriptions(brk: str) -> None:
    text = BASE.replace("    targets:", f'    description: "Line one.{brk}Line two."\n    targets:')
    report = validate(text)
    assert report.conforms and report.problems == []


def test_unpaired_surrogate_is_an_error() -> None:
    (document,) = read_json(
        '{"city": {"name": "Hel\\ud800", "country": "Finland"}, "survey": {"wave": 2020}}', source="s.json"
    )
    report, mapped = validate_document(document)
    problem = only_error(report)
    assert mapped is None
    assert problem.field == "city.name" and "surrogate" in problem.message


def test_problems_are_ordered_errors_first_then_by_line() -> None:
    text = BASE.replace("wave: 2020", "wave: 2019").replace("staff: 25", "staff: -1")
    text = text.replace("goals: [Improve service delivery]", "goals: [Something new]")
    report = validate(text)
    assert [p.severity for p in report.problems] == [Severity.ERROR, Severity.ERROR, Severity.WARNING]
    assert [p.field for p in report.errors] == ["survey.wave", "teams[0].staff"]


def test_closed_shape_reports_an_unknown_property_on_a_hand_built_graph() -> None:
    graph = Graph()
    city = URIRef("https://w3id.org/citykg/id/city/finland/helsinki")
    country = URIRef("https://w3id.org/citykg/id/country/finland")
    graph.add((city, RDF.type, CKG.City))
    graph.add((city, SCHEMA.name, Literal("Helsinki")))
    graph.add((city, CKG.country, country))
    graph.add((country, RDF.type, CKG.Country))
    graph.add((country, SCHEMA.name, Literal("Finland")))
    _, results = check_graph(graph)
    assert results == []
    graph.add((city, CKG.staffCount, Literal(3)))  # a team's property on a city
    _, results = check_graph(graph)
    (result,) = results
    assert result.severity is Severity.ERROR
    assert (result.focus, result.path, result.value) == (city, CKG.staffCount, Literal(3))


def test_json_problems_name_line_and_column() -> None:
    text = '{\n  "city": {"name": "Helsinki", "country": "Finland"},\n  "survey": {"wave": 2019}\n}\n'
    (document,) = read_json(text, source="h.json")
    report, _ = validate_document(document)
    problem = only_error(report)
    assert (problem.field, problem.where) == ("survey.wave", "h.json:3:22")


@pytest.mark.parametrize(
    ("old", "new", "field", "earlier"),
    [
        ("teams:\n", "teams:\n  - {name: economic development, staff: 3}\n", "teams[1]", "teams[0]"),
        ("policy_areas:\n", "policy_areas:\n  - {name: Environment & climate change}\n", "policy_areas[1]",
         "policy_areas[0]"),
        ("      - {description: carbon neutral, year: 2035}\n",
         "      - {description: carbon neutral, year: 2035}\n"
         "      - {description: Carbon-neutral, year: 2035}\n",
         "policy_areas[0].targets[1]", "policy_areas[0].targets[0]"),
        ("  country: Finland\n",
         "  country: Finland\n  mayor: Jan Vapaavuori\n  innovation_officers: [jan vapaavuori]\n",
         "city.innovation_officers[0]", "city.mayor"),
    ],
)  # fmt: skip
def test_two_entries_for_one_thing_are_named_as_duplicates(
    old: str, new: str, field: str, earlier: str
) -> None:
    problem = only_error(validate(BASE.replace(old, new, 1)))
    assert problem.field == field
    assert f"the same as {earlier}" in problem.message


def test_mayor_who_is_also_an_officer_is_fine() -> None:
    text = BASE.replace(
        "  country: Finland\n", "  country: Finland\n  mayor: A B\n  innovation_officers: [A B]\n"
    )
    assert validate(text).conforms


def test_one_free_text_answer_spelled_twice_keeps_one_label() -> None:
    (document,) = read_yaml(
        BASE.replace("[Improve service delivery]", "[Build rockets, build rockets!]"), source="t"
    )
    report, mapped = validate_document(document)
    assert report.conforms and mapped is not None
    concepts = set(mapped.facts.objects(mapped.profile, CKG.goal))
    assert len(concepts) == 1
    assert len(list(mapped.facts.objects(concepts.pop(), SKOS.prefLabel))) == 1


def test_internal_only_with_partners_is_a_located_warning() -> None:
    text = (
        BASE
        + "partnerships:\n  innovation_internal_only: true\n  innovation:\n    - {partner: other cities}\n"
    )
    report = validate(text)
    assert report.conforms
    (warning,) = report.warnings
    assert warning.field == "partnerships.innovation_internal_only"
    assert warning.where == "t.yaml:14:29"
