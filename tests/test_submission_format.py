"""The submission format is written once, in shapes/submission-format.yaml. A field added there
but not to the SHACL shapes, the JSON-LD context, the mapping or the vocabularies fails here; the
JSON Schema and the field table of docs/submission-format.md are generated from it (test_docs)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF, SH, SKOS

from citykg.errors import CityKGError
from citykg.mapping.document import Mapped, map_document
from citykg.model.document import Document
from citykg.model.fields import FieldType, parse_format, submission_format
from citykg.model.ontology import shapes_graph
from citykg.model.schema import field_schema, structure_errors
from citykg.model.vocabulary import load_vocabulary
from citykg.rdf.iris import IRIs
from citykg.rdf.terms import CKG, curie
from citykg.resources import ontology_dir
from citykg.sources.tabular import put_field
from citykg.validation.shacl import validate_document

FORMAT = submission_format()


def every_field_document() -> Document:
    """A document that fills every field of the format with its example, lists with one item."""
    data: dict[str, Any] = {}
    for field in FORMAT.leaves():
        put_field(data, field.path.replace("[]", "[0]"), field.example)
    return Document(data=data, source="every-field.yaml")


@pytest.fixture(scope="module")
def mapped() -> Mapped:
    return map_document(every_field_document(), vocabulary=load_vocabulary(), iris=IRIs())


def recorded_path(field_path: str, kind: FieldType) -> str:
    """Where the mapping records the first value of a field: `teams[0].staff`, `goals[0]`."""
    path = field_path.replace("[]", "[0]")
    return path + "[0]" if kind in (FieldType.TEXTS, FieldType.LABELS) else path


def test_every_field_is_in_the_json_schema() -> None:
    for field in FORMAT.fields:
        schema = field_schema(field.path.removesuffix("[]").replace("[]", "[0]"))
        assert schema is not None, field.path
        assert schema.get("description") == field.description


def test_the_document_with_every_field_is_valid() -> None:
    document = every_field_document()
    assert structure_errors(document.data) == []
    report, _ = validate_document(document)
    assert [p.message for p in report.problems] == []


def test_every_field_is_mapped_to_its_properties(mapped: Mapped) -> None:
    written: dict[str, set[str]] = {}
    for (_, predicate, _), path in mapped.fields.items():
        written.setdefault(path, set()).add(curie(predicate))
    missing = [
        (field.path, prop)
        for field in FORMAT.fields
        for prop in field.properties
        if prop not in written.get(recorded_path(field.path, field.type), set())
    ]
    assert missing == [], "fields the mapping does not write to their property"
    assert all(field.properties for field in FORMAT.leaves())


def test_the_mapping_records_only_fields_of_the_format(mapped: Mapped) -> None:
    unknown = set()
    for path in set(mapped.fields.values()):
        general = re.sub(r"\[\d+\]", "[]", path)
        field = FORMAT.field(general) or FORMAT.field(general.removesuffix("[]"))
        if field is None or (field.path != general) != (field.type in (FieldType.TEXTS, FieldType.LABELS)):
            unknown.add(path)
    assert unknown == set()


def shaped_properties() -> set[str]:
    """The paths of the property shapes of the node shapes in shapes/."""
    graph = shapes_graph()
    return {
        curie(path)
        for shape in graph.subjects(RDF.type, SH.NodeShape)
        for property_shape in graph.objects(shape, SH.property)
        for path in graph.objects(property_shape, SH.path)
        if isinstance(path, URIRef)
    }


def test_every_property_of_a_field_has_a_shacl_shape() -> None:
    shaped = shaped_properties()
    missing = [
        (field.path, prop) for field in FORMAT.fields for prop in field.properties if prop not in shaped
    ]
    excused = [(f.path, p) for f in FORMAT.fields if f.unshaped for p in f.properties]
    assert sorted(set(missing) - set(excused)) == [], "add a shape or say why not (unshaped: reason)"
    assert sorted(set(excused) - set(missing)) == [], "a shape exists: remove the field's unshaped"


def context_properties() -> set[str]:
    """The properties the terms of ontology/context.jsonld stand for, as compact IRIs."""
    context: dict[str, Any] = json.loads((ontology_dir() / "context.jsonld").read_text("utf-8"))["@context"]
    prefixes = {k: v for k, v in context.items() if isinstance(v, str) and v.endswith(("/", "#"))}
    out = set()
    for term, value in context.items():
        iri = value if isinstance(value, str) else value.get("@id") if isinstance(value, dict) else None
        if term in prefixes or not isinstance(iri, str) or iri.startswith("@"):
            continue
        prefix, _, local = iri.partition(":")
        out.add(curie(URIRef(prefixes[prefix] + local if prefix in prefixes else iri)))
    return out


def test_every_property_of_a_field_has_a_json_ld_term() -> None:
    terms = context_properties()
    missing = [
        (field.path, prop) for field in FORMAT.fields for prop in field.properties if prop not in terms
    ]
    assert missing == [], "add a term to ontology/context.jsonld"


def test_every_scheme_of_the_format_is_a_concept_scheme_of_the_vocabularies() -> None:
    graph = load_vocabulary().graph
    declared = set(graph.subjects(RDF.type, SKOS.ConceptScheme))
    named = {field.scheme for field in FORMAT.fields if field.scheme is not None}
    assert named and all(scheme.iri in declared for scheme in named)


def test_the_vocabularies_name_the_fields_their_schemes_are_used_for() -> None:
    graph = load_vocabulary().graph
    in_vocabularies = {(str(s), str(o)) for s, o in graph.subject_objects(CKG.submissionField)}
    in_format = {(str(f.scheme.iri), f.path) for f in FORMAT.fields if f.scheme is not None}
    assert in_vocabularies == in_format


GOOD = {"path": "city", "type": "group", "description": "The city."}
LEAF = {
    "path": "city.name",
    "type": "text",
    "property": "schema:name",
    "description": "Name.",
    "example": "A",
}


@pytest.mark.parametrize(
    ("entry", "complaint"),
    [
        ({**LEAF, "colour": "red"}, "unknown key colour"),
        ({**LEAF, "type": "string"}, "'string' is not a valid FieldType"),
        ({**LEAF, "type": "label"}, "names its scheme"),
        ({**LEAF, "type": "labels", "scheme": "colour"}, "'colour' is not a valid Scheme"),
        ({**LEAF, "scheme": "goal"}, "names its scheme"),
        ({k: v for k, v in LEAF.items() if k != "example"}, "has an example"),
        ({k: v for k, v in LEAF.items() if k != "property"}, "names the property"),
        ({**LEAF, "path": "city.teams[]"}, "exactly when the field is a list of groups"),
        ({**LEAF, "path": "town.name"}, "its group town is not written before it"),
        ({**LEAF, "path": "city"}, "written twice"),
        ({**LEAF, "of": "target"}, "only a list of groups"),
    ],
)
def test_a_malformed_field_file_names_the_field(entry: dict[str, Any], complaint: str) -> None:
    with pytest.raises(CityKGError, match=re.escape(complaint)) as caught:
        parse_format({"fields": [GOOD, entry]}, where="format.yaml")
    assert caught.value.where == "format.yaml"
    assert entry["path"] in caught.value.message


def test_a_shared_group_is_expanded_where_it_is_used() -> None:
    fmt = parse_format(
        {
            "groups": {"point": [{**LEAF, "path": "x", "type": "count", "example": 1}]},
            "fields": [{**GOOD, "path": "lines[]", "type": "groups", "of": "point"}],
        },
        where="format.yaml",
    )
    assert [f.path for f in fmt.fields] == ["lines[]", "lines[].x"]
    assert fmt.leaves()[0].type is FieldType.COUNT
