"""The public API (`citykg.Store` and friends) does what the CLI does, from Python."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rdflib import Literal

import citykg
from _submit_support import HELSINKI, variant
from citykg.rdf.terms import SCHEMA

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "data" / "profiles" / "helsinki.txt"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> citykg.Store:
    """Helsinki built once, then resubmitted with another mayor: two versions in the history."""
    folder = tmp_path_factory.mktemp("api")
    store = citykg.Store(folder / "store")
    result = store.build([HELSINKI])
    assert result.triples > 0 and len(result.graphs) == 1
    changed = variant(HELSINKI, folder / "helsinki-v2.yaml", ("Jan Vapaavuori", "Juhana Vartiainen"))
    submitted = store.submit(changed)
    assert submitted.committed and submitted.conforms
    return store


def test_every_public_name_loads() -> None:
    for name in citykg.__all__:
        assert getattr(citykg, name) is not None, name
    assert set(citykg.__all__) <= set(dir(citykg))
    assert issubclass(citykg.BuildRefused, citykg.CityKGError)
    assert issubclass(citykg.QueryTimeout, citykg.CityKGError)
    assert issubclass(citykg.NoSuchVersion, citykg.CityKGError)
    with pytest.raises(AttributeError):
        _ = citykg.pipeline


def test_the_store_defaults_to_the_environment_then_dot_citykg(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("CITYKG_STORE", raising=False)
    assert citykg.Store().path == Path(".citykg") / "store"
    monkeypatch.setenv("CITYKG_STORE", str(tmp_path / "elsewhere"))
    assert citykg.Store().path == tmp_path / "elsewhere"
    assert citykg.Store("given").path == Path("given")


def test_a_base_that_is_no_base_iri_is_refused_at_once() -> None:
    with pytest.raises(citykg.InputError, match="ending in '/'"):
        citykg.Store("anywhere", base="https://example.org/no-slash")


def test_query_takes_its_parameters_as_a_mapping(store: citykg.Store) -> None:
    result = store.query("people-and-roles", {})
    mayors = sorted(str(r["person"]) for r in result.rows if str(r["role"]) == "mayor")
    assert mayors == ["Juhana Vartiainen"]
    with pytest.raises(citykg.QueryError, match="no parameter nonsense"):
        store.query("people-and-roles", {"nonsense": "1"})
    with pytest.raises(TypeError):
        store.query("people-and-roles", {}, False)  # type: ignore[call-arg]  # options are keyword-only


def test_sparql_asserted_or_with_the_inferences(store: citykg.Store) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    asserted = int(store.sparql(count, inferred=False).column("n")[0])
    everything = int(store.sparql(count).column("n")[0])
    assert 0 < asserted < everything
    with pytest.raises(citykg.QueryError, match=re.escape("SERVICE <http://example.org/> is not allowed")):
        store.sparql("SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }")


def test_a_missing_store_says_so(tmp_path: Path) -> None:
    with pytest.raises(citykg.StoreError, match="no store here yet"):
        citykg.Store(tmp_path / "none").query("people-and-roles")


def test_history_lists_the_versions_and_gives_each_ones_graph(store: citykg.Store) -> None:
    found = store.history("Helsinki")
    assert [(v.number, v.current) for v in found] == [(1, False), (2, True)]
    old = store.version("Helsinki", 1, wave=2020)
    assert (None, SCHEMA.name, Literal("Jan Vapaavuori")) in old
    assert (None, SCHEMA.name, Literal("Juhana Vartiainen")) not in old
    assert "Juhana Vartiainen" in store.version("helsinki", 2).serialize(format="turtle")
    with pytest.raises(citykg.NoSuchVersion):
        store.version("Helsinki", 3)


def test_a_version_is_written_out_as_history_keeps_it_or_as_an_export(store: citykg.Store) -> None:
    [kept] = [v for v in store.history("Helsinki") if v.path is not None]
    assert kept.path is not None
    assert store.show_version("Helsinki", 1, fmt="ntriples") == kept.path.read_bytes()
    turtle = store.show_version("Helsinki", 1).decode()
    assert "@prefix ckg: " in turtle and '"Jan Vapaavuori"' in turtle
    assert store.show_version("Helsinki", 1) == store.show_version("Helsinki", 1)  # the same bytes
    with pytest.raises(citykg.InputError, match="a version is one graph"):
        store.show_version("Helsinki", 1, fmt=citykg.ExportFormat.NQUADS)


def test_export_gives_bytes_and_writes_a_file(store: citykg.Store, tmp_path: Path) -> None:
    target = tmp_path / "out.nq"
    data = store.export(citykg.ExportFormat.NQUADS, output=target, profile=citykg.Profile.PUBLIC)
    assert target.read_bytes() == data
    assert store.export("nquads", profile="public") == data  # the enums' values do as well
    framed = json.loads(store.export(citykg.ExportFormat.JSONLD, frame=citykg.Frame.CITY))
    assert len(framed) == 1
    with pytest.raises(citykg.InputError, match="unknown export format 'rdfxml'"):
        store.export("rdfxml")


def test_publish_writes_the_folder(store: citykg.Store, tmp_path: Path) -> None:
    publication = store.publish(tmp_path / "site", title="Helsinki", licence="CC0-1.0")
    assert publication.cities == 1
    assert "catalog.ttl" in publication.files and (tmp_path / "site" / "catalog.ttl").is_file()


def test_validate_one_path_or_several() -> None:
    (report,) = citykg.validate(HELSINKI)
    assert report.conforms
    assert [r.conforms for r in citykg.validate([HELSINKI, str(HELSINKI)])] == [True, True]


def test_build_refuses_what_does_not_conform_and_keeps_the_store(store: citykg.Store, tmp_path: Path) -> None:
    broken = variant(HELSINKI, tmp_path / "broken.yaml", ("wave: 2020", "wave: often"))
    before = (store.path / "CURRENT").read_text()
    with pytest.raises(citykg.BuildRefused) as refused:
        store.build(broken)
    assert refused.value.reports and not refused.value.reports[0].conforms
    assert (store.path / "CURRENT").read_text() == before


def test_extract_reads_a_profile_page() -> None:
    extraction = citykg.extract(PAGE)
    assert extraction.document.data["city"]["name"] == "Helsinki"
    assert not extraction.unexplained


def test_catalog_lists_the_named_queries() -> None:
    names = [q.name for q in citykg.catalog()]
    assert "cities-with-data-partner" in names and names == sorted(names)


def test_a_store_keeps_its_generation_open_for_queries_and_follows_a_new_one(tmp_path: Path) -> None:
    from bench.build import submission_files

    fixtures = Path(__file__).resolve().parent / "fixtures" / "catalog"
    location = tmp_path / "store"
    reader, writer = citykg.Store(location), citykg.Store(location)
    writer.build([fixtures])
    before = set(reader.query("surveyed-cities").column("city"))
    assert before and set(reader.query("surveyed-cities").column("city")) == before  # the open one, again
    writer.build([fixtures, submission_files(2, tmp_path / "more")])  # another Store writes
    after = set(reader.query("surveyed-cities").column("city"))
    assert after == before | {"City 00000", "City 00001"}  # the new generation, not the one it had open
    assert len(list(location.glob("gen-*"))) == 2  # the one it read until then stays while it was open
    reader.build([fixtures])  # its own write lets go of what it read: every older generation goes
    assert [p.name for p in location.glob("gen-*")] == [(location / "CURRENT").read_text().strip()]
    assert set(reader.query("surveyed-cities").column("city")) == before
