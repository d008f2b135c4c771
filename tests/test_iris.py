"""IRI minting: stable, unique per natural key, always a valid IRI, for any Unicode name."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citykg.rdf.iris import MAX_SLUG, IRIs, slug

names = st.text(min_size=0, max_size=120)
iris = IRIs()
# what RFC 3987 forbids in an IRI: spaces, controls, and these delimiters
_INVALID = re.compile(r'[\s<>"{}|\\^`\x00-\x1f\x7f-\x9f]')

properties = settings(max_examples=150, deadline=None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cape Town", "cape-town"),
        ("Zürich", "zurich"),
        ("São Paulo", "sao-paulo"),
        ("Saint-Étienne", "saint-etienne"),
        ("  Helsinki  ", "helsinki"),
        ("Mayor's Office", "mayor-s-office"),
        ("R&D labs", "r-and-d-labs"),
        ("Straße", "strasse"),
        ("東京", "東京"),  # non-Latin letters stay
        ("Ｔｏｋｙｏ", "tokyo"),  # full-width folded
        ("", ""),
        ("!!!", ""),
    ],
)
def test_slug_examples(text: str, expected: str) -> None:
    assert slug(text) == expected


def test_long_names_are_cut_with_a_digest() -> None:
    first = slug("Very long initiative name " * 10 + "one")
    second = slug("Very long initiative name " * 10 + "two")
    assert len(first) <= MAX_SLUG and len(second) <= MAX_SLUG
    assert first.startswith("very-long-initiative-name-very-long")
    assert first != second
    assert re.fullmatch(r".*-[0-9a-f]{8}", first)


def test_city_iri_example() -> None:
    assert (
        str(iris.city("Cape Town", "South Africa"))
        == "https://w3id.org/citykg/id/city/south-africa/cape-town"
    )
    assert str(IRIs("http://example.org/kg/").city("Zürich", "Switzerland")) == (
        "http://example.org/kg/id/city/switzerland/zurich"
    )


@pytest.mark.parametrize("base", ["ftp://x/", "https://x", "https://a b/", "https://x/<y>/", "x"])
def test_bad_base_is_refused(base: str) -> None:
    with pytest.raises(ValueError, match="base IRI"):
        IRIs(base)


def assert_valid_iri(iri: str) -> None:
    assert iri.startswith("https://w3id.org/citykg/")
    assert not _INVALID.search(iri), iri
    assert "//" not in iri.removeprefix("https://"), iri
    assert not iri.endswith("/"), iri
    ox.NamedNode(iri)  # pyoxigraph refuses invalid IRIs
    ox.parse(f"<{iri}> <{iri}> <{iri}> .", format=ox.RdfFormat.N_TRIPLES)


@properties
@given(name=names, country=names, wave=st.integers(min_value=1, max_value=9999))
def test_iris_are_valid_for_any_unicode_name(name: str, country: str, wave: int) -> None:
    profile = iris.profile(name, country, wave)
    for iri in [
        iris.city(name, country),
        iris.country(country),
        iris.person(name, name, country),
        profile,
        iris.graph(name, country, wave),
        iris.initiative(name, name, country),
        iris.free_concept("goal", name),
        iris.child(profile, "team", name),
        iris.population(name, country, wave),
    ]:
        assert_valid_iri(str(iri))


@properties
@given(name=names, country=names)
def test_iris_are_stable(name: str, country: str) -> None:
    assert iris.city(name, country) == IRIs().city(str(name), str(country))
    assert iris.child(iris.profile(name, country, 2020), "team", name) == iris.child(
        IRIs().profile(name, country, 2020), "team", name
    )


@properties
@given(a=names, b=names, country=names)
def test_distinct_names_get_distinct_iris(a: str, b: str, country: str) -> None:
    same_key = slug(a) == slug(b) and (slug(a) != "" or a == b)
    assert (iris.city(a, country) == iris.city(b, country)) == same_key
    assert (iris.free_concept("goal", a) == iris.free_concept("goal", b)) == same_key
    profile = iris.profile("Helsinki", "Finland", 2020)
    assert (iris.child(profile, "team", a) == iris.child(profile, "team", b)) == same_key


@properties
@given(a=st.tuples(names, names), b=st.tuples(names, names))
def test_city_and_country_together_make_the_key(a: tuple[str, str], b: tuple[str, str]) -> None:
    if iris.city(*a) == iris.city(*b):
        assert iris.country(a[1]) == iris.country(b[1])
        assert iris.city(a[0], "x") == iris.city(b[0], "x")


def test_names_with_nothing_usable_do_not_collide() -> None:
    assert iris.city("!!!", "Finland") != iris.city("???", "Finland")
    assert iris.city("!!!", "Finland") == iris.city("!!!", "Finland")


def test_spelling_variants_share_an_iri() -> None:
    assert iris.city("Zürich", "Switzerland") == iris.city("ZURICH", "switzerland")
    assert iris.city("Saint Louis", "United States") == iris.city("Saint-Louis", "United States")
