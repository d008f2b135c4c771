"""YAML and JSON readers: values keep their line, no implicit coercion, clear refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citykg.errors import InputError
from citykg.rdf.formats import InputFormat
from citykg.sources import read_documents, read_file
from citykg.sources.common import MAX_INPUT_BYTES
from citykg.sources.documents import MAX_DEPTH, read_json, read_yaml
from citykg.validation.shacl import validate_document

# ------------------------------------------------------------------ YAML


def yaml_one(text: str) -> dict[str, object]:
    documents = read_yaml(text, source="city.yaml")
    assert len(documents) == 1
    return documents[0].data


def test_yaml_values_keep_their_line_and_column(helsinki_path: Path) -> None:
    (document,) = read_file(helsinki_path)
    lines = helsinki_path.read_text(encoding="utf-8").splitlines()
    for path, expected in [
        ("city.mayor", "Jan Vapaavuori"),
        ("city.population.value", "653867"),
        ("teams[1].staff", "20"),
        ("partnerships.data[1].includes[0]", "hospitals"),
    ]:
        origin = document.document.origins[path]
        assert origin.text == expected
        assert origin.line is not None and origin.column is not None
        line = lines[origin.line - 1]
        assert line[origin.column - 1 :].startswith(expected), (path, line)


def test_yaml_origin_of_mayor_is_line_six(helsinki_path: Path) -> None:
    (submission,) = read_file(helsinki_path)
    assert submission.document.describe("city.mayor") == f"{helsinki_path}:6:10"


def test_yaml_duplicate_key_names_file_and_line() -> None:
    text = "city:\n  name: Helsinki\n  country: Finland\n  name: Espoo\n"
    with pytest.raises(InputError) as caught:
        read_yaml(text, source="dup.yaml")
    assert caught.value.where == "dup.yaml:4"
    assert "duplicate key 'name'" in caught.value.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NO", "NO"),  # Norway, not false
        ("no", "no"),
        ("yes", "yes"),
        ("Yes", "Yes"),
        ("on", "on"),
        ("off", "off"),
        ("012", "012"),  # not octal, not 12
        ("12:30", "12:30"),  # not sexagesimal 750
        ("1.5", "1.5"),
        ("1e3", "1e3"),
        (".inf", ".inf"),
        ("0x10", "0x10"),
        ("1_000", "1_000"),
        ("2020-01-01", "2020-01-01"),  # not a date object
        ("'true'", "true"),
        ('"25"', "25"),
        ("true", True),
        ("false", False),
        ("True", True),
        ("25", 25),
        ("-3", -3),
        ("~", None),
        ("null", None),
    ],
)
def test_yaml_has_no_implicit_coercion(text: str, expected: object) -> None:
    value = yaml_one(f"value: {text}\n")["value"]
    assert value == expected
    assert type(value) is type(expected)


def test_yaml_country_no_stays_text() -> None:
    data = yaml_one("city: {name: Oslo, country: NO}\n")
    assert data["city"] == {"name": "Oslo", "country": "NO"}


@pytest.mark.parametrize(
    "text",
    [
        "value: !!python/object:os.system echo\n",
        "value: !custom x\n",
        "value: !!binary aGVsbG8=\n",
        "value: !!str 12\n",  # an explicit tag would otherwise be silently ignored
        "value: !!int 25\n",
        "value: !!set {a, b}\n",
    ],
)
def test_yaml_tags_are_refused(text: str) -> None:
    with pytest.raises(InputError) as caught:
        read_yaml(text, source="tagged.yaml")
    assert "tag" in caught.value.message
    assert caught.value.where == "tagged.yaml:1"


@pytest.mark.parametrize(
    "text",
    [
        "a: &x Helsinki\nb: *x\n",
        "base: &b {name: x}\nother:\n  <<: *b\n",
    ],
)
def test_yaml_anchors_and_aliases_are_refused(text: str) -> None:
    with pytest.raises(InputError) as caught:
        read_yaml(text, source="alias.yaml")
    assert "anchors and aliases" in caught.value.message
    assert caught.value.where == "alias.yaml:1"


def test_yaml_several_documents_each_with_their_own_lines() -> None:
    text = "city: {name: A}\n---\ncity: {name: B}\n---\n"
    first, second = read_yaml(text, source="two.yaml")
    assert first.data == {"city": {"name": "A"}}
    assert second.data == {"city": {"name": "B"}}
    assert second.origins["city.name"].line == 3


def test_yaml_empty_file_is_refused() -> None:
    with pytest.raises(InputError, match="holds no submission"):
        read_yaml("# only a comment\n", source="empty.yaml")


def test_yaml_document_that_is_not_a_mapping_is_refused() -> None:
    with pytest.raises(InputError, match="must be a mapping") as caught:
        read_yaml("- Helsinki\n- Espoo\n", source="list.yaml")
    assert caught.value.where == "list.yaml:1"


def test_yaml_syntax_error_names_the_line() -> None:
    with pytest.raises(InputError, match="YAML syntax error") as caught:
        read_yaml("city:\n  name: Helsinki\n  country: [Finland\nsurvey: 1\n", source="bad.yaml")
    assert caught.value.where is not None and caught.value.where.startswith("bad.yaml:")


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5000])
def test_yaml_deep_nesting_is_refused_not_a_crash(depth: int) -> None:
    with pytest.raises(InputError, match="nested more than"):
        read_yaml("a: " + "[" * depth + "]" * depth + "\n", source="deep.yaml")
    nested_ok = "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    assert read_yaml(nested_ok, source="ok.yaml")


def test_yaml_complex_keys_are_refused() -> None:
    with pytest.raises(InputError, match="plain name"):
        read_yaml("? [a, b]\n: 1\n", source="key.yaml")


# ------------------------------------------------------------------ JSON


def test_json_values_keep_line_and_column() -> None:
    text = '{\n  "city": {\n    "name": "Helsinki",\n    "population": {"value": 653867}\n  }\n}\n'
    (document,) = read_json(text, source="h.json")
    assert document.data == {"city": {"name": "Helsinki", "population": {"value": 653867}}}
    name = document.origins["city.name"]
    assert (name.line, name.column, name.text) == (3, 13, "Helsinki")
    value = document.origins["city.population.value"]
    assert (value.line, value.column, value.text) == (4, 29, "653867")
    assert document.describe("city.population.value") == "h.json:4:29"


def test_json_array_of_submissions_has_paths_relative_to_each() -> None:
    text = '[\n {"city": {"name": "A"}},\n {"city": {"name": "B"}}\n]'
    first, second = read_json(text, source="many.json")
    assert second.data == {"city": {"name": "B"}}
    assert second.origins["city.name"].line == 3
    assert "city.name" in first.origins and first.origins["city.name"].line == 2


def test_json_empty_array_is_refused() -> None:
    with pytest.raises(InputError, match="holds no submission"):
        read_json("[]", source="empty.json")


def test_json_duplicate_key_names_line_and_column_of_the_key() -> None:
    with pytest.raises(InputError, match="duplicate key 'name'") as caught:
        read_json('{"city": {"name": "A",\n  "name": "B"}}', source="dup.json")
    assert caught.value.where == "dup.json:2:3"


@pytest.mark.parametrize("word", ["NaN", "Infinity", "-Infinity"])
def test_json_nan_and_infinity_are_refused(word: str) -> None:
    with pytest.raises(InputError, match=f"{word} is not a number") as caught:
        read_json('{"city": {"population": {"value": ' + word + "}}}", source="n.json")
    assert caught.value.where == "n.json:1:35"


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ('{"a": 1} x', "t.json:1:10", "unexpected text after the end"),
        ('{"a": 1}\n{"b": 2}', "t.json:2:1", "unexpected text after the end"),
        ('{"a": 1,}', "t.json:1:9", "expected a key"),
        ("{'a': 1}", "t.json:1:2", "expected a key"),
        ('{"a": 1', "t.json:1:8", "expected ','"),
        ('{"a": tru}', "t.json:1:7", "unexpected character"),
        ('{"a": "line\nbreak"}', "t.json:1:12", "Invalid control character"),
        ("", "t.json:1:1", "unexpected end of file"),
    ],
)
def test_json_syntax_errors_name_line_and_column(text: str, where: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        read_json(text, source="t.json")
    assert caught.value.where == where
    assert message in caught.value.message


def test_json_deep_nesting_is_refused_not_a_crash() -> None:
    depth = 10000
    with pytest.raises(InputError, match="nested more than"):
        read_json('{"a": ' + "[" * depth + "]" * depth + "}", source="deep.json")


def test_json_top_level_must_be_an_object() -> None:
    with pytest.raises(InputError, match="must be a JSON object"):
        read_json('"Helsinki"', source="s.json")


# ------------------------------------------------------------------ decoding and size


def test_utf8_bom_is_accepted_and_lines_unchanged() -> None:
    data = "\ufeffcity: {name: Zürich}\nsurvey: {wave: 2020}\n".encode()
    (document,) = read_documents(data, source="bom.yaml", fmt=InputFormat.YAML)
    assert document.data["city"] == {"name": "Zürich"}
    assert document.origins["survey.wave"].line == 2


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_refused_with_advice(encoding: str) -> None:
    data = "city: {name: Helsinki}\n".encode(encoding)
    with pytest.raises(InputError) as caught:
        read_documents(data, source="u16.yaml", fmt=InputFormat.YAML)
    assert caught.value.where == "u16.yaml"
    assert caught.value.hint is not None and "UTF-8" in caught.value.hint


def test_latin1_is_refused_with_the_line() -> None:
    data = "city:\n  name: Zürich\n".encode("latin-1")
    with pytest.raises(InputError, match=r"not valid UTF-8 at byte offset .* \(line 2\)") as caught:
        read_documents(data, source="l1.yaml", fmt=InputFormat.YAML)
    assert caught.value.hint is not None and "Latin-1" in caught.value.hint


def test_nul_byte_is_refused_with_the_line() -> None:
    data = b"city:\n  name: Hel\x00sinki\n"
    with pytest.raises(InputError, match=r"NUL byte at byte offset .* \(line 2\)"):
        read_documents(data, source="nul.json", fmt=InputFormat.JSON)


def test_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(MAX_INPUT_BYTES + 1)
    with pytest.raises(InputError, match="over the limit") as caught:
        read_file(path)
    assert caught.value.where == str(path)


def test_file_at_the_size_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    head = b'{"city": {"name": "Helsinki"}}'
    path.write_bytes(head + b" " * (MAX_INPUT_BYTES - len(head)))
    (submission,) = read_file(path)
    assert submission.document.data == {"city": {"name": "Helsinki"}}


def test_missing_file_and_folder_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        read_file(tmp_path / "nope.yaml")
    with pytest.raises(InputError, match="not a regular file"):
        read_file(tmp_path)


def test_unknown_extension_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "city.xlsx"
    path.write_bytes(b"x")
    with pytest.raises(InputError, match="cannot tell the format"):
        read_file(path)


# ------------------------------------------------------------------ no input crashes the readers

_PIECES = st.sampled_from(
    ["city", "name", ":", " ", "\n", "  ", "- ", "[", "]", "{", "}", ",", "'", '"', "#", "&a", "*a", "!!",
     "---", "?", "|", ">", "\t", "city.name", "goals", ";", "teams[0].staff", "survey.wave", "2020",
     "\ufeff", "é", "\r\n", "%YAML 1.1", "<<", "...", "\x85", "\u2028", "\\u0000", "NaN", "1e400"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(_PIECES, max_size=30).map("".join) | st.text(max_size=60),
    fmt=st.sampled_from([InputFormat.YAML, InputFormat.JSON, InputFormat.CSV]),
)
def test_any_text_is_read_or_refused_with_an_input_error(text: str, fmt: InputFormat) -> None:
    try:
        documents = read_documents(text.encode("utf-8", "surrogatepass"), source="f", fmt=fmt)
    except InputError as error:
        assert error.where is not None and error.where.startswith("f")
        return
    for document in documents:
        report, _ = validate_document(document)
        assert all(p.where for p in report.problems)
