"""`citykg publish`: a folder to upload, described in DCAT-AP 3 and VoID; personal data stays out."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, VOID

from citykg.cli import cli
from citykg.export import publish as publish_module
from citykg.export.publish import publish
from citykg.export.serializers import export_store
from citykg.rdf.formats import ExportFormat, Frame, Profile
from citykg.rdf.iris import IRIs
from citykg.rdf.jsonld import context_path
from publishing_support import SECRETS, build_store, shared_root

IRI = IRIs()
SPDX = "http://spdx.org/rdf/terms#"
# plain namespaces: pytest's collection probes module attributes, and rdflib's closed DCAT and
# XSD namespaces warn about every unknown name
DCAT = Namespace("http://www.w3.org/ns/dcat#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
DCAT_AP = shared_root() / "vendor" / "dcat-ap-3"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with pytest.MonkeyPatch.context() as mp:
        return build_store(tmp_path_factory.mktemp("publish") / "store", mp)


@pytest.fixture(scope="module")
def published(store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site") / "citykg"
    result = CliRunner().invoke(
        cli, ["publish", str(folder), "--store", str(store), "--publisher", "Open Data Team of Example"]
    )
    assert result.exit_code == 0, result.stderr
    assert "catalog.ttl" in result.stdout.split()
    return folder


def _catalog(folder: Path) -> Graph:
    return Graph().parse(folder / "catalog.ttl", format="turtle", publicID=folder.as_uri() + "/")


def _dcat_ap_shapes() -> Graph:
    if not (DCAT_AP / "shapes.ttl").is_file():
        pytest.skip(f"the DCAT-AP 3 shapes are not at {DCAT_AP} (they come with the shared folder)")
    shapes = Graph()
    for name in ("shapes.ttl", "range.ttl"):
        shapes.parse(DCAT_AP / name, format="turtle")
    return shapes


def test_the_catalog_conforms_to_dcat_ap_3(published: Path) -> None:
    conforms, _, text = validate(_catalog(published), shacl_graph=_dcat_ap_shapes())
    assert conforms, text


def test_dcat_ap_shapes_catch_a_catalog_without_publisher_name(published: Path) -> None:
    catalog = _catalog(published)
    catalog.remove((None, FOAF.name, None))
    conforms, _, _ = validate(catalog, shacl_graph=_dcat_ap_shapes())
    assert not conforms


def test_one_distribution_per_export_with_location_size_checksum_and_licence(published: Path) -> None:
    catalog = _catalog(published)
    dataset = URIRef(IRI.base + "dataset")
    distributions = list(catalog.objects(dataset, DCAT.distribution))
    files = {}
    for dist in distributions:
        location = catalog.value(dist, DCAT.downloadURL)
        assert catalog.value(dist, DCAT.accessURL) == location
        path = Path(str(location).removeprefix("file://"))
        assert path.parent == published, "download locations are relative to the folder"
        data = path.read_bytes()
        files[path.name] = catalog.value(dist, DCAT.mediaType)
        assert catalog.value(dist, DCAT.byteSize) == Literal(str(len(data)), datatype=XSD.decimal)
        checksum = catalog.value(dist, URIRef(SPDX + "checksum"))
        assert (
            str(catalog.value(checksum, URIRef(SPDX + "checksumValue"))) == hashlib.sha256(data).hexdigest()
        )
        assert catalog.value(dist, DCTERMS.license) == URIRef(
            "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"
        )
        assert (dist, DCTERMS.conformsTo, URIRef("https://w3id.org/citykg/ontology")) in catalog
    media = "https://www.iana.org/assignments/media-types/"
    assert files == {
        "citykg.ttl": URIRef(media + "text/turtle"),
        "citykg.nt": URIRef(media + "application/n-triples"),
        "citykg.nq": URIRef(media + "application/n-quads"),
        "citykg.trig": URIRef(media + "application/trig"),
        "citykg.jsonld": URIRef(media + "application/ld+json"),
        "citykg-cities.jsonld": URIRef(media + "application/ld+json"),
    }
    assert "file://" not in (published / "catalog.ttl").read_text()


def test_the_dataset_says_who_where_when_and_what_it_conforms_to(published: Path) -> None:
    catalog = _catalog(published)
    dataset = URIRef(IRI.base + "dataset")
    publisher = catalog.value(dataset, DCTERMS.publisher)
    assert str(catalog.value(publisher, FOAF.name)) == "Open Data Team of Example"
    assert set(catalog.objects(dataset, DCTERMS.spatial)) == {
        IRI.country("Finland"),
        IRI.country("United States"),
    }
    years = {str(catalog.value(p, DCAT.startDate)) for p in catalog.objects(dataset, DCTERMS.temporal)}
    assert years == {"2018", "2020"}
    modified = catalog.value(dataset, DCTERMS.modified)
    assert str(modified) == "2026-01-01T00:00:00+00:00"  # the build time (SOURCE_DATE_EPOCH)
    assert catalog.value(dataset, DCTERMS.issued) == modified
    assert (dataset, DCTERMS.conformsTo, URIRef("https://w3id.org/citykg/ontology")) in catalog


def test_void_counts_what_was_published(published: Path) -> None:
    statistics = Graph().parse(published / "void.ttl", format="turtle", publicID=published.as_uri() + "/")
    dataset = URIRef(IRI.base + "dataset")
    triples = {q.triple for q in ox.parse(path=published / "citykg.nt")}
    assert int(str(statistics.value(dataset, VOID.triples))) == len(triples)
    assert int(str(statistics.value(dataset, VOID.properties))) == len({t.predicate for t in triples})
    classes = {t.object for t in triples if t.predicate == ox.NamedNode(str(RDF.type))}
    assert int(str(statistics.value(dataset, VOID.classes))) == len(classes)
    subjects = {t.subject for t in triples if isinstance(t.subject, ox.NamedNode)}
    assert int(str(statistics.value(dataset, VOID.entities))) == len(subjects)
    vocabularies = set(statistics.objects(dataset, VOID.vocabulary))
    assert {
        URIRef("https://w3id.org/citykg/ontology#"),
        URIRef("http://www.w3.org/ns/prov#"),
        URIRef("https://schema.org/"),
        URIRef("http://www.w3.org/2004/02/skos/core#"),
    } <= vocabularies
    assert URIRef("http://www.w3.org/ns/shacl#") not in vocabularies
    dumps = {Path(str(d).removeprefix("file://")).name for d in statistics.objects(dataset, VOID.dataDump)}
    assert "citykg.nq" in dumps and "citykg-cities.jsonld" in dumps


def test_the_folder_carries_the_context_and_frame(published: Path) -> None:
    assert (published / "context-0.1.jsonld").read_bytes() == context_path().read_bytes()
    assert json.loads((published / "frame-city.jsonld").read_text())["type"] == "City"


def test_publish_is_public_by_default_no_contact_detail_anywhere(published: Path) -> None:
    for path in sorted(published.iterdir()):
        text = path.read_text(encoding="utf-8")
        for secret in SECRETS:
            assert secret not in text, f"{secret} in {path.name}"
    assert "Anna-Kaisa Ikonen" in (published / "citykg.ttl").read_text()  # names stay


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_public_exports_carry_no_contact_detail(store: Path, fmt: ExportFormat) -> None:
    full = export_store(store, fmt, iris=IRI).decode()
    assert all(secret in full for secret in SECRETS)  # the store does hold them
    public = export_store(store, fmt, iris=IRI, profile=Profile.PUBLIC).decode()
    for secret in SECRETS:
        assert secret not in public
    if fmt is ExportFormat.JSONLD:  # the inline context defines the term; the data must not use it
        public = json.dumps(json.loads(public)["@graph"])
    assert "schema.org/email" not in public and "schema:email" not in public and '"email"' not in public


def test_public_framed_json_ld_carries_no_contact_detail(store: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["export", "--store", str(store), "-f", "jsonld", "--frame", "city", "--profile", "public"],
    )
    assert result.exit_code == 0
    for secret in SECRETS:
        assert secret not in result.stdout
    full = export_store(store, ExportFormat.JSONLD, iris=IRI, frame=Frame.CITY).decode()
    assert '"email": "mayor.private@tampere.example"' in full


def test_a_failed_publication_leaves_the_previous_one(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "site"
    publish(store, folder, iris=IRI)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}

    def broken(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("framing failed")

    monkeypatch.setattr(publish_module, "framed_cities", broken)
    with pytest.raises(RuntimeError):
        publish(store, folder, iris=IRI)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_publish_refuses_a_folder_that_is_not_a_publication(store: Path, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    result = CliRunner().invoke(cli, ["publish", str(tmp_path), "--store", str(store)])
    assert result.exit_code == 2
    assert "not a citykg publication" in result.stderr
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_settings_file_and_its_mistakes(store: Path, tmp_path: Path) -> None:
    settings = tmp_path / "publication.yaml"
    settings.write_text(
        "title: Innovation in cities\n"
        "publisher: {name: City Data Office, iri: 'https://data.example.org/office'}\n"
        "licence: CC0-1.0\n"
        "download_base: https://data.example.org/citykg\n"
    )
    folder = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["publish", str(folder), "--store", str(store), "--config", str(settings)]
    )
    assert result.exit_code == 0, result.stderr
    catalog = Graph().parse(folder / "catalog.ttl", format="turtle")
    dist = URIRef(IRI.base + "dataset/distribution/citykg-ttl")
    assert catalog.value(dist, DCAT.downloadURL) == URIRef("https://data.example.org/citykg/citykg.ttl")
    assert catalog.value(URIRef("https://data.example.org/office"), FOAF.name) == Literal("City Data Office")
    assert catalog.value(dist, DCTERMS.license) == URIRef(
        "http://publications.europa.eu/resource/authority/licence/CC0"
    )
    settings.write_text("title: x\nlicense: CC0-1.0\n")
    result = CliRunner().invoke(
        cli, ["publish", str(folder), "--store", str(store), "--config", str(settings)]
    )
    assert result.exit_code == 2
    assert "unknown setting 'license'" in result.stderr and str(settings) in result.stderr
    result = CliRunner().invoke(cli, ["publish", str(folder), "--store", str(store), "--licence", "MIT"])
    assert result.exit_code == 2
    assert "unknown licence 'MIT'" in result.stderr
    result = CliRunner().invoke(
        cli, ["publish", str(folder), "--store", str(store), "--download-base", "ftp://files.example.org"]
    )
    assert result.exit_code == 2
    assert "is not an http(s) URL" in result.stderr
    assert (folder / "citykg.ttl").is_file()  # the earlier publication is still there


def test_two_publications_of_one_store_are_the_same_bytes(store: Path, tmp_path: Path) -> None:
    publish(store, tmp_path / "a", iris=IRI)
    publish(store, tmp_path / "b", iris=IRI)
    for path in sorted((tmp_path / "a").iterdir()):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name
