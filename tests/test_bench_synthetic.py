"""The benchmarks' synthetic store is what citykg itself would store: its queries answer."""

from __future__ import annotations

from pathlib import Path

from bench.synthetic import build_store, document, waves

from citykg.inference.materialise import materialise
from citykg.queries.run import answer
from citykg.rdf.iris import IRIs
from citykg.store.generations import open_store


def test_every_fifth_city_answered_both_waves_with_other_answers() -> None:
    assert waves(0) == waves(5) == (2018, 2020)
    assert waves(1) == (2020,)
    earlier, later = document(5, wave=2018), document(5, wave=2020)
    assert earlier["city"]["name"] == later["city"]["name"] == "City 00005"
    assert (earlier["survey"], later["survey"]) == ({"wave": 2018}, {"wave": 2020})
    assert earlier["city"]["mayor"] != later["city"]["mayor"]


def test_the_synthetic_store_answers_catalog_queries_for_copied_cities(tmp_path: Path) -> None:
    location = tmp_path / "store"
    build_store(location, 10, templates=5)  # cities 5-9 are renumbered copies of 0-4
    result = materialise(open_store(location, read_only=False), iris=IRIs())
    assert result.inferred > 0

    surveyed = answer(location, name="surveyed-cities")
    answered = {str(row["city"]): (str(row["firstWave"]), str(row["lastWave"])) for row in surveyed.rows}
    assert sorted(answered) == [f"City {i:05d}" for i in range(10)]
    assert (answered["City 00005"], answered["City 00006"]) == (("2018", "2020"), ("2020", "2020"))

    changes = answer(location, name="city-changes", params={"city": "City 00005"})
    mayors = {
        (change, value)
        for change, aspect, value in zip(
            changes.column("change"), changes.column("aspect"), changes.column("value"), strict=True
        )
        if aspect == "mayor"
    }
    # a copy carries its template's answers (city 5 is city 0's, renumbered)
    assert mayors == {
        ("removed", document(0, wave=2018)["city"]["mayor"]),
        ("added", document(0, wave=2020)["city"]["mayor"]),
    }
