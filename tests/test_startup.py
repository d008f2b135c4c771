"""Each `citykg` command loads only what it uses, so that it starts fast: `--version` and shell
completion load no RDF library at all, and the validator (pyshacl-turbo), the reasoner (owlrl), the
JSON-LD processor (PyLD) and rdflib's SPARQL engine load only in the commands that run them."""

from __future__ import annotations

import copy as copy_module
import datetime
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

#: what a command must not load unless it uses it (rdflib.plugins.sparql: the SPARQL engine)
HEAVY = (
    "pyshacl",
    "pyshacl_turbo",
    "owlrl",
    "pyld",
    "rdflib.plugins.sparql",
    "rdflib",
    "jsonschema",
    "starlette",
    "uvicorn",
)

# runs the command as the console script does, then prints what it loaded as the last line
_PROBE = """
import json, sys
import citykg.cli
heavy = json.loads(sys.argv.pop(1))
sys.argv = ["citykg", *sys.argv[1:]]
try:
    citykg.cli.main()
    code = 0
except SystemExit as exc:
    code = exc.code
loaded = sorted({h for h in heavy for m in sys.modules if m == h or m.startswith(h + ".")})
print(json.dumps([code, loaded]))
"""

COMMANDS = {
    "build",
    "export",
    "extract",
    "history",
    "publish",
    "queries",
    "query",
    "serve",
    "submit",
    "validate",
}


