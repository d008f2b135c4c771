"""Synthetic cities for benchmarks: N submission documents, mapped by citykg's real mapping.

`document(i)` / `documents(n)` give submission dicts in the documented format, deterministic
for a seed: every fifth city answered both survey waves (with a changed mayor and goals), data
partnerships name regional institutions with narrower kinds, as pages do. `build_store(location,
n)` maps them with `mapping.map_document` plus PROV-O provenance and loads them with the
ontology into a store generation as `citykg build` lays them out, without the per-submission
SHACL validation (measured elsewhere) and without inference (the benchmark times it).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from citykg.document import Document
from citykg.iris import IRIs
from citykg.mapping import Source, map_document, provenance
from citykg.store import OxigraphStore, build_new_generation, quads_of
from citykg.validation import ontology_graph
from citykg.vocabulary import Scheme, load_vocabulary

COUNTRIES = ["Finland", "Sweden", "Estonia", "Germany", "France", "Spain", "Italy", "Netherlands",
             "Poland", "Ireland", "United Kingdom", "United States", "Canada", "Mexico", "Brazil",
             "Chile", "South Africa", "Kenya", "India", "Japan", "Korea", "Australia"]  # fmt: skip
FIRST = ["Anna", "Mikko", "Sara", "Jon", "Maria", "Ahmed", "Li", "Olga", "Pedro", "Aiko", "Zanele", "Tom"]
LAST = ["Virtanen", "Smith", "Garcia", "Okafor", "Tanaka", "Novak", "Silva", "Jensen", "Khan", "Moreau"]
LOCATIONS = ["Mayor's Office", "City Manager's Office", "Digital Department", "Economic Development"]
REGIONAL = ["hospitals", "waste and water management", "public transport agency"]
BUILT = datetime(2026, 1, 1, tzinfo=UTC)


def _labels(scheme: Scheme) -> list[str]:
    return [c.label for c in load_vocabulary().concepts(scheme)]


def document(index: int, *, wave: int | None = None, seed: int = 7) -> dict[str, Any]:
    """The submission of synthetic city number `index` for one survey wave."""
    wave = wave or (2018 if index % 3 == 0 else 2020)
    rng = random.Random(seed * 1_000_003 + index * 7 + wave)

    def pick(scheme: Scheme, low: int, high: int) -> list[str]:
        labels = [label for label in _labels(scheme) if label not in REGIONAL]
        return rng.sample(labels, rng.randint(low, min(high, len(labels))))

    def person() -> str:
        return f"{rng.choice(FIRST)} {rng.choice(LAST)} {rng.randrange(1000)}"

    data_partners: list[dict[str, Any]] = [{"partner": p} for p in pick(Scheme.PARTNER_TYPE, 1, 3)]
    if rng.random() < 0.4:
        data_partners.append({"partner": "regional institutions", "includes": rng.sample(REGIONAL, 2)})
    elif rng.random() < 0.3:
        data_partners.append({"partner": rng.choice(REGIONAL)})
    return {
        "city": {
            "name": f"City {index:05d}",
            "country": COUNTRIES[index % len(COUNTRIES)],
            "mayor": person(),
            "population": {"value": rng.randint(20_000, 5_000_000), "year": wave - 1},
            "innovation_officers": [person() for _ in range(rng.randint(0, 2))],
        },
        "survey": {"wave": wave},
        "goals": pick(Scheme.GOAL, 1, 4),
        "success_factors": pick(Scheme.SUCCESS_FACTOR, 1, 4),
        "strategy": {"explicit": rng.random() < 0.5, "approach": rng.choice(_labels(Scheme.APPROACH))},
        "policy_areas": [
            {
                "name": area,
                "description": f"What city {index} does about {area.lower()}.",
                "targets": [{"description": "target met", "year": rng.randint(2022, 2050)}],
            }
            for area in pick(Scheme.POLICY_AREA, 1, 3)
        ],
        "teams": [
            {"name": f"Innovation Unit {t}", "location": rng.choice(LOCATIONS), "staff": rng.randint(1, 40)}
            for t in range(rng.randint(0, 2))
        ],
        "funding": {"dedicated": rng.random() < 0.8, "uses": pick(Scheme.FUNDING_USE, 0, 3)},
        "partnerships": {
            "innovation_internal_only": False,
            "innovation": [{"partner": p} for p in pick(Scheme.PARTNER_TYPE, 1, 3)],
            "data": data_partners,
            "data_purposes": pick(Scheme.DATA_PURPOSE, 1, 2),
        },
        "initiatives": [
            {
                "name": f"Initiative {index}-{wave}",
                "description": "A pilot project.",
                "targets": [{"description": "pilot done", "year": rng.randint(2022, 2030)}],
            }
        ],
    }


def documents(n: int, *, seed: int = 7) -> Iterator[dict[str, Any]]:
    """N cities; every fifth also answered the other wave (so there are about 1.2 N documents)."""
    for index in range(n):
        first = 2018 if index % 3 == 0 else 2020
        yield document(index, wave=first, seed=seed)
        if index % 5 == 0:
            yield document(index, wave=4038 - first, seed=seed)


def build_store(location: Path, n: int, *, iris: IRIs | None = None, seed: int = 7) -> int:
    """A store of `n` synthetic cities at `location` (asserted graphs only); returns its quads."""
    iris = iris or IRIs()
    vocabulary = load_vocabulary()
    count = 0

    def fill(store: OxigraphStore) -> None:
        nonlocal count
        batch = list(quads_of(ontology_graph(), iris.ontology_graph))
        for number, data in enumerate(documents(n, seed=seed)):
            source = f"synthetic/{number:06d}.yaml"
            mapped = map_document(Document(data, source), vocabulary=vocabulary, iris=iris)
            graph = mapped.facts + provenance(
                mapped, [Source(source, f"{number:064x}")], built=BUILT, iris=iris
            )
            batch.extend(quads_of(graph, mapped.graph_iri))
            if len(batch) > 200_000:
                store.store.bulk_extend(batch)
                batch = []
        store.store.bulk_extend(batch)
        count = len(store.store)

    build_new_generation(location, fill)
    return count
