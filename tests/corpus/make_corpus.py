"""Writes the submission corpus: tests/corpus/bad/ (one failure per file), tests/corpus/good/
(variants that must be accepted) and tests/corpus/expected.yaml (exit code and the words the
message must contain, for each bad file).

The files are committed; run this (from the project root, `PYTHONPATH=src python
tests/corpus/make_corpus.py`) only to regenerate them after changing the corpus on purpose.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BASE = "https://w3id.org/citykg/"
CONTEXT_IRI = "https://w3id.org/citykg/context.jsonld"

MINIMAL = "city: {name: Tampere, country: Finland}\nsurvey: {wave: 2020}\n"


def y(body: str) -> bytes:
    """A YAML submission: the minimal one with `body` lines after it."""
    return (MINIMAL + body).encode()


def city(name: str = "Tampere", country: str = "Finland", extra: str = "") -> bytes:
    return f"city: {{name: {name}, country: {country}{extra}}}\nsurvey: {{wave: 2020}}\n".encode()


# ------------------------------------------------------------------ bad: (file, bytes, exit, words)

BAD: list[tuple[str, bytes | None, int, list[str]]] = [  # None: RDF, made by rdf_bad()
    # syntax and encoding: unreadable input, exit 2, with the line
    (
        "yaml-syntax.yaml",
        b"city:\n  name: Tampere\n country: Finland\nsurvey: {wave: 2020}\n",
        2,
        ["YAML syntax error", "yaml-syntax.yaml:3"],
    ),
    (
        "yaml-unclosed-quote.yaml",
        b'city: {name: "Tampere, country: Finland}\nsurvey: {wave: 2020}\n',
        2,
        ["YAML syntax error"],
    ),
    (
        "json-syntax.json",
        b'{"city": {"name": "Tampere", "country": "Finland",},\n "survey": {"wave": 2020}}\n',
        2,
        ["JSON syntax error", "json-syntax.json:1"],
    ),
    (
        "json-nan.json",
        b'{"city": {"name": "Tampere", "country": "Finland",\n'
        b' "population": {"value": NaN, "year": 2019}}, "survey": {"wave": 2020}}\n',
        2,
        ["NaN", "json-nan.json:2"],
    ),
    ("json-not-object.json", b'["Tampere", "Finland", 2020]\n', 2, ["must be a JSON object"]),
    ("yaml-not-mapping.yaml", b"- Tampere\n- Finland\n", 2, ["must be a mapping"]),
    ("empty.yaml", b"", 2, ["holds no submission"]),
    ("csv-unclosed-quote.csv", b'city.name,city.country,survey.wave\n"Tampere,Finland,2020\n', 2, ["CSV"]),
    (
        "csv-unknown-column.csv",
        b"city.name,city.contry,survey.wave\nTampere,Finland,2020\n",
        2,
        ["city.contry", "not a field"],
    ),
    (
        "csv-too-many-cells.csv",
        b"city.name,city.country,survey.wave\nTampere,Finland,2020,extra\n",
        2,
        ["row 2", "4 cells"],
    ),
    (
        "latin1.yaml",
        "city: {name: Jyväskylä, country: Finland}\nsurvey: {wave: 2020}\n".encode("latin-1"),
        2,
        ["not valid UTF-8", "line 1"],
    ),
    ("utf16.yaml", MINIMAL.encode("utf-16"), 2, ["UTF-16"]),
    ("utf16-no-bom.json", '{"city": {"name": "Tampere"}}'.encode("utf-16-le"), 2, ["NUL byte"]),
    (
        "nul-byte.yaml",
        b"city: {name: Tam\x00pere, country: Finland}\nsurvey: {wave: 2020}\n",
        2,
        ["NUL byte", "line 1"],
    ),
    (
        "lone-surrogate.json",
        b'{"city": {"name": "Tam\\ud800pere", "country": "Finland"},\n "survey": {"wave": 2020}}\n',
        1,
        ["city.name", "surrogate"],
    ),
    (
        "duplicate-key.yaml",
        b"city:\n  name: Tampere\n  country: Finland\n  name: Turku\nsurvey: {wave: 2020}\n",
        2,
        ["duplicate key 'name'", "duplicate-key.yaml:4"],
    ),
    (
        "duplicate-key.json",
        b'{"city": {"name": "Tampere", "country": "Finland"},\n'
        b' "survey": {"wave": 2020},\n "survey": {"wave": 2018}}\n',
        2,
        ["duplicate key 'survey'"],
    ),
    (
        "yaml-anchor.yaml",
        b"city: &c {name: Tampere, country: Finland}\nsurvey: {wave: 2020}\nx: *c\n",
        2,
        ["anchors"],
    ),
    ("yaml-tag.yaml", b"city: !!python/object:os.system {name: Tampere}\nsurvey: {wave: 2020}\n", 2, ["tag"]),
    # YAML coercion traps: the value stays text, and the field that wants a number or yes/no says so
    (
        "yaml-no-for-boolean.yaml",
        y("funding: {dedicated: NO}\n"),
        1,
        ["funding.dedicated", "true or false", "'NO'"],
    ),
    (
        "yaml-leading-zero.yaml",
        y("teams: [{name: Lab, staff: 012}]\n"),
        1,
        ["teams[0].staff", "whole number", "'012'"],
    ),
    (
        "yaml-sexagesimal.yaml",
        b"city: {name: Tampere, country: Finland}\nsurvey: {wave: 12:30}\n",
        1,
        ["survey.wave", "whole number", "'12:30'"],
    ),
    ("yaml-float-staff.yaml", y("teams: [{name: Lab, staff: 2.5}]\n"), 1, ["teams[0].staff", "'2.5'"]),
    # missing and empty
    (
        "missing-city-name.yaml",
        b"city: {country: Finland}\nsurvey: {wave: 2020}\n",
        1,
        ["city", "required field missing: name"],
    ),
    (
        "missing-survey.yaml",
        b"city: {name: Tampere, country: Finland}\n",
        1,
        ["required field missing: survey"],
    ),
    (
        "missing-population-value.yaml",
        city(extra=", population: {year: 2019}"),
        1,
        ["city.population", "required field missing: value"],
    ),
    ("empty-city-name.yaml", city(name='""'), 1, ["city.name", "non-empty"]),
    ("empty-mayor.yaml", city(extra=', mayor: ""'), 1, ["city.mayor", "non-empty"]),
    ("empty-goal.yaml", y('goals: [""]\n'), 1, ["goals[0]", "must not be empty"]),
    ("null-name.yaml", city(name="~"), 1, ["city.name", "must be text"]),
    # wrong types
    (
        "list-for-string.yaml",
        city(extra=", mayor: [Lauri Lyly, Anna-Kaisa Ikonen]"),
        1,
        ["city.mayor", "must be text", "a list"],
    ),
    ("string-for-list.yaml", y("goals: Improve service delivery\n"), 1, ["goals", "must be a list"]),
    (
        "mapping-for-list.json",
        b'{"city": {"name": "Tampere", "country": "Finland"},\n'
        b' "survey": {"wave": 2020}, "teams": {"name": "Lab"}}\n',
        1,
        ["teams", "must be a list"],
    ),
    (
        "text-for-number.csv",
        b"city.name,city.country,survey.wave,city.population.value,city.population.year\n"
        b"Tampere,Finland,2020,many,2019\n",
        1,
        ["city.population.value", "whole number", "row 2"],
    ),
    (
        "text-for-boolean.csv",
        b"city.name,city.country,survey.wave,strategy.explicit\nTampere,Finland,2020,yes\n",
        1,
        ["strategy.explicit", "true or false"],
    ),
    ("unknown-field.yaml", city(extra=", mayr: Lauri Lyly"), 1, ["unknown field 'mayr'"]),
    # ranges
    (
        "negative-population.yaml",
        city(extra=", population: {value: -5, year: 2019}"),
        1,
        ["city.population.value", "more than 0"],
    ),
    (
        "population-year-3025.yaml",
        city(extra=", population: {value: 250000, year: 3025}"),
        1,
        ["city.population.year", "plausible year"],
    ),
    ("negative-staff.yaml", y("teams: [{name: Lab, staff: -3}]\n"), 1, ["teams[0].staff", "0 to 100,000"]),
    (
        "staff-range-reversed.yaml",
        y("teams: [{name: Lab, staff_min: 9, staff_max: 4}]\n"),
        1,
        ["teams[0].staff_min", "not above staff_max"],
    ),
    (
        "wave-2019.yaml",
        b"city: {name: Tampere, country: Finland}\nsurvey: {wave: 2019}\n",
        1,
        ["survey.wave", "2018 or 2020"],
    ),
    (
        "target-year-3025.yaml",
        y("initiatives: [{name: Hiilineutraali, targets: [{description: carbon neutral, year: 3025}]}]\n"),
        1,
        ["initiatives[0].targets[0].year", "plausible year"],
    ),
    # labels: a typo is an error with a suggestion
    (
        "typo-success-factor.yaml",
        y("success_factors: [Dedicated fundng]\n"),
        1,
        ["success_factors[0]", "did you mean 'Dedicated funding'?"],
    ),
    (
        "typo-goal.yaml",
        y("goals: [Improve service delivry]\n"),
        1,
        ["goals[0]", "did you mean 'Improve service delivery'?"],
    ),
    (
        "typo-partner.yaml",
        y("partnerships: {data: [{partner: acadmia}]}\n"),
        1,
        ["partnerships.data[0].partner", "did you mean 'academia'?"],
    ),
    (
        "typo-approach.yaml",
        y("strategy: {approach: holistc}\n"),
        1,
        ["strategy.approach", "did you mean 'holistic'?"],
    ),
    # names: single line, bounded, usable in an IRI
    ("name-newline.yaml", city(name='"Tam\\npere"'), 1, ["city.name", "control character"]),
    (
        "name-tab.json",
        b'{"city": {"name": "Tampere", "country": "Fin\\tland"}, "survey": {"wave": 2020}}\n',
        1,
        ["city.country", "control character"],
    ),
    ("name-too-long.yaml", city(name="T" + "a" * 250 + "mpere"), 1, ["city.name", "at most 200"]),
    ("mayor-too-long.yaml", city(extra=", mayor: " + "Lauri " * 60), 1, ["city.mayor", "at most 200"]),
    (
        "name-line-separator.json",
        '{"city": {"name": "Tam\u2028pere", "country": "Finland"}, "survey": {"wave": 2020}}\n'.encode(),
        1,
        ["city.name", "control character"],
    ),
    # RDF: refused content
    ("jsonld-remote-context.jsonld", None, 2, ["@context", "nothing was fetched"]),  # filled in below
    ("jsonld-file-context.jsonld", None, 2, ["@context"]),
    ("jsonld-relative-context.jsonld", None, 2, ["@context"]),
    ("jsonld-altered-inline-context.jsonld", None, 2, ["@context"]),
    ("jsonld-nested-remote-context.jsonld", None, 2, ["@context"]),
    ("jsonld-sameas.jsonld", None, 1, ["owl:sameAs"]),
    ("jsonld-lone-surrogate.jsonld", None, 2, ["surrogate"]),
    ("turtle-sameas.ttl", None, 1, ["owl:sameAs", "not accepted"]),
    ("turtle-redefine-city.ttl", None, 1, ["ckg:City", "rdfs:subClassOf"]),
    ("turtle-describe-ontology-term.ttl", None, 1, ["ckg:mayor", "term of the ontology"]),
    ("turtle-declare-class.ttl", None, 1, ["rdf:type", "owl:Class"]),
    ("turtle-blank-node.ttl", None, 1, ["blank nodes"]),
    ("turtle-foreign-subject.ttl", None, 1, ["example.org", "not accepted"]),
    ("turtle-other-iri.ttl", None, 1, ["ckg:city", "IRIs must be the ones citykg mints"]),
    (
        "turtle-syntax.ttl",
        b"@prefix ckg: <https://w3id.org/citykg/ontology#> .\n<a> ckg:city\n",
        2,
        ["Turtle syntax error"],
    ),
    ("turtle-unknown-concept.ttl", None, 1, ["ckg:goal", "must be a goal"]),
]

# --- scope: a submission describes only its own city ---------------------------------------------
# Tampere's submission (as citykg maps it) with statements about what is not Tampere's. Each file
# must be refused naming the subject of the statement (docs/security.md). Self-contained: the
# Turtle (IRIs relative to <base>id/) and JSON-LD are written out here.
_SCOPE_ID = BASE + "id/"
_SCOPE_TAMPERE = """@base <https://w3id.org/citykg/id/> .
@prefix ckg: <https://w3id.org/citykg/ontology#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<city/finland/tampere> a ckg:City ; schema:name "Tampere" ; ckg:country <country/finland> ;
    ckg:profile <profile/finland/tampere/2020> .
