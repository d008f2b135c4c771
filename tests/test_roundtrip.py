"""Round trip: any valid submission -> mapping -> store -> every export format -> parsed back is
the same graph (facts, provenance and evidence)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from citykg.export.serializers import export_store
from citykg.mapping.provenance import evidence, provenance
from citykg.model.vocabulary import Scheme, load_vocabulary
from citykg.rdf.convert import graph_of
from citykg.rdf.formats import ExportFormat
from citykg.rdf.iris import IRIs, key
from citykg.sources import read_file
from citykg.validation.shacl import validate_document
from citykg.workflow.build import build
from citykg.workflow.check import build_time
from publishing_support import parse_export

VOCABULARY = load_vocabulary()

# any printable Unicode: no control, surrogate, unassigned or private-use characters
_CHARS = st.characters(exclude_categories=("Cc", "Cs", "Cn", "Co", "Zl", "Zp"))
names = st.text(_CHARS, min_size=1, max_size=30).filter(lambda s: bool(s.strip()))
descriptions = st.lists(names, min_size=1, max_size=3).map("\n".join)


def labels(scheme: Scheme) -> st.SearchStrategy[str]:
    """Known labels (as a city might spell them) and free text that is not a typo of one."""
    known = st.sampled_from(
        [label for c in VOCABULARY.concepts(scheme) for label in (c.label, c.label.upper())]
    )
    free = names.filter(lambda s: VOCABULARY.match(scheme, s).suggestion is None)
    return st.one_of(known, free)


def unique(items: st.SearchStrategy[Any], by: Any = key, **kwargs: Any) -> st.SearchStrategy[list[Any]]:
    return st.lists(items, unique_by=by, max_size=3, **kwargs)


def label_list(scheme: Scheme) -> st.SearchStrategy[list[str]]:
    # two spellings of one concept would be stated once: keep labels distinct by what they mean
    return unique(labels(scheme), by=lambda s: str(VOCABULARY.match(Scheme(scheme), s).concept or key(s)))


targets = unique(
    st.fixed_dictionaries({"description": names, "year": st.integers(1950, 2100)}),
    by=lambda t: (t["year"], key(t["description"])),
)


@st.composite
def submissions(draw: st.DrawFn) -> dict[str, Any]:
    people = draw(unique(names, min_size=1))
    city: dict[str, Any] = {
        "name": draw(names),
        "country": draw(names),
        "mayor": people[0],
        "innovation_officers": people[1:],
        "population": {"value": draw(st.integers(1, 100_000_000)), "year": draw(st.integers(1800, 2039))},
    }
    teams = [
        {"name": name, "location": draw(names), "staff": draw(st.integers(0, 1000))}
        for name in draw(unique(names))
    ]
    areas = [
        {"name": name, "description": draw(descriptions), "targets": draw(targets)}
        for name in draw(label_list(Scheme.POLICY_AREA))
    ]
    partners = {
        "innovation_internal_only": False,
        "innovation": [
            {"partner": p, "examples": draw(unique(names))} for p in draw(label_list(Scheme.PARTNER_TYPE))
        ],
        "data": [
            {"partner": p, "includes": draw(label_list(Scheme.PARTNER_TYPE))}
            for p in draw(label_list(Scheme.PARTNER_TYPE))
        ],
        "data_purposes": draw(label_list(Scheme.DATA_PURPOSE)),
    }
    return {
        "city": city,
        "survey": {"wave": draw(st.sampled_from([2018, 2020]))},
        "goals": draw(label_list(Scheme.GOAL).filter(bool)),
        "success_factors": draw(label_list(Scheme.SUCCESS_FACTOR)),
        "strategy": {
            "explicit": draw(st.booleans()),
            "approach": draw(st.sampled_from(["holistic", "both"])),
        },
        "policy_areas": areas,
        "teams": teams,
        "terms": draw(label_list(Scheme.INNOVATION_TERM)),
        "funding": {"dedicated": draw(st.booleans()), "uses": draw(label_list(Scheme.FUNDING_USE))},
        "partnerships": partners,
        "initiatives": [
            {"name": n, "description": draw(descriptions), "targets": draw(targets)}
            for n in draw(unique(names))
        ],
    }


def same(produced: Graph, expected: Graph, what: str) -> None:
    if not isomorphic(produced, expected):
        _, only_produced, only_expected = graph_diff(to_isomorphic(produced), to_isomorphic(expected))
        pytest.fail(
            f"{what}: only after the round trip {sorted(only_produced)[:5]}, lost {sorted(only_expected)[:5]}"
        )


@pytest.mark.slow  # hypothesis, a store and every export per example
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=submissions())
def test_any_valid_submission_survives_store_and_every_export(
    data: dict[str, Any], monkeypatch: pytest.MonkeyPatch, parse_format: dict[ExportFormat, ox.RdfFormat]
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764316800")
    iris = IRIs()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "city.json"
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        (submission,) = read_file(path)
        report, mapped = validate_document(submission.document)
        assert report.conforms, [p.render() for p in report.errors]
        assert mapped is not None
        expected = Graph()
        expected += mapped.facts
        expected += provenance(mapped, [submission.source], built=build_time(), iris=iris)
        expected += evidence(mapped, submission.source, iris=iris)

        store = Path(folder) / "store"
        result = build([path], store_path=store)
        assert result.graphs == [mapped.graph_iri]
        for fmt in ExportFormat:
            data_bytes = export_store(store, fmt, iris=iris, include_ontology=False)
            quads = parse_export(data_bytes, parse_format[fmt])
            if fmt.keeps_graphs:
                assert {q.graph_name for q in quads} == {ox.NamedNode(str(mapped.graph_iri))}
            same(graph_of(quads), expected, fmt.value)