def run(*args: object, env: dict[str, str] | None = None) -> tuple[int, set[str], list[str]]:
    """The exit code of `citykg ARGS`, the heavy libraries it loaded, and its other output lines."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("_CITYKG", "COMP_"))}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(HEAVY), *map(str, args)],
        capture_output=True,
        text=True,
        check=True,
        env={**clean, **(env or {})},
    )
    *output, last = done.stdout.strip().splitlines()
    code, loaded = json.loads(last)
    return code, set(loaded), output


def test_version_loads_no_rdf_library() -> None:
    code, loaded, output = run("--version")
    assert code == 0
    assert output == ["citykg, version " + __import__("citykg").__version__]
    assert loaded == set(), f"`citykg --version` loaded {sorted(loaded)}"


def test_completion_lists_the_commands_without_loading_any_rdf_library() -> None:
    completion = {"_CITYKG_COMPLETE": "bash_complete", "COMP_WORDS": "citykg ", "COMP_CWORD": "1"}
    code, loaded, output = run(env=completion)
    assert code == 0
    assert loaded == set(), f"completion loaded {sorted(loaded)}"
    assert {line.split(",", 1)[1] for line in output} == COMMANDS


def test_validate_of_a_yaml_file_loads_no_reasoner_nor_json_ld(helsinki_path: Path) -> None:
    code, loaded, output = run("validate", helsinki_path)
    assert code == 0
    assert any("conforms" in line for line in output)
    assert "pyshacl_turbo" in loaded  # it does validate, with the SHACL engine in Rust
    assert "pyshacl" not in loaded  # pyshacl itself is only the tests' and benchmarks' reference
    assert not loaded & {"owlrl", "pyld"}, f"validate of YAML loaded {sorted(loaded & {'owlrl', 'pyld'})}"
    assert "jsonschema" not in loaded, "a conforming document needs no jsonschema to say so"


def test_validate_of_json_ld_loads_pyld_and_checks_it(project_root: Path) -> None:
    code, loaded, _ = run("validate", project_root / "tests" / "corpus" / "good" / "jsonld-helsinki.jsonld")
    assert code == 0
    assert "pyld" in loaded
    assert "owlrl" not in loaded


def test_submit_dry_run_loads_no_reasoner_nor_json_ld(store_copy: Path, helsinki_path: Path) -> None:
    before = sorted(p.relative_to(store_copy) for p in store_copy.rglob("*"))
    code, loaded, _ = run("submit", "--dry-run", helsinki_path, "--store", store_copy)
    assert code == 0
    assert not loaded & {"owlrl", "pyld"}, f"submit --dry-run loaded {sorted(loaded & {'owlrl', 'pyld'})}"
    assert sorted(p.relative_to(store_copy) for p in store_copy.rglob("*")) == before


def test_listing_the_queries_loads_no_validator_reasoner_nor_sparql_engine() -> None:
    code, loaded, output = run("queries")
    assert code == 0
    assert any("cities-with-data-partner" in line for line in output)
    assert not loaded & {"pyshacl", "pyshacl_turbo", "owlrl", "pyld", "rdflib.plugins.sparql"}, sorted(loaded)


def test_import_citykg_is_cheap_and_its_names_load_on_first_use() -> None:
    probe = (
        "import json, sys, citykg; before = sorted(m for m in sys.modules if m.startswith('citykg'));"
        f"store = citykg.Store; heavy = {HEAVY!r}; loaded = sorted(h for h in heavy if h in sys.modules);"
        "print(json.dumps([before, 'citykg.api' in sys.modules, loaded]))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    before, api_loaded, loaded = json.loads(done.stdout)
    assert before == ["citykg"]
    assert api_loaded
    assert not set(loaded) & {"pyshacl", "pyshacl_turbo", "owlrl", "pyld", "rdflib.plugins.sparql"}, loaded


def test_a_misshapen_file_is_still_explained_field_by_field(tmp_path: Path, helsinki_path: Path) -> None:
    data = yaml.safe_load(helsinki_path.read_text(encoding="utf-8"))
    data["city"]["population"]["year"] = "2019"  # text where the format wants a whole number
    data["teams"][0]["colour"] = "blue"  # a field the format does not have
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    code, loaded, output = run("validate", wrong)
    assert code == 1
    assert "jsonschema" in loaded
    text = "\n".join(output)
    assert "city.population.year" in text and "must be a whole number, not the text '2019'" in text
    assert "teams[0].colour" in text and "unknown field 'colour'" in text


# documents the quick structure check passes must be those jsonschema passes, and no others
_ODD_VALUES: list[object] = [
    None, True, 0, 1.0, 2019.5, "", "x", [], ["a"], [1], {}, {"a": 1}, datetime.date(2020, 1, 1),
]  # fmt: skip


def _variants(data: object, path: tuple[object, ...] = ()) -> Iterator[tuple[object, ...]]:
    """Every place in `data` (the paths of its values, dict keys and list items)."""
    yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _variants(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _variants(value, (*path, index))


def _with(data: object, path: tuple[object, ...], value: object) -> object:
    if not path:
        return value
    copy = copy_module.deepcopy(data)
    inner: Any = copy
    for step in path[:-1]:
        inner = inner[step]
    inner[path[-1]] = value
    return copy


def test_the_quick_structure_check_agrees_with_json_schema(helsinki_path: Path) -> None:
    import jsonschema

    from citykg.model.schema import _certainly_valid, submission_schema

    schema = submission_schema()
    validator = jsonschema.Draft202012Validator(schema)
    data = yaml.safe_load(helsinki_path.read_text(encoding="utf-8"))
    assert _certainly_valid(schema, data) and validator.is_valid(data)
    checked = passed = 0
    for path in _variants(data):
        for value in _ODD_VALUES:
            variant = _with(data, path, value)
            quick = _certainly_valid(schema, variant)
            assert not quick or validator.is_valid(variant), (path, value)
            checked += 1
            passed += quick
        extra = _with(data, (*path, "unknown"), "x") if isinstance(_get(data, path), dict) else None
        if extra is not None:
            assert not _certainly_valid(schema, extra) and not validator.is_valid(extra), path
    assert checked > 1000 and passed > 50  # it does pass documents, not only refuse them


def _get(data: object, path: tuple[object, ...]) -> object:
    inner: Any = data
    for step in path:
        inner = inner[step]
    return inner
