"""Synthetic cities for benchmarks: N submission documents, mapped by citykg's real mapping.

`documents(n)` gives submission dicts in the documented format (deterministic for a seed);
`build_store(location, n)` maps them with `mapping.map_document` (plus PROV-O provenance) and
loads them, with the ontology, into a store generation, as `citykg build` lays them out. It
skips the per-submission SHACL validation of `citykg build` (its cost is measured elsewhere),
so ten thousand cities load in about a minute.
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

COUNTRIES = [
    "Finland",
    "Sweden",
    "Norway",
    "Denmark",
    "Estonia",
    "Germany",
    "France",
    "Spain",
    "Portugal",
    "Italy",
    "Netherlands",
    "Belgium",
    "Austria",
    "Poland",
    "Czechia",
    "Ireland",
    "United Kingdom",
    "United States",
    "Canada",
    "Mexico",
    "Brazil",
    "Chile",
    "Colombia",
    "South Africa",
    "Kenya",
    "India",
    "Japan",
    "Korea",
    "Australia",
    "New Zealand",
]
FIRST = ["Anna", "Mikko", "Sara", "Jon", "Maria", "Ahmed", "Li", "Olga", "Pedro", "Aiko", "Zanele", "Tom"]
LAST = ["Virtanen", "Smith", "Garcia", "Okafor", "Tanaka", "Novak", "Silva", "Jensen", "Khan", "Moreau"]
BUILT = datetime(2026, 1, 1, tzinfo=UTC)


def _labels(scheme: Scheme) -> list[str]:
    return [c.label for c in load_vocabulary().concepts(scheme)]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)} {rng.randrange(1000)}"


def document(index: int, *, seed: int = 7) -> dict[str, Any]:
    """The submission of synthetic city number `index` (one city, one survey wave)."""
    rng = random.Random(seed * 1_000_003 + index)
    mayor, officer = _person(rng), _person(rng)
    pick = lambda scheme, lo, hi: rng.sample(_labels(scheme), rng.randint(lo, min(hi, len(_labels(scheme)))))  # noqa: E731
    return {
        "city": {
            "name": f"City {index:05d}",
            "country": COUNTRIES[index % len(COUNTRIES)],
            "mayor": mayor,
            "population": {"value": rng.randint(20_000, 5_000_000), "year": rng.choice([2017, 2018, 2019])},
            "innovation_officers": [officer],
            "contacts": [
                {"name": mayor, "email": f"mayor{index}@city.example", "phone": f"+1 555 {index:07d}"}
            ],
        },
        "survey": {"wave": 2018 if index % 3 == 0 else 2020},
        "goals": pick(Scheme.GOAL, 2, 4),
        "success_factors": pick(Scheme.SUCCESS_FACTOR, 1, 3),
        "strategy": {"explicit": rng.random() < 0.7, "approach": rng.choice(_labels(Scheme.APPROACH))},
        "policy_areas": [
            {
                "name": area,
                "description": f"What city {index} does about {area.lower()}.",
                "targets": [{"description": "carbon neutral", "year": rng.randint(2030, 2050)}],
            }
            for area in pick(Scheme.POLICY_AREA, 1, 2)
        ],
        "teams": [
            {"name": f"Innovation Unit {t}", "location": "Mayor's Office", "staff": rng.randint(1, 40)}
            for t in range(rng.randint(1, 2))
        ],
        "funding": {"dedicated": rng.random() < 0.5, "uses": pick(Scheme.FUNDING_USE, 1, 3)},
        "partnerships": {
            "innovation_internal_only": False,
            "innovation": [{"partner": p} for p in pick(Scheme.PARTNER_TYPE, 1, 2)],
            "data": [{"partner": p} for p in pick(Scheme.PARTNER_TYPE, 1, 2)],
            "data_purposes": pick(Scheme.DATA_PURPOSE, 1, 2),
        },
        "initiatives": [
            {
                "name": f"Initiative {index}",
                "description": "A pilot.",
                "targets": [{"description": "pilot done", "year": 2026}],
            }
        ],
    }


def documents(n: int, *, seed: int = 7) -> Iterator[dict[str, Any]]:
    for index in range(n):
        yield document(index, seed=seed)


def build_store(location: Path, n: int, *, iris: IRIs | None = None, seed: int = 7) -> int:
    """A store of `n` synthetic cities at `location`; returns the number of quads."""
    iris = iris or IRIs()
    vocabulary = load_vocabulary()
    count = 0

    def fill(store: OxigraphStore) -> None:
        nonlocal count
        batch = list(quads_of(ontology_graph(), iris.ontology_graph))
        for index, data in enumerate(documents(n, seed=seed)):
            source = f"synthetic/city-{index:05d}.yaml"
            mapped = map_document(Document(data, source), vocabulary=vocabulary, iris=iris)
            graph = mapped.facts + provenance(
                mapped, [Source(source, f"{index:064x}")], built=BUILT, iris=iris
            )
            batch.extend(quads_of(graph, mapped.graph_iri))
            if len(batch) > 200_000:  # one bulk load per batch: each call has a fixed cost (~80 ms)
                store.store.bulk_extend(batch)
                batch = []
        store.store.bulk_extend(batch)
        count = len(store.store)

    build_new_generation(location, fill)
    return count
