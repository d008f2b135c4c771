"""Synthetic cities for benchmarks: N submission documents, mapped by citykg's real mapping.

`document(i)` / `documents(n)` give submission dicts in the documented format (deterministic
for a seed): every city answered the 2020 wave, and every fifth city (City 00000, 00005...)
the 2018 wave too, with other answers. `build_store(location, n)` maps them with
`mapping.map_document`, adds PROV-O provenance and the per-fact ckg:Evidence that
`citykg build` and `citykg submit` store, and loads them with the ontology into a store
generation. It skips per-submission SHACL (measured separately), so ten thousand cities load
in a few minutes.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml
from rdflib import Graph, URIRef

from citykg.mapping.document import map_document
from citykg.mapping.provenance import evidence, provenance
from citykg.model.document import Document, Source
from citykg.model.ontology import ontology_graph
from citykg.model.vocabulary import Scheme, load_vocabulary
from citykg.rdf.convert import quads_of
from citykg.rdf.iris import IRIs
from citykg.sources.documents import read_yaml
from citykg.store.generations import build_new_generation, store_exists
from citykg.store.graphs import OxigraphStore, with_default_graph

COUNTRIES = [
    "Finland", "Sweden", "Norway", "Denmark", "Estonia", "Germany", "France", "Spain", "Portugal",
    "Italy", "Netherlands", "Belgium", "Austria", "Poland", "Czechia", "Ireland", "United Kingdom",
    "United States", "Canada", "Mexico", "Brazil", "Chile", "Colombia", "South Africa", "Kenya",
    "India", "Japan", "Korea", "Australia", "New Zealand",
]  # fmt: skip
FIRST = ["Anna", "Mikko", "Sara", "Jon", "Maria", "Ahmed", "Li", "Olga", "Pedro", "Aiko", "Zanele", "Tom"]
LAST = ["Virtanen", "Smith", "Garcia", "Okafor", "Tanaka", "Novak", "Silva", "Jensen", "Khan", "Moreau"]
BUILT = datetime(2026, 1, 1, tzinfo=UTC)
RESULTS = Path(__file__).resolve().parent / "results"
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's when installed: the same text, faster


def _labels(scheme: Scheme) -> list[str]:
    return [c.label for c in load_vocabulary().concepts(scheme)]


BOTH_WAVES = 5  # every fifth city answered 2018 and 2020


def waves(index: int) -> tuple[int, ...]:
    """The survey waves synthetic city `index` answered."""
    return (2018, 2020) if index % BOTH_WAVES == 0 else (2020,)


def document(index: int, *, seed: int = 7, wave: int = 2020) -> dict[str, Any]:
    """The submission of synthetic city number `index` to one survey wave."""
    rng = random.Random(seed * 1_000_003 + index + (0 if wave == 2020 else 500_000_009))

    def pick(scheme: Scheme, low: int, high: int) -> list[str]:
        labels = _labels(scheme)
        return rng.sample(labels, rng.randint(low, min(high, len(labels))))

    def person() -> str:
        return f"{rng.choice(FIRST)} {rng.choice(LAST)} {rng.randrange(1000)}"

    return {
        "city": {
            "name": f"City {index:05d}",
            "country": COUNTRIES[index % len(COUNTRIES)],
            "mayor": person(),
            "population": {"value": rng.randint(20_000, 5_000_000), "year": 2019},
            "innovation_officers": [person()],
        },
        "survey": {"wave": wave},
        "goals": pick(Scheme.GOAL, 2, 4),
        "success_factors": pick(Scheme.SUCCESS_FACTOR, 1, 3),
        "strategy": {"explicit": rng.random() < 0.7, "approach": rng.choice(_labels(Scheme.APPROACH))},
        "policy_areas": [
            {
                "name": area,
                "description": f"What city {index:05d} does about {area.lower()}.",
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
                "name": f"Initiative {index:05d}",
                "description": "A pilot.",
                "targets": [{"description": "pilot done", "year": 2026}],
            }
        ],
    }


def documents(n: int, *, seed: int = 7) -> Iterator[dict[str, Any]]:
    """The submissions of `n` synthetic cities, every wave each answered."""
    for index in range(n):
        for wave in waves(index):
            yield document(index, seed=seed, wave=wave)


def _source(index: int, wave: int) -> Source:
    location = f"synthetic/city-{index:05d}-{wave}.yaml"
    return Source(location, hashlib.sha256(location.encode()).hexdigest())


def yaml_text(data: dict[str, Any]) -> str:
    """A submission document as a YAML file holds it (keys in the documented order)."""
    return yaml.dump(data, Dumper=_DUMPER, sort_keys=False, allow_unicode=True)


def write_submission(path: Path, data: dict[str, Any]) -> Path:
    """A submission document written as a YAML submission file at `path`."""
    path.write_text(yaml_text(data), encoding="utf-8")
    return path


def stored_graph(doc: Document, source: Source, *, iris: IRIs) -> tuple[URIRef, Graph]:
    """One submission document as `citykg build` and `submit` store it (facts, provenance,
    evidence): its named graph's IRI and content."""
    mapped = map_document(doc, vocabulary=load_vocabulary(), iris=iris)
    graph = mapped.facts + provenance(mapped, [source], built=BUILT, iris=iris)
    graph += evidence(mapped, source, iris=iris)
    return mapped.graph_iri, graph


