"""`citykg submit` and `citykg history`: checks against the store, the diff, the commit, the
history, and that a failed or refused run changes nothing."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from _submit_support import CORPUS, HELSINKI, ROOT, catalog_answers, variant
from citykg import Store
from citykg.cli import cli
from citykg.model.vocabulary import normalise
from citykg.store.generations import open_store
from citykg.workflow.review import SIMILAR_NAME, _LooksLike
from store_shape_support import assert_folder_shape


def run(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code != 70, result.output
    return result


@pytest.fixture
def store(tmp_path: Path) -> Path:
    location = tmp_path / "store"
    result = run("submit", str(HELSINKI), "--store", str(location))
    assert result.exit_code == 0, result.output
    return location


def mayor_answers(location: Path) -> list[str]:
    result = Store(location).query("people-and-roles")
    return sorted(str(row["person"]) for row in result.rows if str(row["role"]) == "mayor")


def test_first_submission_creates_the_store_and_lists_what_it_adds(tmp_path: Path) -> None:
    location = tmp_path / "store"
    result = run("submit", str(HELSINKI), "--store", str(location))
    assert result.exit_code == 0, result.output
    assert "Helsinki (Finland), 2020 wave" in result.stdout
    assert "new submission for this city and wave" in result.stdout
    assert "added    city.mayor: 'Jan Vapaavuori'" in result.stdout
    assert "added    teams[Digital Innovation].staff: '20'" in result.stdout
    assert f"committed to {location}" in result.stderr
    rows = Store(location).query("cities-with-data-partner", {"partner": "hospitals"}).rows
    assert [str(r["city"]) for r in rows] == ["Helsinki"]


def test_dry_run_shows_the_diff_and_changes_nothing(store: Path, tmp_path: Path) -> None:
    before = catalog_answers(store)
    pointer = (store / "CURRENT").read_text()
    changed = variant(HELSINKI, tmp_path / "h.yaml", ("Jan Vapaavuori", "Juhana Vartiainen"))
    result = run("submit", str(changed), "--store", str(store), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "changed  city.mayor: 'Jan Vapaavuori' -> 'Juhana Vartiainen'" in result.stdout
    assert "dry run" in result.stderr
    assert (store / "CURRENT").read_text() == pointer
    assert catalog_answers(store) == before
    assert not (store / "history").exists()


def test_resubmission_replaces_and_keeps_the_earlier_version(store: Path, tmp_path: Path) -> None:
    changed = variant(
        HELSINKI,
        tmp_path / "helsinki-v2.yaml",
        ("Jan Vapaavuori", "Juhana Vartiainen"),
        ("staff: 20}", "staff: 22}"),
        ("  - Help develop a vibrant economy\n", ""),
        ("  - Dedicated funding\n", "  - Dedicated funding\n  - Focus on measurement\n"),
    )
    result = run("submit", str(changed), "--store", str(store))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "  resubmission: replaces the version built" in "\n".join(lines)
    assert "  changed  city.mayor: 'Jan Vapaavuori' -> 'Juhana Vartiainen'" in lines
    assert "  changed  teams[Digital Innovation].staff: '20' -> '22'" in lines
    assert "  removed  goals: 'Help develop a vibrant economy'" in lines
    assert "  added    success_factors: 'Focus on measurement'" in lines
    diff_lines = [line for line in lines if re.match(r"  (added|removed|changed) ", line)]
    assert len(diff_lines) == 4, diff_lines  # nothing else changed, nothing else is listed

    # the catalog sees only the new version
    assert mayor_answers(store) == ["Juhana Vartiainen"]
    assert_folder_shape(store)

    listing = run("history", "Helsinki", "--store", str(store))
    assert listing.exit_code == 0, listing.output
    rows = listing.stdout.splitlines()[1:]
    assert len(rows) == 2
    assert "superseded" in rows[0] and str(HELSINKI) in rows[0]
    assert "current" in rows[1] and "helsinki-v2.yaml" in rows[1]

    old = run("history", "helsinki", "--wave", "2020", "--show", "1", "--store", str(store))
    assert old.exit_code == 0, old.output
    assert '"Jan Vapaavuori"' in old.stdout and "Juhana" not in old.stdout
    exported = tmp_path / "old.ttl"
    run("history", "Helsinki", "--show", "1", "-o", str(exported), "--store", str(store))
    assert exported.read_text(encoding="utf-8") == old.stdout
    assert "@prefix goal: " in old.stdout  # written like an export: the vocabularies' prefixes

    # N-Triples of a version are the bytes history kept, sorted, whichever way it is asked for
    [kept] = sorted((store / "history").rglob("*.nt"))
    as_ntriples = run("history", "Helsinki", "--show", "1", "-f", "ntriples", "--store", str(store))
    assert as_ntriples.stdout_bytes == kept.read_bytes()


def test_resubmitting_the_same_facts_reports_no_changes(store: Path) -> None:
    result = run("submit", str(HELSINKI), "--store", str(store), "--dry-run")
    assert result.exit_code == 0
    assert "no changes: the store already holds these facts" in result.stdout


def test_same_city_under_another_spelling_is_refused(store: Path, tmp_path: Path) -> None:
    before = catalog_answers(store)
    other = variant(HELSINKI, tmp_path / "helsingfors.yaml", ("name: Helsinki", "name: Helsinky"))
    result = run("submit", str(other), "--store", str(store))
    assert result.exit_code == 1
    assert "city.name: 'Helsinky' looks like 'Helsinki', already in the store" in result.stdout
    assert "(did you mean 'Helsinki'?)" in result.stdout
    assert "not committed" in result.stderr
    assert catalog_answers(store) == before

    accepted = run("submit", str(other), "--store", str(store), "--new-city")
    assert accepted.exit_code == 0, accepted.output
    assert "warning: city.name: 'Helsinky' looks like 'Helsinki'" in accepted.stdout


def test_country_under_another_spelling_is_found_too(store: Path, tmp_path: Path) -> None:
    other = variant(HELSINKI, tmp_path / "h.yaml", ("country: Finland", "country: Finlnd"))
    result = run("submit", str(other), "--store", str(store), "--dry-run")
    assert result.exit_code == 1
    assert "looks like 'Helsinki'" in result.stdout


_NAMES = st.text(alphabet="aeinkls HÉ-'", max_size=14)


@settings(max_examples=400, deadline=None)
@given(_NAMES, st.data())
def test_names_look_alike_exactly_when_their_normalised_ratio_says_so(
    submitted: str, data: st.DataObject
) -> None:
    """The rule the similar-name check states: equal once normalised, or a difflib ratio of at
    least SIMILAR_NAME (the check's shortcuts must not change a single answer). Stored names
    are other names, or the submitted one's letters in another order (alike by letter counts
    and length, which difflib's quick bounds look at, but not always by the ratio)."""
    shuffled = st.permutations(list(submitted)).map("".join)
    stored = data.draw(st.one_of(_NAMES, shuffled), label="stored")
    left, right = normalise(stored), normalise(submitted)
    rule = left == right or difflib.SequenceMatcher(None, left, right).ratio() >= SIMILAR_NAME
    assert _LooksLike(submitted)(stored) is rule


def test_a_city_whose_name_is_not_alike_is_not_flagged(store: Path, tmp_path: Path) -> None:
    other = variant(HELSINKI, tmp_path / "espoo.yaml", ("name: Helsinki", "name: Espoo"))
    result = run("submit", str(other), "--store", str(store), "--dry-run")
    assert "looks like" not in result.stdout


def test_conflicting_population_for_the_same_year_is_refused(store: Path, tmp_path: Path) -> None:
    before = catalog_answers(store)
    other_wave = variant(
        HELSINKI,
        tmp_path / "helsinki-2018.yaml",
        ("survey: {wave: 2020}", "survey: {wave: 2018}"),
        ("value: 653867", "value: 650000"),
    )
    result = run("submit", str(other_wave), "--store", str(store))
    assert result.exit_code == 1, result.output
    assert "city.population.value: '650000' conflicts with '653867', stored for the same city and year" in (
        result.stdout
    )
    assert "graph/finland/helsinki/2020" in result.stdout
    assert catalog_answers(store) == before


def test_another_wave_with_consistent_facts_is_added(store: Path, tmp_path: Path) -> None:
    other_wave = variant(
        HELSINKI,
        tmp_path / "helsinki-2018.yaml",
        ("survey: {wave: 2020}", "survey: {wave: 2018}"),
        ("Jan Vapaavuori", "Jussi Pajunen"),
    )
    result = run("submit", str(other_wave), "--store", str(store))
    assert result.exit_code == 0, result.output
    assert "new submission for this city and wave" in result.stdout
    graphs = [str(g) for g in open_store(store).named_graphs()]
    assert_folder_shape(store)
    assert any(g.endswith("graph/finland/helsinki/2018") for g in graphs)
    assert any(g.endswith("graph/finland/helsinki/2020") for g in graphs)


@pytest.mark.slow  # every catalog answer before and after, twice
@pytest.mark.parametrize(
    ("bad", "code", "said"),
    [("negative-staff.yaml", 1, "teams[0].staff"), ("utf16.yaml", 2, "UTF-16")],
    ids=["does not conform", "unreadable"],
)
def test_a_refused_submission_exits_with_its_code_and_changes_nothing(
    store: Path, bad: str, code: int, said: str
) -> None:
    before = catalog_answers(store)
    result = run("submit", str(CORPUS / "bad" / bad), "--store", str(store))
    assert result.exit_code == code
    assert said in result.output
    assert catalog_answers(store) == before


def test_rdf_submission_goes_the_same_way(tmp_path: Path) -> None:
    location = tmp_path / "store"
    result = run("submit", str(CORPUS / "good" / "jsonld-helsinki.jsonld"), "--store", str(location))
    assert result.exit_code == 0, result.output
    rows = Store(location).query("cities-with-data-partner", {"partner": "hospitals"}).rows
    assert [str(r["city"]) for r in rows] == ["Helsinki"]
    # the same facts from YAML are no change at all
    again = run("submit", str(HELSINKI), "--store", str(location), "--dry-run")
    assert again.exit_code == 0
    assert "no changes" in again.stdout


def test_history_of_an_unknown_city_exits_2(store: Path) -> None:
    result = run("history", "Atlantis", "--store", str(store))
    assert result.exit_code == 2
    assert "no submission for 'Atlantis'" in result.stderr


def test_json_output_of_submit(store: Path, tmp_path: Path) -> None:
    import json

    changed = variant(HELSINKI, tmp_path / "h.yaml", ("Jan Vapaavuori", "Juhana Vartiainen"))
    result = run("submit", str(changed), "--store", str(store), "--dry-run", "-f", "json")
    data = json.loads(result.stdout)
    [entry] = data["submissions"]
    assert data["committed"] is False and data["dry_run"] is True
    assert {
        "change": "changed",
        "field": "city.mayor",
        "old": "Jan Vapaavuori",
        "new": "Juhana Vartiainen",
    } in (entry["changes"])
    assert entry["replaces"]["sources"] == [str(HELSINKI)]


def test_country_name_spelt_differently_conflicts(store: Path, tmp_path: Path) -> None:
    # "finland" has the same IRI as "Finland" (IRIs are minted from a folded slug); two names
    # for one country would show in every answer, so the stored spelling is suggested
    other = variant(
        HELSINKI,
        tmp_path / "espoo.yaml",
        ("name: Helsinki", "name: Espoo"),
        ("country: Finland", "country: finland"),
    )
    result = run("submit", str(other), "--store", str(store), "--dry-run")
    assert result.exit_code == 1
    assert "city.country: 'finland' conflicts with 'Finland', stored for the same country" in result.stdout
    assert "(did you mean 'Finland'?)" in result.stdout


def test_a_submitted_city_is_reasoned_about_at_once(store: Path) -> None:
    """Inferences (a city with a profile is a surveyed city) cover a city as soon as it is submitted."""
    tampere = ROOT / "tests" / "data" / "publishing" / "tampere-2020.yaml"
    assert Store(store).query("surveyed-cities").column("city") == ["Helsinki"]
    result = run("submit", str(tampere), "--store", str(store))
    assert result.exit_code == 0, result.output
    assert Store(store).query("surveyed-cities").column("city") == ["Helsinki", "Tampere"]
    assert Store(store).query("surveyed-cities", inferred=False).rows == []


@pytest.mark.slow
def test_a_commit_landing_while_a_submission_is_checked_is_seen_not_overwritten(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two clerks resubmit Helsinki at the same time: the second one's checks started before
    the first one's commit landed. Its commit notices, checks again against the new state, and
    keeps the first one's version in the history instead of replacing it unseen."""
    from citykg.store.history import versions
    from citykg.workflow import submit as submitting
    from citykg.workflow.review import conflicts as checks

    first = variant(HELSINKI, tmp_path / "first.yaml", ("Jan Vapaavuori", "Anna Aalto"))
    second = variant(HELSINKI, tmp_path / "second.yaml", ("Jan Vapaavuori", "Bertta Berg"))
    landed: list[bool] = []

    def checks_while_the_first_commit_lands(*args: object, **kwargs: object) -> object:
        if not landed:
            landed.append(True)
            assert submitting.submit(first, store_path=store).committed
        return checks(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(submitting, "conflicts", checks_while_the_first_commit_lands)
    result = submitting.submit(second, store_path=store)

    assert result.committed
    [review] = result.reviews
    assert [c.render() for c in review.changes if c.field == "city.mayor"] == [
        "changed  city.mayor: 'Anna Aalto' -> 'Bertta Berg'"
    ]
    assert mayor_answers(store) == ["Bertta Berg"]
    kept = [v.path.read_text(encoding="utf-8") for v in versions(store, "Helsinki") if v.path is not None]
    assert ['"Jan Vapaavuori"' in text for text in kept] == [True, False]
    assert ['"Anna Aalto"' in text for text in kept] == [False, True]
    assert_folder_shape(store)


@pytest.mark.slow
def test_a_build_keeps_in_the_history_what_it_drops_or_replaces(store: Path, tmp_path: Path) -> None:
    tampere = ROOT / "tests" / "data" / "publishing" / "tampere-2020.yaml"
    assert run("submit", str(tampere), "--store", str(store)).exit_code == 0

    # a rebuild from the Helsinki file alone drops Tampere: its version goes to the history
    rebuilt = run("build", str(HELSINKI), "--store", str(store))
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "kept 1 earlier version(s)" in rebuilt.stderr
    assert Store(store).query("people-and-roles").column("city") == ["Helsinki"] * 3
    listing = run("history", "Tampere", "--store", str(store))
    assert listing.exit_code == 0, listing.output
    assert len(listing.stdout.splitlines()) == 2 and "tampere-2020.yaml" in listing.stdout
    shown = run("history", "Tampere", "--show", "1", "--store", str(store))
    assert shown.exit_code == 0 and "Tampere" in shown.stdout
    # Helsinki was built from the same file as before: nothing of it to keep
    assert not (store / "history" / "finland" / "helsinki").exists()

    # a build from a changed Helsinki file keeps the version it replaces
    changed = variant(HELSINKI, tmp_path / "helsinki-v2.yaml", ("Jan Vapaavuori", "Juhana Vartiainen"))
    again = run("build", str(changed), "--store", str(store))
    assert again.exit_code == 0, again.output
    assert "kept 1 earlier version(s)" in again.stderr
    [kept] = (store / "history" / "finland" / "helsinki").rglob("*.nt")
    assert '"Jan Vapaavuori"' in kept.read_text(encoding="utf-8")
    assert mayor_answers(store) == ["Juhana Vartiainen"]