<country/finland> a ckg:Country ; schema:name "Finland" .
<profile/finland/tampere/2020> a ckg:CityProfile ; rdfs:label "Tampere, 2020 survey wave"@en ;
    ckg:city <city/finland/tampere> ; ckg:wave <survey/city-innovation/2020> ;
    ckg:goal <https://w3id.org/citykg/vocab/goal/improve-service-delivery> .
<survey/city-innovation> a ckg:Survey ;
    rdfs:label "OECD / Bloomberg Philanthropies city innovation capacity survey"@en .
<survey/city-innovation/2020> a ckg:SurveyWave ; ckg:survey <survey/city-innovation> ;
    ckg:year "2020"^^xsd:gYear .
"""


def _scope_ttl(extra: str) -> bytes:
    return (_SCOPE_TAMPERE + extra).encode()


def _scope_jsonld(extra: list[dict[str, Any]]) -> bytes:
    ckg, schema = "https://w3id.org/citykg/ontology#", "https://schema.org/"
    rdfs = "http://www.w3.org/2000/01/rdf-schema#"
    nodes: list[dict[str, Any]] = [
        {
            "id": _SCOPE_ID + "city/finland/tampere",
            "type": ckg + "City",
            schema + "name": "Tampere",
            ckg + "country": {"id": _SCOPE_ID + "country/finland"},
            ckg + "profile": {"id": _SCOPE_ID + "profile/finland/tampere/2020"},
        },
        {"id": _SCOPE_ID + "country/finland", "type": ckg + "Country", schema + "name": "Finland"},
        {
            "id": _SCOPE_ID + "profile/finland/tampere/2020",
            "type": ckg + "CityProfile",
            rdfs + "label": {"@value": "Tampere, 2020 survey wave", "@language": "en"},
            ckg + "city": {"id": _SCOPE_ID + "city/finland/tampere"},
            ckg + "wave": {"id": _SCOPE_ID + "survey/city-innovation/2020"},
            ckg + "goal": {"id": "https://w3id.org/citykg/vocab/goal/improve-service-delivery"},
        },
        {
            "id": _SCOPE_ID + "survey/city-innovation",
            "type": ckg + "Survey",
            rdfs + "label": {
                "@value": "OECD / Bloomberg Philanthropies city innovation capacity survey",
                "@language": "en",
            },
        },
        {
            "id": _SCOPE_ID + "survey/city-innovation/2020",
            "type": ckg + "SurveyWave",
            ckg + "survey": {"id": _SCOPE_ID + "survey/city-innovation"},
            ckg + "year": {"@value": "2020", "@type": "http://www.w3.org/2001/XMLSchema#gYear"},
        },
    ]
    document = {"@context": CONTEXT_IRI, "@graph": nodes + extra}
    return (json.dumps(document, indent=2, sort_keys=True) + "\n").encode()


_HELSINKI_PROFILE = _SCOPE_ID + "profile/finland/helsinki/2020"

BAD += [
    (  # an innovation officer for Helsinki's profile (submit accepted it)
        "scope-officer-for-another-city.ttl",
        _scope_ttl(
            "<profile/finland/helsinki/2020> ckg:innovationOfficer <person/finland/tampere/mallory> .\n"
            '<person/finland/tampere/mallory> a foaf:Person ; schema:name "Mallory" .\n'
        ),
        1,
        [f"<{_HELSINKI_PROFILE}> is not Tampere (Finland)'s to describe"],
    ),
    (  # a goal for Helsinki's profile, in JSON-LD
        "scope-goal-for-another-city.jsonld",
        _scope_jsonld(
            [
                {
                    "id": _HELSINKI_PROFILE,
                    "https://w3id.org/citykg/ontology#goal": {
                        "id": "https://w3id.org/citykg/vocab/goal/improve-resident-outcomes"
                    },
                }
            ]
        ),
        1,
        [f"<{_HELSINKI_PROFILE}> is not Tampere (Finland)'s to describe"],
    ),
    (  # a second name and a mayor for Helsinki (build accepted it)
        "scope-rename-another-city.ttl",
        _scope_ttl(
            '<city/finland/helsinki> schema:name "Tampere-Helsinki" .\n'
            "<profile/finland/helsinki/2020> ckg:mayor <person/finland/tampere/mallory> .\n"
        ),
        1,
        [f"<{_SCOPE_ID}city/finland/helsinki> is not Tampere (Finland)'s to describe", "schema:name"],
    ),
    (  # Stockholm's IRIs claimed first, so that Stockholm's own submission would be refused
        "scope-claim-another-city.ttl",
        _scope_ttl(
            '<city/sweden/stockholm> a ckg:City ; schema:name "Stockholm" ; '
            "ckg:country <country/sweden> .\n"
            '<country/sweden> a ckg:Country ; schema:name "Sweden" .\n'
        ),
        1,
        [f"<{_SCOPE_ID}city/sweden/stockholm> is not Tampere (Finland)'s to describe"],
    ),
    (  # a link from Tampere's city to Helsinki's profile (ckg:city is its inverse)
        "scope-link-to-another-city.ttl",
        _scope_ttl("<city/finland/tampere> ckg:profile <profile/finland/helsinki/2020> .\n"),
        1,
        [f"links to <{_HELSINKI_PROFILE}>"],
    ),
    (  # a second preferred label for a free-text answer every city shares
        "scope-relabel-shared-concept.ttl",
        _scope_ttl(
            "<profile/finland/tampere/2020> ckg:goal <concept/goal/help-develop-a-vibrant-economy> .\n"
            "<concept/goal/help-develop-a-vibrant-economy> a skos:Concept ; ckg:freeText true ;\n"
            "    ckg:proposedFor <https://w3id.org/citykg/vocab/goal> ;\n"
            '    skos:prefLabel "Help develop a vibrant economy"@en , "Our goal, not yours"@en .\n'
        ),
        1,
        [f"<{_SCOPE_ID}concept/goal/help-develop-a-vibrant-economy> is shared by every submission"],
    ),
    (  # another name for the country every Finnish city shares
        "scope-rename-shared-country.ttl",
        _scope_ttl('<country/finland> schema:alternateName "Tampereland" .\n'),
        1,
        [f"<{_SCOPE_ID}country/finland> is shared by every submission"],
    ),
    (  # a label for a concept of the survey's vocabulary
        "scope-relabel-vocabulary-concept.ttl",
        _scope_ttl('<https://w3id.org/citykg/vocab/goal/improve-service-delivery> skos:altLabel "ours" .\n'),
        1,
        ["vocab:goal/improve-service-delivery", "a submission may use it but not describe it"],
    ),
]
# --- end of scope --------------------------------------------------------------------------------


# ------------------------------------------------------------------ bad, issue 12: hostile input

J = b'{"city": {"name": "Tampere", "country": "Finland"}, "survey": {"wave": 2020}'
CSV = b"city.name,city.country,survey.wave"


def j(extra: bytes = b"") -> bytes:
    """A JSON submission: the minimal one with `extra` fields (`, "goals": [...]`)."""
    return J + extra + b"}\n"


def nested(opening: str, closing: str, depth: int) -> bytes:
    return (MINIMAL + "goals: " + opening * depth + "x" + closing * depth + "\n").encode()


LAUGHS = "".join(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]\n" for i in range(1, 10))

BAD += [
    # numbers Python will not convert, list indexes that would build a million items
    ("number-5000-digits.yaml", y("roles_count: " + "9" * 5000 + "\n"), 2, ["5,000 digits", ".yaml:3"]),
    ("number-5000-digits.json", j(b', "roles_count": ' + b"9" * 5000), 2, ["5,000 digits", ".json:1:"]),
    (
        "number-5000-digits.csv",
        CSV + b",roles_count\nTampere,Finland,2020," + b"9" * 5000 + b"\n",
        2,
        ["5,000 digits", "row 2, column 4"],
    ),
    (
        "wave-5000-digits.csv",
        CSV + b"\nTampere,Finland," + b"9" * 5000 + b"\n",
        2,
        ["5,000 digits", "column 3"],
    ),
    (
        "csv-huge-list-index.csv",
        CSV + b",teams[100000].staff\nTampere,Finland,2020,3\n",
        2,
        ["teams[100000].staff", "over the limit of 999", "column 4"],
    ),
    ("csv-group-and-field.csv", b"city," + CSV + b"\nX,Tampere,Finland,2020\n", 2, ["'city.name'", "'city'"]),
    (
        "csv-list-and-item.csv",
        CSV + b",goals,goals[0]\nTampere,Finland,2020,a,b\n",
        2,
        ["'goals[0]'", "'goals'"],
    ),
    (
        "csv-duplicate-column.csv",
        CSV + b",city.name\nTampere,Finland,2020,Turku\n",
        2,
        ["names a field twice"],
    ),
    ("csv-value-without-header.csv", CSV + b",\nTampere,Finland,2020,x\n", 2, ["no field name", "column 4"]),
    ("csv-header-only.csv", CSV + b"\n", 2, ["header but no rows"]),
    ("csv-empty.csv", b"", 2, ["CSV file is empty"]),
    ("csv-semicolon-header.csv", CSV.replace(b",", b";") + b"\nTampere;Finland;2020\n", 2, ["commas"]),
    (
        "csv-formula-in-number.csv",
        CSV + b",roles_count\nTampere,Finland,2020,=1+1\n",
        1,
        ["roles_count", "whole number"],
    ),
    ("csv-nul-byte.csv", CSV + b"\nTam\x00pere,Finland,2020\n", 2, ["NUL byte", "line 2"]),
    (
        "csv-latin1.csv",
        CSV + "\nJyväskylä,Finland,2020\n".encode("latin-1"),
        2,
        ["not valid UTF-8", "line 2"],
    ),
    ("csv-utf16.csv", (CSV + b"\nTampere,Finland,2020\n").decode().encode("utf-16"), 2, ["UTF-16"]),
    ("csv-unknown-group.csv", CSV + b",cty.name\nTampere,Finland,2020,x\n", 2, ["cty.name", "not a field"]),
    # encodings and odd bytes
    ("json-utf16-be.json", j().decode().encode("utf-16-be").join([b"\xfe\xff", b""]), 2, ["UTF-16"]),
    ("json-latin1.json", '{"city": {"name": "Jyväskylä"}}\n'.encode("latin-1"), 2, ["not valid UTF-8"]),
    ("json-nul-byte.json", j().replace(b"Tampere", b"Tam\x00pere"), 2, ["NUL byte"]),
    (
        "json-bom-twice.json",
        b"\xef\xbb\xbf\xef\xbb\xbf" + j(),
        2,
        ["JSON syntax error", "unexpected character"],
    ),
    ("json-bom-inside.json", j().replace(b'"survey"', b'\xef\xbb\xbf"survey"'), 2, ["JSON syntax error"]),
    ("yaml-bom-inside.yaml", MINIMAL.replace("survey", "\ufeffsurvey").encode() + b"x: [\n", 2, ["YAML"]),
    ("yaml-raw-control-char.yaml", y("roles: [Design\x07er]\n"), 2, ["#x0007", ".yaml:3"]),
    ("yaml-c1-control-char.yaml", y("roles: [\x93Designer\x94]\n"), 2, ["#x0093", ".yaml:3"]),
    ("yaml-cp1252-quotes.yaml", y("") + b"roles: [\x93Designer\x94]\n", 2, ["not valid UTF-8", "line 3"]),
    (
        "yaml-tab-indent.yaml",
        b"city:\n\tname: Tampere\n\tcountry: Finland\nsurvey: {wave: 2020}\n",
        2,
        ["YAML"],
    ),
    # depth and size
    ("yaml-deep-nesting.yaml", nested("[", "]", 5000), 2, ["nested more than 100 levels"]),
    (
        "yaml-deep-mappings.yaml",
        y("".join("  " * i + f"k{i}:\n" for i in range(150)) + "  " * 150 + "v\n"),
        2,
        ["nested more than 100 levels"],
    ),
    (
        "json-deep-nesting.json",
        j(b', "goals": ' + b"[" * 5000 + b"]" * 5000),
        2,
        ["nested more than 100 levels"],
    ),
    ("yaml-billion-laughs.yaml", y("l0: &l0 [lol]\n" + LAUGHS), 2, ["anchors"]),
    ("yaml-merge-key.yaml", y("base: &b {name: Lab}\nteams: [{<<: *b, staff: 3}]\n"), 2, ["anchors"]),
    ("yaml-binary-tag.yaml", y("roles: [!!binary aGVsbG8=]\n"), 2, ["tag", "!!binary"]),
    ("yaml-custom-tag.yaml", y("roles: [!shell rm -rf]\n"), 2, ["tag", "!shell"]),
    ("yaml-complex-key.yaml", y("? [a, b]\n: x\n"), 2, ["a key must be a plain name"]),
    ("yaml-second-doc-list.yaml", MINIMAL.encode() + b"---\n- Turku\n", 2, ["must be a mapping", ":4"]),
    ("huge-name.yaml", city(name="T" * 1_000_000), 1, ["city.name", "at most 200"]),
    (
        "huge-mayor.json",
        j(b', "teams": [{"name": "' + b"x" * 500_000 + b'"}]'),
        1,
        ["teams[0].name", "at most 200"],
    ),
    # JSON syntax
    (
        "json-raw-control-char.json",
        j().replace(b"Tampere", b"Tam\x01pere"),
        2,
        ["JSON syntax error", "control"],
    ),
    ("json-trailing-text.json", j() + b"{}\n", 2, ["unexpected text after the end"]),
    ("json-infinity.json", j(b', "roles_count": Infinity'), 2, ["Infinity"]),
    ("json-single-quotes.json", b"{'city': {}}\n", 2, ["expected a key in double quotes"]),
    ("json-comment.json", b"// Tampere\n" + j(), 2, ["JSON syntax error", ".json:1:1"]),
    ("json-empty-array.json", b"[]\n", 2, ["empty JSON list"]),
    ("json-empty.json", b"", 2, ["unexpected end of file"]),
    ("json-unclosed.json", J, 2, ["expected ',' or '}'"]),
    # wrong types in every kind of field
    ("json-true-for-name.json", j().replace(b'"Tampere"', b"true"), 1, ["city.name", "must be text"]),
    ("json-number-for-country.json", j().replace(b'"Finland"', b"358"), 1, ["city.country", "must be text"]),
    ("json-text-wave.json", j().replace(b"2020", b'"2020"'), 1, ["survey.wave", "whole number"]),
    ("json-object-for-goal.json", j(b', "goals": [{"name": "x"}]'), 1, ["goals[0]", "must be text"]),
    ("json-null-survey.json", j().replace(b'{"wave": 2020}', b"null"), 1, ["survey", "a group of fields"]),
    ("json-list-for-group.json", j(b', "funding": [true]'), 1, ["funding", "a group of fields"]),
    (
        "yaml-list-for-boolean.yaml",
        y("funding: {dedicated: [true]}\n"),
        1,
        ["funding.dedicated", "true or false"],
    ),
    ("yaml-boolean-for-count.yaml", y("roles_count: true\n"), 1, ["roles_count", "whole number"]),
    ("yaml-mapping-for-text.yaml", city(extra=", mayor: {first: Lauri}"), 1, ["city.mayor", "must be text"]),
    ("yaml-number-for-label.yaml", y("goals: [42]\n"), 1, ["goals[0]", "must be text"]),
    (
        "yaml-text-for-year.yaml",
        y("initiatives: [{name: A, targets: [{description: b, year: soon}]}]\n"),
        1,
        ["initiatives[0].targets[0].year", "whole number"],
    ),
    (
        "yaml-huge-float.yaml",
        y("teams: [{name: Lab, staff: 1e999}]\n"),
        1,
        ["teams[0].staff", "whole number"],
    ),
    ("yaml-null-list-item.yaml", y("roles: [~]\n"), 1, ["roles[0]", "must be text"]),
    ("yaml-unknown-nested-field.yaml", y("teams: [{name: Lab, budget: 5}]\n"), 1, ["unknown field 'budget'"]),
    (
        "name-bell-escape.json",
        j().replace(b"Tampere", b"Tam\\u0007pere"),
        1,
        ["city.name", "control character"],
    ),
    (
        "name-escape-newline.json",
        j().replace(b"Finland", b"Fin\\nland"),
        1,
        ["city.country", "control character"],
    ),
    # RDF: what the store could not hold, and what must not be fetched or followed
    ("turtle-iri-space-escape.ttl", None, 2, ["Turtle syntax error", "Invalid IRI code point", ".ttl:"]),
    ("turtle-long-language-subtag.ttl", None, 2, ["eight characters", ".ttl:"]),
    ("turtle-ill-typed-integer.ttl", None, 2, ["'x' is not a valid xsd:integer"]),
    ("turtle-ill-typed-year.ttl", None, 2, ["'twenty' is not a valid xsd:gYear"]),
    ("turtle-year-5000-digits.ttl", None, 2, ["not a valid xsd:integer"]),
    ("turtle-relative-iri.ttl", None, 2, ["Turtle syntax error", "absolute IRI", ".ttl:"]),
    ("turtle-syntax-reason.ttl", None, 2, ["Turtle syntax error", "is not a valid RDF object", ".ttl:"]),
    ("turtle-owl-imports.ttl", None, 1, ["owl:imports"]),
    ("turtle-file-iri.ttl", None, 1, ["file:///etc/passwd"]),
    ("turtle-file-base.ttl", None, 1, ["file:///etc/passwd"]),
    ("turtle-utf16.ttl", None, 2, ["UTF-16"]),
    ("turtle-nul-byte.ttl", None, 2, ["NUL byte"]),
    ("turtle-latin1.ttl", None, 2, ["not valid UTF-8"]),
    ("turtle-trig-graph.ttl", None, 2, ["Turtle syntax error"]),
    ("jsonld-bad-language.jsonld", None, 2, ["language tag is not valid", ".jsonld:"]),
    ("jsonld-type-object.jsonld", None, 2, ["not a term of citykg's context"]),
    ("jsonld-type-value-object.jsonld", None, 2, ['"@type" value must be']),
    ("jsonld-unknown-term.jsonld", None, 2, ["'budget' is not a term of citykg's context", ".jsonld:"]),
    ("jsonld-relative-id.jsonld", None, 2, ["relative IRI", "'tampere'", ".jsonld:"]),
    ("jsonld-iri-with-space.jsonld", None, 2, ["not a valid IRI", ".jsonld:"]),
    ("jsonld-ill-typed-value.jsonld", None, 2, ["is not a valid xsd:integer"]),
    ("jsonld-context-import.jsonld", None, 2, ["@context", "nothing was fetched"]),
    ("jsonld-context-list.jsonld", None, 2, ["@context"]),
    ("jsonld-owl-imports.jsonld", None, 1, ["owl:imports"]),
    ("jsonld-named-graph.jsonld", None, 2, ["must not name graphs"]),
    ("jsonld-number-300-digits.jsonld", None, 2, ["300 digits"]),
    ("jsonld-deep-nesting.jsonld", None, 2, ["nested more than 100 levels"]),
    ("jsonld-not-json.jsonld", None, 2, ["JSON syntax error"]),
]


def rdf_hostile() -> dict[str, bytes]:
    """RDF files of the hostile cases above (issue 12)."""
    import json as _json

    base = minimal_graph_turtle()
    city = f"<{BASE}id/city/finland/tampere>"
    owl = "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
    doc = _json.loads(minimal_jsonld())
    tampere = f"{BASE}id/city/finland/tampere"
    deep: list[Any] = []
    for _ in range(200):
        deep = [deep]

    def with_node(node: dict[str, Any], **top: Any) -> bytes:
        data = _json.loads(_json.dumps(doc))
        data["@graph"].append(node)
        data.update(top)
        return (_json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()

    return {
        "turtle-iri-space-escape.ttl": (
            base + f"{city} schema:url <https://www.tampere.fi/a\\u0020b> .\n"
        ).encode(),
        "turtle-long-language-subtag.ttl": base.replace('wave"@en', 'wave"@en-abcdefghijk').encode(),
        "turtle-ill-typed-integer.ttl": base.replace('"2020"^^xsd:gYear', '"x"^^xsd:integer').encode(),
        "turtle-ill-typed-year.ttl": base.replace('"2020"^^xsd:gYear', '"twenty"^^xsd:gYear').encode(),
        "turtle-year-5000-digits.ttl": base.replace(
            '"2020"^^xsd:gYear', '"' + "9" * 5000 + '"^^xsd:integer'
        ).encode(),
        "turtle-relative-iri.ttl": (base + '<tampere> schema:name "Tampere" .\n').encode(),
        "turtle-syntax-reason.ttl": (base + f"{city} schema:name .\n").encode(),
        "turtle-owl-imports.ttl": (
            owl + base + f"{city} owl:imports <https://example.org/evil.ttl> .\n"
        ).encode(),
        "turtle-file-iri.ttl": (base + f"{city} schema:url <file:///etc/passwd> .\n").encode(),
        "turtle-file-base.ttl": ("@base <file:///etc/> .\n" + base + '<passwd> schema:name "x" .\n').encode(),
        "turtle-utf16.ttl": base.encode("utf-16"),
        "turtle-nul-byte.ttl": base.replace("Tampere", "Tam\x00pere", 1).encode(),
        "turtle-latin1.ttl": base.replace('"Tampere"', '"Tämpere"').encode("latin-1"),
        "turtle-trig-graph.ttl": (base + f'<{BASE}graph/x> {{ {city} schema:name "x" . }}\n').encode(),
        "jsonld-bad-language.jsonld": with_node(
            {
                "id": tampere,
                "http://schema.org/alternateName": {"@value": "x", "@language": "not a language!"},
            }
        ),
        "jsonld-type-object.jsonld": with_node({"id": tampere, "@type": {"a": 1}}),
        "jsonld-type-value-object.jsonld": with_node({"id": tampere, "@type": {"@id": 1}}),
        "jsonld-unknown-term.jsonld": with_node({"id": tampere, "budget": 5}),
        "jsonld-relative-id.jsonld": with_node({"id": "tampere", "name": "Tampere"}),
        "jsonld-iri-with-space.jsonld": with_node(
            {"id": tampere, "website": {"@id": "https://www.tampere.fi/a b"}}
        ),
        "jsonld-ill-typed-value.jsonld": with_node({"id": tampere, "value": "x"}),
        "jsonld-context-import.jsonld": with_node(
            {}, **{"@context": [CONTEXT_IRI, {"@import": "https://example.org/ctx.jsonld"}]}
        ),
        "jsonld-context-list.jsonld": with_node({}, **{"@context": [CONTEXT_IRI, "https://example.org/x"]}),
        "jsonld-owl-imports.jsonld": with_node(
            {"id": tampere, "owl:imports": {"@id": "https://example.org/evil.ttl"}}
        ),
        "jsonld-named-graph.jsonld": with_node(
            {"id": f"{BASE}graph/x", "@graph": [{"id": tampere, "name": "x"}]}
        ),
        "jsonld-number-300-digits.jsonld": with_node({"id": tampere, "value": 0}).replace(
            b'"value": 0', b'"value": ' + b"9" * 300
        ),
        "jsonld-deep-nesting.jsonld": with_node({"id": tampere, "name": deep}),
        "jsonld-not-json.jsonld": base.encode(),
    }


def _yaml_data(data: bytes) -> Any:
    import yaml

    return yaml.safe_load(data)


def mapped_turtle(yaml_text: str) -> str:
    """A YAML submission as Turtle, as citykg maps it."""
    from citykg.mapping.document import map_document
    from citykg.model.vocabulary import load_vocabulary
    from citykg.rdf.iris import IRIs
    from citykg.sources.documents import read_yaml

    document = read_yaml(yaml_text, source="corpus")[0]
    mapped = map_document(document, vocabulary=load_vocabulary(), iris=IRIs())
    graph = mapped.facts
    for prefix, namespace in (
        ("ckg", "https://w3id.org/citykg/ontology#"),
        ("schema", "https://schema.org/"),
    ):
        graph.bind(prefix, namespace)
    text: str = graph.serialize(format="turtle")
    return text


def minimal_graph_turtle(extra: str = "") -> str:
    """The minimal submission as Turtle, as citykg maps it, plus `extra` statements."""
    return mapped_turtle(MINIMAL + "goals: [Improve service delivery]\n") + extra


def minimal_jsonld(context: Any = CONTEXT_IRI, extra_nodes: list[dict[str, Any]] | None = None) -> bytes:
    """The minimal submission as compact JSON-LD with the bundled context."""
    return jsonld_of(minimal_graph_turtle(), context, extra_nodes)


def jsonld_of(
    turtle: str, context: Any = CONTEXT_IRI, extra_nodes: list[dict[str, Any]] | None = None
) -> bytes:
    """A submission graph as compact JSON-LD with the bundled context."""
    from pyld import jsonld
    from rdflib import Graph

    from citykg.rdf.jsonld import document_loader
    from citykg.sources.rdf import bundled_context

    graph = Graph().parse(data=turtle, format="turtle")
    expanded = json.loads(graph.serialize(format="json-ld"))
    compact = jsonld.compact(expanded, bundled_context(), {"documentLoader": document_loader})
    compact["@context"] = context
    compact["@graph"].sort(key=lambda node: str(node.get("id")))  # the same bytes on every run
    if extra_nodes:
        compact["@graph"].extend(extra_nodes)
    return (json.dumps(compact, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()


def rdf_bad() -> dict[str, bytes]:
    from citykg.sources.rdf import bundled_context

    prefixes = (
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    )
    city = f"<{BASE}id/city/finland/tampere>"
    altered = json.loads(json.dumps(bundled_context()["@context"]))
    altered["mayor"] = {"@id": "http://www.w3.org/2002/07/owl#sameAs", "@type": "@id"}
    return {
        "jsonld-remote-context.jsonld": minimal_jsonld("https://example.org/context.jsonld"),
        "jsonld-file-context.jsonld": minimal_jsonld("file:///etc/passwd"),
        "jsonld-relative-context.jsonld": minimal_jsonld("../../../ontology/context.jsonld"),
        "jsonld-altered-inline-context.jsonld": minimal_jsonld(altered),
        "jsonld-nested-remote-context.jsonld": minimal_jsonld(
            CONTEXT_IRI,
            [{"@context": "https://example.org/other.jsonld", "id": f"{BASE}id/city/finland/tampere"}],
        ),
        "jsonld-sameas.jsonld": minimal_jsonld(
            CONTEXT_IRI,
            [
                {
                    "id": f"{BASE}id/city/finland/tampere",
                    "http://www.w3.org/2002/07/owl#sameAs": {"@id": "http://dbpedia.org/resource/Helsinki"},
                }
            ],
        ),
        "jsonld-lone-surrogate.jsonld": minimal_jsonld(CONTEXT_IRI).replace(
            b'"Tampere"', b'"Tam\\ud800pere"'
        ),
        "turtle-sameas.ttl": minimal_graph_turtle(
            prefixes + f"{city} owl:sameAs <http://dbpedia.org/resource/Helsinki> .\n"
        ).encode(),
        "turtle-redefine-city.ttl": minimal_graph_turtle(
            prefixes + "ckg:City rdfs:subClassOf ckg:Country .\n"
        ).encode(),
        "turtle-describe-ontology-term.ttl": minimal_graph_turtle(
            'ckg:mayor schema:name "the boss" .\n'
        ).encode(),
        "turtle-declare-class.ttl": minimal_graph_turtle(prefixes + f"{city} a owl:Class .\n").encode(),
        "turtle-blank-node.ttl": minimal_graph_turtle(f'{city} ckg:profile [ schema:name "x" ] .\n').encode(),
        "turtle-foreign-subject.ttl": minimal_graph_turtle(
            '<https://example.org/thing> schema:name "x" .\n'
        ).encode(),
        "turtle-other-iri.ttl": minimal_graph_turtle()
        .replace("id/city/finland/tampere", "id/city/finland/tampere-city")
        .encode(),
        "turtle-unknown-concept.ttl": minimal_graph_turtle()
        .replace("vocab/goal/improve-service-delivery", "vocab/goal/world-domination")
        .encode(),
    }


# ------------------------------------------------------------------ good: (file, bytes)


def good() -> dict[str, bytes]:
    helsinki = (ROOT / "data" / "submissions" / "helsinki-2020.yaml").read_bytes()
    bom = b"\xef\xbb\xbf"
    header = b"city.name,city.country,survey.wave"
    files = {
        "helsinki-2020.yaml": helsinki,
        "minimal.yaml": MINIMAL.encode(),
        "minimal.json": b'{"city": {"name": "Tampere", "country": "Finland"}, "survey": {"wave": 2020}}\n',
        "minimal.csv": header + b"\nTampere,Finland,2020\n",
        "bom.yaml": bom + MINIMAL.encode(),
        "bom.json": bom + b'{"city": {"name": "Tampere", "country": "Finland"}, "survey": {"wave": 2020}}\n',
        "bom.csv": bom + header + b"\nTampere,Finland,2020\n",
        "crlf.yaml": MINIMAL.replace("\n", "\r\n").encode(),
        "crlf.csv": header + b"\r\nTampere,Finland,2020\r\n",
        "helsinki-crlf.yaml": helsinki.replace(b"\n", b"\r\n"),
        "country-no.yaml": b"city: {name: Oslo, country: NO}\nsurvey: {wave: 2020}\n",
        "mayor-yes.yaml": b"city: {name: Yes, country: Off, mayor: On}\nsurvey: {wave: 2018}\n",
        "team-named-1230.yaml": y("teams: [{name: 12:30, led_by: 012, location: NO}]\n"),
        "wave-2018.yaml": b"city: {name: Durham, country: United States}\nsurvey: {wave: 2018}\n",
        "unicode-name.yaml": city(name="São Paulo", country="Brasil", extra=", mayor: Bruno Covas"),
        "cjk-name.yaml": "city: {name: 東京, country: 日本}\nsurvey: {wave: 2020}\n".encode(),
        "nfd-name.yaml": "city: {name: Zu\u0308rich, country: Schweiz}\nsurvey: {wave: 2020}\n".encode(),
        "apostrophe-and-quotes.yaml": b'city: {name: "\'s-Hertogenbosch", country: Netherlands,\n'
        b"  mayor: 'Jack \"the mayor\" Mikkers'}\nsurvey: {wave: 2020}\n",
        "angle-brackets-name.yaml": b'city: {name: "Foo> <script>alert(1)</script>", country: "<Nowhere>"}\n'
        b"survey: {wave: 2020}\n",
        "sparql-injection-name.yaml": b"city: {name: 'x\" } ; DROP ALL ; INSERT DATA { <a> <b> \"c',\n"
        b'  country: "Atlantis\\" . } #"}\nsurvey: {wave: 2020}\n',
        "iri-injection-mayor.json": b'{"city": {"name": "Tampere", "country": "Finland",\n'
        b' "mayor": "> <http://evil.example/x> \\"y\\" . <z"}, "survey": {"wave": 2020}}\n',
        "name-200-chars.yaml": city(name="T" + "a" * 193 + "mpere"),
        "name-only-punctuation.yaml": city(name='">>> <<<"'),  # no letters: its IRI gets a digest
        "free-text-goal.yaml": y("goals: [Become the sauna capital of the world]\n"),
        "alt-labels.yaml": y(
            "goals: [simplify administrative procedures for residents and firms]\n"
            "success_factors: [leadership from the mayor, 'Culture of Innovation in the City!']\n"
            "strategy: {approach: holistic/macro level}\n"
        ),
        "case-and-punctuation.yaml": y("success_factors: [DEDICATED FUNDING, 'dedicated innovation-team']\n"),
        "flow-style.yaml": b"{city: {name: Tampere, country: Finland}, survey: {wave: 2020}, goals: "
        b"[Improve service delivery]}\n",
        "comments.yaml": b"# Tampere's answers\ncity:\n  name: Tampere  # the city\n  country: Finland\n"
        b"survey:\n  wave: 2020  # the wave\n",
        "multi-doc.yaml": MINIMAL.encode()
        + b"---\ncity: {name: Turku, country: Finland}\nsurvey: {wave: 2020}\n",
        "json-array.json": b'[{"city": {"name": "Tampere", "country": "Finland"},'
        b' "survey": {"wave": 2020}},\n'
        b' {"city": {"name": "Turku", "country": "Finland"}, "survey": {"wave": 2020}}]\n',
        "csv-two-rows.csv": header + b"\nTampere,Finland,2020\nTurku,Finland,2018\n",
        "csv-multivalue.csv": header + b",goals,partnerships.data,success_factors\n"
        b"Tampere,Finland,2020,Improve service delivery; Improve resident outcomes,academia; think tanks,"
        b"Dedicated funding\n",
        "csv-tab.csv": header.replace(b",", b"\t") + b"\nTampere\tFinland\t2020\n",
        "csv-quoted-comma.csv": header + b',city.mayor\nTampere,Finland,2020,"Lyly, Lauri"\n',
        "staff-zero.yaml": y("teams: [{name: Lab, staff: 0}]\n"),
        "staff-range.yaml": y(
            "teams: [{name: Lab, staff_min: 4, staff_max: 6, sub_teams: 2, independent: true}]\n"
        ),
        "population-bounds.yaml": city(extra=", population: {value: 100000000, year: 1800}"),
        "empty-lists.yaml": y("goals: []\nteams: []\ninitiatives: []\n"),
        "multiline-description.yaml": y(
            "policy_areas:\n  - name: Health\n    description: |\n      First line.\n\n"
            "      Second paragraph with\ttab.\n"
        ),
        "emoji-description.yaml": y("initiatives: [{name: Sauna 🔥, description: Hot 🔥 and steamy.}]\n"),
        "partnership-details.yaml": y(
            "partnerships:\n  innovation_internal_only: false\n  innovation: [{partner: other cities, "
            "examples: [Horizon2020, Eurocities]}]\n  data: [{partner: regional institutions, includes: "
            "[hospitals, public transport agency]}]\n  data_purposes: [collect data]\n"
        ),
        "targets.yaml": y(
            "policy_areas: [{name: Environment and climate change, targets: [{description: carbon neutral, "
            "year: 2030}]}]\ninitiatives: [{name: Hiilineutraali Tampere, targets: [{description: half the "
            "emissions, year: 2025}]}]\n"
        ),
        "everything-else.yaml": y(
            "organisation: {dedicated_team: false, distributed: true}\nroles: [Designer, Data scientist]\n"
            "roles_count: 7\nterms: [Experimentation]\nactivities: [Engaging residents in new ways]\n"
            "funding: {dedicated: false, uses: [R&D labs]}\n"
        ),
        # the repaired twins of failure modes, and more spellings people use
        "yaml-boolean-false.yaml": y("funding: {dedicated: false}\n"),
        "yaml-boolean-capitalised.yaml": y("funding: {dedicated: True}\nstrategy: {explicit: FALSE}\n"),
        "population.yaml": city(extra=", population: {value: 250000, year: 2019}"),
        "population-year-2039.yaml": city(extra=", population: {value: 1, year: 2039}"),
        "target-year-2100.yaml": y(
            "initiatives: [{name: Hiilineutraali, targets: [{description: carbon neutral, year: 2100}]}]\n"
        ),
        "staff-100000.yaml": y("teams: [{name: Everyone, staff: 100000}]\n"),
        "typo-fixed-success-factor.yaml": y("success_factors: [Dedicated funding]\n"),
        "typo-fixed-goal.yaml": y("goals: [Improve service delivery]\n"),
        "typo-fixed-partner.yaml": y("partnerships: {data: [{partner: academia}]}\n"),
        "typo-fixed-approach.yaml": y("strategy: {approach: holistic}\n"),
        "utf8-accents.yaml": "city: {name: Jyväskylä, country: Suomi}\nsurvey: {wave: 2020}\n".encode(),
        "json-unicode-escapes.json": b'{"city": {"name": "Jyv\\u00e4skyl\\u00e4", "country": "Finland"},'
        b' "survey": {"wave": 2020}}\n',
        "json-whitespace.json": b'\n\n  {\n\t"city" :\n {"name" : "Tampere" ,\n "country":"Finland"} ,'
        b'\r\n "survey":{"wave":2020}\n}\n\n',
        "json-helsinki.json": json.dumps(_yaml_data(helsinki), indent=2, ensure_ascii=False).encode(),
        "hyphenated-names.yaml": city(name="Saint-Étienne", country="France", extra=", mayor: Gaël Perdriau"),
        "ampersand-name.yaml": city(name="Brighton & Hove", country="United Kingdom"),
        "parentheses-name.yaml": city(name="Frankfurt (Oder)", country="Germany"),
        "officers.yaml": city(extra=", innovation_officers: [Anna-Kaisa Ikonen, Lauri Lyly, Teppo Rantanen]"),
        "website.yaml": city(extra=", website: 'https://www.tampere.fi/en/innovation'"),
        "quoted-keys.yaml": b'"city": {"name": "Tampere", "country": "Finland"}\n"survey": {"wave": 2020}\n',
        "explicit-document-markers.yaml": b"---\n" + MINIMAL.encode() + b"...\n",
        "policy-area-ampersand.yaml": y("policy_areas: [{name: Environment & climate change}]\n"),
        "csv-thousands-separator.csv": header + b",city.population.value,city.population.year\n"
        b'Tampere,Finland,2020,"250,000",2019\n',
        "csv-booleans.csv": header
        + b",strategy.explicit,funding.dedicated\nTampere,Finland,2020,TRUE,false\n",
        "csv-empty-cells.csv": header + b",city.mayor,goals,funding.dedicated\nTampere,Finland,2020,,,\n",
        "csv-bom-crlf.csv": bom + header + b"\r\nTampere,Finland,2020\r\n",
        "turtle-helsinki.ttl": mapped_turtle(helsinki.decode()).encode(),
        "jsonld-helsinki.jsonld": jsonld_of(mapped_turtle(helsinki.decode())),
        "turtle.ttl": minimal_graph_turtle().encode(),
        "bom.ttl": bom + minimal_graph_turtle().encode(),
        "jsonld-context-iri.jsonld": minimal_jsonld(),
        "jsonld-inline-context.jsonld": minimal_jsonld(_inline_context()),
        "bom.jsonld": bom + minimal_jsonld(),
        "json-wave-with-fraction-zero.json": j().replace(b"2020", b"2020.0"),  # JSON Schema: an integer
    }
    # every accepted YAML variant, as citykg maps it, is accepted as a Turtle and a JSON-LD submission
    for name, data in list(files.items()):
        if name.endswith(".yaml") and not name.startswith("helsinki"):  # turtle-helsinki.ttl has those
            turtle = mapped_turtle(data.decode("utf-8-sig"))
            stem = name.removesuffix(".yaml")
            files[f"rdf-{stem}.ttl"] = turtle.encode()
            files[f"rdf-{stem}.jsonld"] = jsonld_of(turtle)
    return files


def _inline_context() -> Any:
    from citykg.sources.rdf import bundled_context

    return bundled_context()["@context"]


def main() -> None:
    rdf = rdf_bad() | rdf_hostile()
    for folder in (HERE / "bad", HERE / "good"):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    expected: dict[str, dict[str, Any]] = {}
    for name, data, code, words in BAD:
        (HERE / "bad" / name).write_bytes(data if data is not None else rdf[name])
        expected[name] = {"exit": code, "contains": words}
    for name, data in good().items():
        (HERE / "good" / name).write_bytes(data)
    lines = [
        "# For each file of tests/corpus/bad/: the exit code of `citykg validate FILE` and words its",
        "# output (stdout + stderr) must contain. Written by tests/corpus/make_corpus.py.",
    ]
    for name in sorted(expected):
        lines.append(f"{name}:")
        lines.append(f"  exit: {expected[name]['exit']}")
        lines.append("  contains:")
        lines.extend(f"    - {json.dumps(word, ensure_ascii=False)}" for word in expected[name]["contains"])
    (HERE / "expected.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
