"""A submission describes only its own city (issue 12): a Turtle or JSON-LD file that states
facts about another city, a shared resource or a vocabulary term is refused by validate, submit
and build alike, naming the subject, and leaves the store as it was; a free-text answer that two
cities spell differently keeps one preferred label (the first) and the other spelling as an
alternative label. Run through the CLI, as city staff and the open-data team would."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from _submit_support import CORPUS, HELSINKI, catalog_answers, variant
from citykg.cli import cli
from citykg.store.generations import live_generation, open_store

ID = "https://w3id.org/citykg/id/"
HELSINKI_PROFILE = f"<{ID}profile/finland/helsinki/2020>"

#: each attack of the corpus, and the words that name the subject its refusal must contain
ATTACKS = {
    "scope-officer-for-another-city.ttl": f"{HELSINKI_PROFILE} is not Tampere (Finland)'s to describe",
    "scope-goal-for-another-city.jsonld": f"{HELSINKI_PROFILE} is not Tampere (Finland)'s to describe",
    "scope-rename-another-city.ttl": f"<{ID}city/finland/helsinki> is not Tampere (Finland)'s to describe",
    "scope-claim-another-city.ttl": f"<{ID}city/sweden/stockholm> is not Tampere (Finland)'s to describe",
    "scope-link-to-another-city.ttl": f"<{ID}city/finland/tampere> links to {HELSINKI_PROFILE}",
    "scope-relabel-shared-concept.ttl": f"<{ID}concept/goal/help-develop-a-vibrant-economy> is shared",
    "scope-rename-shared-country.ttl": f"<{ID}country/finland> is shared by every submission",
    "scope-relabel-vocabulary-concept.ttl": "vocab:goal/improve-service-delivery is a term of the ontology",
}

CONCEPT = f"{ID}concept/goal/help-develop-a-vibrant-economy"
HELSINKI_SPELLING = "Help develop a vibrant economy"  # as data/submissions/helsinki-2020.yaml says
TAMPERE_SPELLING = "HELP develop a VIBRANT economy!"


def run(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code != 70, result.output
    return result


def snapshot(location: Path) -> tuple[Path | None, list[str], dict[str, str]]:
    """What a user could tell about a store: its live generation, every quad, every answer."""
    quads = sorted(str(q) for q in open_store(location).store.quads_for_pattern(None, None, None, None))
    return live_generation(location), quads, catalog_answers(location)


@pytest.fixture(scope="module")
def helsinki_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding Helsinki's submission; the refused runs below must leave it as it is."""
    location = tmp_path_factory.mktemp("scope") / "store"
    assert run("submit", str(HELSINKI), "--store", str(location)).exit_code == 0
    return location


def test_every_attack_is_in_the_corpus() -> None:
    assert sorted(ATTACKS) == sorted(p.name for p in (CORPUS / "bad").glob("scope-*"))


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_validate_refuses_a_statement_about_what_is_not_the_citys(name: str) -> None:
    path = CORPUS / "bad" / name
    result = run("validate", str(path))
    assert result.exit_code == 1, result.output
    assert f"{path}: error: " in result.output  # the file, then what it may not say
    assert ATTACKS[name] in result.output
    assert f"{path}: does not conform" in result.output


@pytest.mark.slow  # a submit per attack
@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_submit_refuses_it_and_the_store_is_unchanged(name: str, helsinki_store: Path) -> None:
    before = snapshot(helsinki_store)
    path = CORPUS / "bad" / name
    result = run("submit", str(path), "--store", str(helsinki_store))
    assert result.exit_code == 1, result.output
    assert ATTACKS[name] in result.output and str(path) in result.output
    assert "not committed" in result.output
    assert snapshot(helsinki_store) == before


@pytest.mark.slow  # a build per attack
@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_build_refuses_it_and_the_store_is_unchanged(name: str, helsinki_store: Path) -> None:
    before = snapshot(helsinki_store)
    path = CORPUS / "bad" / name
    result = run("build", str(HELSINKI), str(path), "--store", str(helsinki_store))
    assert result.exit_code == 1, result.output
    assert ATTACKS[name] in result.output and str(path) in result.output
    assert "1 submission(s) do not conform" in result.output
    assert snapshot(helsinki_store) == before


