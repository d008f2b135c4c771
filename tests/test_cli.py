"""The citykg command: output, messages and exit codes, as a user sees them."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import Result

Run = Callable[..., Result]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_validate_good_file_exits_0_and_shows_warnings(run_cli: Run, helsinki_path: Path) -> None:
    result = run_cli("validate", helsinki_path)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[-1] == f"{helsinki_path}: conforms (0 errors, 2 warnings)"
    assert f"{helsinki_path}:13:5: warning: goals[2]: 'Help develop a vibrant economy'" in lines[0]
    assert result.stderr == ""


def test_validate_nonconforming_file_exits_1_with_field_and_message(run_cli: Run, tmp_path: Path) -> None:
    path = write(
        tmp_path / "bad.yaml",
        "city: {name: Espoo, country: Finland}\nsurvey: {wave: 1999}\ngoals: [Improve service delivery]\n",
    )
    result = run_cli("validate", path)
    assert result.exit_code == 1
    assert f"{path}:2:16: error: survey.wave: '1999' must be 2018 or 2020" in result.stdout
    assert result.stdout.splitlines()[-1] == f"{path}: does not conform (1 errors, 0 warnings)"


def test_validate_malformed_file_exits_2_naming_file_and_line(run_cli: Run, tmp_path: Path) -> None:
    path = write(tmp_path / "dup.yaml", "city:\n  name: A\n  name: B\n")
    result = run_cli("validate", path)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"citykg: {path}:3: duplicate key 'name'")
    assert "hint:" in result.stderr


def test_validate_missing_file_exits_2(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli("validate", tmp_path / "nope.yaml")
    assert result.exit_code == 2
    assert "file not found" in result.stderr


def test_validate_json_output_parses(run_cli: Run, helsinki_path: Path, tmp_path: Path) -> None:
    bad = write(
        tmp_path / "bad.json",
        '{"city": {"name": "Espoo", "country": "Finland"}, "survey": {"wave": 1999},'
        ' "goals": ["Improve service delivery"]}',
    )
    result = run_cli("validate", "--format", "json", helsinki_path, bad)
    assert result.exit_code == 1
    reports = json.loads(result.stdout)
    assert [(r["source"], r["conforms"]) for r in reports] == [(str(helsinki_path), True), (str(bad), False)]
    (problem,) = reports[1]["problems"]
    assert problem["field"] == "survey.wave" and problem["severity"] == "error"
    assert problem["where"] == f"{bad}:1:70"


def test_build_then_query_finds_helsinki_for_hospitals(
    run_cli: Run, tmp_path: Path, project_root: Path
) -> None:
    store = tmp_path / "store"
    built = run_cli("build", project_root / "data" / "submissions", "--store", store)
    assert built.exit_code == 0
    assert built.stdout == ""
    submissions = len(list((project_root / "data" / "submissions").iterdir()))
    assert f"built {store}: {submissions} submission graphs" in built.stderr
    result = run_cli("query", "cities-with-data-partner", "-p", "partner=hospitals", "--store", store)
    assert result.exit_code == 0
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["city", "country", "wave", "partner", "partnerType"]
    expected = ["Helsinki", "Finland", "2020", "partner-type:hospitals"]
    assert any(line.split()[:4] == expected for line in lines[2:])
    as_json = run_cli(
        "query",
        "cities-with-data-partner",
        "-p",
        "partner=regional institutions",
        "-f",
        "json",
        "--store",
        store,
    )
    assert as_json.stderr == ""
    parsed = ox.parse_query_results(as_json.stdout.encode(), format=ox.QueryResultsFormat.JSON)
    assert isinstance(parsed, ox.QuerySolutions)
    assert "Helsinki" in {str(s["city"].value) for s in parsed}


def test_build_refused_exits_1_and_names_the_problem(run_cli: Run, tmp_path: Path) -> None:
    bad = write(
        tmp_path / "bad.yaml",
        "city: {name: Espoo, country: Finland}\nsurvey: {wave: 1999}\ngoals: [Improve service delivery]\n",
    )
    result = run_cli("build", bad, "--store", tmp_path / "store")
    assert result.exit_code == 1
    assert "survey.wave" in result.stderr and "the store was not changed" in result.stderr
    assert not (tmp_path / "store" / "CURRENT").exists()


def test_query_errors_exit_2_with_a_hint(run_cli: Run, built_store: Path) -> None:
    result = run_cli("query", "cities-with-data-partner", "-p", "partner=hospitls", "--store", built_store)
    assert result.exit_code == 2
    assert "did you mean 'hospitals'?" in result.stderr
    refused = run_cli(
        "query", "--sparql", "SELECT * FROM <http://x/> WHERE {?s ?p ?o}", "--store", built_store
    )
    assert (
        refused.exit_code == 2 and "FROM <http://x/> names a graph that is not in the store" in refused.stderr
    )
    both = run_cli("query", "dated-targets", "--sparql", "ASK {}", "--store", built_store)
    assert both.exit_code == 2 and "exactly one of" in both.stderr
    bad_param = run_cli("query", "dated-targets", "-p", "novalue", "--store", built_store)
    assert bad_param.exit_code == 2 and "NAME=VALUE" in bad_param.stderr


def test_queries_lists_the_catalog(run_cli: Run) -> None:
    result = run_cli("queries")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) >= 6
    assert (
        "cities-with-data-partner: Cities with a data partner of a given type  [-p partner=hospitals]"
        in lines
    )


def test_export_to_stdout_and_to_a_file(run_cli: Run, built_store: Path, tmp_path: Path) -> None:
    to_stdout = run_cli("export", "--store", built_store)
    assert to_stdout.exit_code == 0
    triples = list(ox.parse(to_stdout.stdout_bytes, format=ox.RdfFormat.TURTLE))
    assert len(triples) > 1000
    target = tmp_path / "graph.nq"
    to_file = run_cli("export", "-f", "nquads", "-o", target, "--store", built_store)
    assert to_file.exit_code == 0
    assert to_file.stdout == ""
    assert f"wrote {target}" in to_file.stderr
    quads = list(ox.parse(target.read_bytes(), format=ox.RdfFormat.N_QUADS))
    assert {q.triple for q in quads} == {t.triple for t in triples}


def test_missing_store_exits_2_with_a_hint(run_cli: Run, tmp_path: Path) -> None:
    for args in (["query", "dated-targets"], ["export"]):
        result = run_cli(*args, "--store", tmp_path / "none")
        assert result.exit_code == 2
        assert "no store here yet" in result.stderr
        assert "hint: build one first" in result.stderr


def test_internal_error_exits_70_asking_for_a_report(
    run_cli: Run, helsinki_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("unexpected state")

    monkeypatch.setattr("citykg.workflow.check.validate_paths", broken)
    result = run_cli("validate", helsinki_path)
    assert result.exit_code == 70
    assert "RuntimeError: unexpected state" in result.stderr
    assert "please report" in result.stderr


def test_usage_error_exits_2(run_cli: Run) -> None:
    result = run_cli("export", "-f", "rdfxml")
    assert result.exit_code == 2
    assert "Invalid value" in result.stderr


def test_python_dash_m_citykg_help(project_root: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "citykg", "--help"],
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(project_root / "src"), "PATH": ""},
    )
    assert done.returncode == 0
    assert "Exit codes" in done.stdout
    for command in ("validate", "build", "queries", "query", "export"):
        assert command in done.stdout


def test_store_that_is_a_file_exits_2(
    run_cli: Run, tmp_path: Path, helsinki_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    not_a_folder = tmp_path / "store"
    not_a_folder.write_text("notes\n", encoding="utf-8")
    monkeypatch.setenv("CITYKG_STORE", str(not_a_folder))
    result = run_cli("build", helsinki_path)
    assert result.exit_code == 2
    assert f"citykg: {not_a_folder}: is a file, not a store folder" in result.stderr
    assert not_a_folder.read_text(encoding="utf-8") == "notes\n"


def test_output_cut_short_by_a_pipe_is_not_reported_as_a_bug() -> None:
    """`citykg queries | head` may close the pipe early: no traceback, no 'please report'."""
    import subprocess
    import sys

    # `true` exits at once without reading, long before citykg (a second to start) writes
    command = f"{sys.executable} -m citykg queries | true; exit ${{PIPESTATUS[0]}}"
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True)
    assert "please report" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0