def mapped_nquads(index: int, *, iris: IRIs, seed: int = 7, wave: int = 2020) -> str:
    """Synthetic city `index`'s answer to `wave` as `citykg submit` stores it (facts,
    provenance, evidence), N-Quads."""
    source = _source(index, wave)
    # through the YAML reader, so each fact has its line and the store its ckg:Evidence
    [doc] = read_yaml(yaml_text(document(index, seed=seed, wave=wave)), source=source.location)
    name, graph = stored_graph(doc, source, iris=iris)
    text = ox.serialize(quads_of(graph, name), format=ox.RdfFormat.N_QUADS)
    assert text is not None
    return text.decode()


def _renumber(text: str, old: int, new: int, wave: int) -> str:
    """A template city's N-Quads as city `new`: its names, IRIs and source digest renumbered."""
    for pattern in ("City {:05d}", "city-{:05d}", "city {:05d}", "Initiative {:05d}", "initiative-{:05d}"):
        text = text.replace(pattern.format(old), pattern.format(new))
    return text.replace(_source(old, wave).sha256, _source(new, wave).sha256)


def load(store: OxigraphStore, chunk: list[str]) -> None:
    """N-Quads of submission graphs into their graphs and their copies, as the store keeps
    them (store.graphs.with_default_graph: the triples not about evidence records)."""
    store.store.bulk_extend(with_default_graph(list(ox.parse("".join(chunk), format=ox.RdfFormat.N_QUADS))))


def build_store(
    location: Path, n: int, *, iris: IRIs | None = None, seed: int = 7, templates: int = 200
) -> int:
    """A store of `n` synthetic cities at `location`; returns the number of quads.

    The first `templates` cities go through the real reader and mapping (about 0.1 s per
    submission); the others are renumbered copies of them (same shape, their own names and
    IRIs), so that 10,000 cities load in minutes instead of half an hour. `templates` must be a
    multiple of BOTH_WAVES, so that a copy answered the waves its template answered.
    """
    if templates % BOTH_WAVES:
        raise ValueError(f"templates must be a multiple of {BOTH_WAVES}")
    iris = iris or IRIs()
    count = 0
    cache: dict[tuple[int, int], str] = {}

    def fill(store: OxigraphStore) -> None:
        nonlocal count
        ontology = list(quads_of(ontology_graph(), iris.ontology_graph))
        store.store.bulk_extend(with_default_graph(ontology))
        chunk: list[str] = []
        for index in range(n):
            template = index % templates
            for wave in waves(index):
                if (template, wave) not in cache:
                    cache[template, wave] = mapped_nquads(template, iris=iris, seed=seed, wave=wave)
                text = cache[template, wave]
                chunk.append(text if index == template else _renumber(text, template, index, wave))
            if len(chunk) >= 500:
                load(store, chunk)
                chunk = []
        load(store, chunk)
        count = len(store.store)

    build_new_generation(location, fill)
    return count


def cached_store(n: int) -> Path:
    """The store of `n` synthetic cities in bench/results/stores/ (git ignores it), built on
    first use; benchmarks that write to it work on a `copy_store` of it."""
    location = RESULTS / "stores" / f"cities-{n}-waves"
    if not store_exists(location):
        started = time.perf_counter()
        quads = build_store(location, n)
        print(f"  built a store of {n:,} cities ({quads:,} quads) in {time.perf_counter() - started:.0f} s")
    return location


def copy_store(source: Path, target: Path) -> None:
    """A writable copy of a store's live generation (a checkpoint: hard links, fast)."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    live = (source / "CURRENT").read_text().strip()
    ox.Store.read_only(str(source / live)).backup(str(target / live))
    (target / "CURRENT").write_text(live + "\n")