def test_a_city_that_another_file_claimed_first_is_still_accepted(tmp_path: Path) -> None:
    location = tmp_path / "store"
    claim = run("submit", str(CORPUS / "bad" / "scope-claim-another-city.ttl"), "--store", str(location))
    assert claim.exit_code == 1, claim.output
    stockholm = tmp_path / "stockholm-2020.yaml"
    stockholm.write_text("city: {name: Stockholm, country: Sweden}\nsurvey: {wave: 2020}\n", "utf-8")
    result = run("submit", str(stockholm), "--store", str(location))
    assert result.exit_code == 0, result.output
    assert labels(location, f"{ID}city/sweden/stockholm", "https://schema.org/name") == ["Stockholm"]


def test_its_own_resources_and_a_proposed_answer_are_accepted(tmp_path: Path) -> None:
    """The scope is not wider than the city: its people, teams, initiatives, targets and a
    free-text answer of its own, in Turtle, conform (and match the YAML they come from)."""
    tampere = tmp_path / "tampere.ttl"
    text = (
        (CORPUS / "good" / "turtle.ttl").read_text("utf-8")
        + f"""
<{ID}profile/finland/tampere/2020> <https://w3id.org/citykg/ontology#goal> <{CONCEPT}> ;
    <https://w3id.org/citykg/ontology#innovationOfficer> <{ID}person/finland/tampere/lauri-lyly> ;
    <https://w3id.org/citykg/ontology#team> <{ID}profile/finland/tampere/2020/team/lab> ;
    <https://w3id.org/citykg/ontology#initiative> <{ID}initiative/finland/tampere/sauna> .
<{CONCEPT}> a <http://www.w3.org/2004/02/skos/core#Concept> ;
    <http://www.w3.org/2004/02/skos/core#prefLabel> "{TAMPERE_SPELLING}"@en ;
    <https://w3id.org/citykg/ontology#freeText> true ;
    <https://w3id.org/citykg/ontology#proposedFor> <https://w3id.org/citykg/vocab/goal> .
<{ID}person/finland/tampere/lauri-lyly> a <http://xmlns.com/foaf/0.1/Person> ;
    <https://schema.org/name> "Lauri Lyly" .
<{ID}profile/finland/tampere/2020/team/lab> a <https://w3id.org/citykg/ontology#InnovationTeam> ;
    <https://schema.org/name> "Lab" .
<{ID}initiative/finland/tampere/sauna> a <https://w3id.org/citykg/ontology#Initiative> ;
    <https://schema.org/name> "Sauna" ;
    <https://w3id.org/citykg/ontology#target> <{ID}initiative/finland/tampere/sauna/target/2030-hot> .
<{ID}initiative/finland/tampere/sauna/target/2030-hot> a <https://w3id.org/citykg/ontology#Target> ;
    <http://purl.org/dc/terms/description> "hot" ;
    <https://w3id.org/citykg/ontology#targetYear> "2030"^^<http://www.w3.org/2001/XMLSchema#gYear> .
"""
    )
    tampere.write_text(text, "utf-8")
    result = run("validate", str(tampere))
    assert result.exit_code == 0, result.output
    assert f"{tampere}: conforms (0 errors" in result.output


# ------------------------------------------------------------------ one preferred label


def tampere_yaml(tmp_path: Path) -> Path:
    path = tmp_path / "tampere-2020.yaml"
    path.write_text(
        f"city: {{name: Tampere, country: Finland}}\nsurvey: {{wave: 2020}}\ngoals: ['{TAMPERE_SPELLING}']\n",
        "utf-8",
    )
    return path


SKOS = "http://www.w3.org/2004/02/skos/core#"


def labels(location: Path, subject: str, predicate: str) -> list[str]:
    """The values of one property of one resource in the store, asked in SPARQL as a user would."""
    result = run(
        "query",
        "--store",
        str(location),
        "-f",
        "csv",
        "--asserted",
        "--sparql",
        f"SELECT ?label WHERE {{ <{subject}> <{predicate}> ?label }} ORDER BY ?label",
    )
    assert result.exit_code == 0, result.output
    return [row["label"] for row in csv.DictReader(io.StringIO(result.stdout))]


