"""The catalog queries rewritten for speed (decision 1304, "Catalog queries planned for
Oxigraph") answer exactly as their earlier texts (tests/data/queries-before/) did: the same
rows, as many times each, with and without inference, on a store of the catalog fixtures and
synthetic cities (bench/build.py's submission files: both waves for every fifth city)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from bench.build import submission_files

from citykg.api import Store
from citykg.queries.catalog import catalog
from citykg.queries.results import QueryResult
from citykg.queries.run import run_on
from citykg.store.generations import open_store

ROOT = Path(__file__).resolve().parent.parent
BEFORE = ROOT / "tests" / "data" / "queries-before"
REWRITTEN = sorted(path.stem for path in BEFORE.glob("*.rq"))
CATALOG = catalog()


def _param_sets(name: str) -> list[dict[str, str]]:
    """Its defaults, its documented examples and, for a city query, cities with both waves."""
    found: list[dict[str, str]] = [{}]
    if any(p.name == "city" for p in CATALOG[name].parameters):
        found += [{"city": city} for city in ("Northport", "City 00000", "City 00005", "City 00001")]
    for example in CATALOG[name].examples:
        pairs = re.finditer(r'-p (\w+)=(?:"([^"]*)"|(\S+))', example)
        found.append({m.group(1): m.group(2) or m.group(3) for m in pairs})
    return found


def _rows(result: QueryResult) -> Counter[tuple[tuple[str, str], ...]]:
    return Counter(tuple(sorted((k, v.n3()) for k, v in row.items())) for row in result.rows)


@pytest.fixture(scope="module")
def mixed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("rewrites")
    cities = submission_files(12, base / "synthetic")
    location = base / "store"
    Store(location).build([ROOT / "tests" / "fixtures" / "catalog", cities])
    return location


def test_every_rewritten_query_has_its_earlier_text() -> None:
    assert {"city-changes", "dated-targets", "survey-shares"} <= set(REWRITTEN)
    for name in REWRITTEN:
        assert name in CATALOG, name
        assert (BEFORE / f"{name}.rq").read_text(encoding="utf-8") != CATALOG[name].text, name


@pytest.mark.parametrize("name", REWRITTEN)
@pytest.mark.parametrize("inferred", [True, False], ids=["inferred", "asserted"])
def test_a_rewritten_query_gives_the_rows_of_its_earlier_text(
    name: str, inferred: bool, mixed_store: Path
) -> None:
    store = open_store(mixed_store)
    earlier = (BEFORE / f"{name}.rq").read_text(encoding="utf-8")
    query = CATALOG[name]
    answered = 0
    for params in _param_sets(name):
        bindings = query.bindings(params)
        before = run_on(store, earlier, bindings, include_inferred=inferred, trusted=True)
        after = run_on(store, query.text, bindings, include_inferred=inferred, trusted=True)
        assert after.variables == before.variables, (name, params)
        assert _rows(after) == _rows(before), (name, params)
        answered += len(before.rows)
    # the store answers it, so that the comparison compares rows (without inference some
    # queries answer nothing: partner-types-by-cities and surveyed-cities read inferred terms)
    assert answered or not inferred, name