def test_build_keeps_the_first_spelling_in_build_order(tmp_path: Path) -> None:
    tampere = tampere_yaml(tmp_path)
    for order, first, later in (
        ((HELSINKI, tampere), HELSINKI_SPELLING, TAMPERE_SPELLING),
        ((tampere, HELSINKI), TAMPERE_SPELLING, HELSINKI_SPELLING),
    ):
        location = tmp_path / f"store-{order[0].stem}"
        result = run("build", *map(str, order), "--store", str(location))
        assert result.exit_code == 0, result.output
        assert labels(location, CONCEPT, SKOS + "prefLabel") == [first]
        assert labels(location, CONCEPT, SKOS + "altLabel") == [later]
        assert f"{later!r} spells an answer already given as {first!r}" in result.output
        assert "Helsinki 2020" in result.output and "Tampere 2020" in result.output


def test_submit_keeps_the_spelling_already_stored(tmp_path: Path) -> None:
    location = tmp_path / "store"
    assert run("submit", str(HELSINKI), "--store", str(location)).exit_code == 0
    result = run("submit", str(tampere_yaml(tmp_path)), "--store", str(location))
    assert result.exit_code == 0, result.output
    assert f"{TAMPERE_SPELLING!r} spells an answer already given as {HELSINKI_SPELLING!r}" in result.output
    assert labels(location, CONCEPT, SKOS + "prefLabel") == [HELSINKI_SPELLING]
    assert labels(location, CONCEPT, SKOS + "altLabel") == [TAMPERE_SPELLING]
    # Helsinki resubmitting (another mayor) keeps its spelling preferred; Tampere's stays alternative
    changed = variant(HELSINKI, tmp_path / "helsinki-2020.yaml", ("Jan Vapaavuori", "Juhana Vartiainen"))
    assert run("submit", str(changed), "--store", str(location)).exit_code == 0
    assert labels(location, CONCEPT, SKOS + "prefLabel") == [HELSINKI_SPELLING]
    assert labels(location, CONCEPT, SKOS + "altLabel") == [TAMPERE_SPELLING]


def test_an_rdf_submission_spelling_it_otherwise_gets_the_alternative_label(tmp_path: Path) -> None:
    location = tmp_path / "store"
    assert run("submit", str(HELSINKI), "--store", str(location)).exit_code == 0
    tampere = tmp_path / "tampere.ttl"
    tampere.write_text(
        (CORPUS / "good" / "turtle.ttl").read_text("utf-8")
        + f"<{ID}profile/finland/tampere/2020> <https://w3id.org/citykg/ontology#goal> <{CONCEPT}> .\n"
        f'<{CONCEPT}> a <{SKOS}Concept> ; <{SKOS}prefLabel> "{TAMPERE_SPELLING}"@en ;\n'
        "    <https://w3id.org/citykg/ontology#freeText> true ;\n"
        "    <https://w3id.org/citykg/ontology#proposedFor> <https://w3id.org/citykg/vocab/goal> .\n",
        "utf-8",
    )
    result = run("submit", str(tampere), "--store", str(location))
    assert result.exit_code == 0, result.output
    assert labels(location, CONCEPT, SKOS + "prefLabel") == [HELSINKI_SPELLING]
    assert labels(location, CONCEPT, SKOS + "altLabel") == [TAMPERE_SPELLING]


def test_when_the_preferred_spelling_is_withdrawn_another_citys_becomes_preferred(tmp_path: Path) -> None:
    location = tmp_path / "store"
    assert run("submit", str(HELSINKI), "--store", str(location)).exit_code == 0
    assert run("submit", str(tampere_yaml(tmp_path)), "--store", str(location)).exit_code == 0
    withdrawn = variant(
        HELSINKI, tmp_path / "helsinki-2020.yaml", ("  - Help develop a vibrant economy\n", "")
    )
    result = run("submit", str(withdrawn), "--store", str(location))
    assert result.exit_code == 0, result.output
    assert labels(location, CONCEPT, SKOS + "prefLabel") == [TAMPERE_SPELLING]
    assert labels(location, CONCEPT, SKOS + "altLabel") == []
    sparql = (
        "SELECT ?city ?label WHERE { ?profile <https://w3id.org/citykg/ontology#goal> "
        f"<{CONCEPT}> ; <https://w3id.org/citykg/ontology#city>/<https://schema.org/name> ?city . "
        f"<{CONCEPT}> <{SKOS}prefLabel> ?label }}"
    )
    goals = run("query", "--sparql", sparql, "--store", str(location), "-f", "csv")
    assert goals.exit_code == 0, goals.output
    rows = list(csv.DictReader(io.StringIO(goals.stdout)))
    assert [(row["city"], row["label"]) for row in rows] == [("Tampere", TAMPERE_SPELLING)]
