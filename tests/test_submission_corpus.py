"""The submission corpus: every bad file fails with its exit code and a message naming the
field; every good variant is accepted. Run through the CLI as a user would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from rdflib import Graph, Literal

from _submit_support import CORPUS
from citykg.cli import cli
from citykg.rdf.terms import SH
from citykg.sources.common import MAX_INPUT_BYTES

EXPECTED: dict[str, dict[str, object]] = yaml.safe_load((CORPUS / "expected.yaml").read_text("utf-8"))
BAD = sorted((CORPUS / "bad").iterdir())
GOOD = sorted((CORPUS / "good").iterdir())


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code != 70, result.output
    return result.exit_code, result.stdout + result.stderr


def test_corpus_is_large_and_fully_described() -> None:
    assert len(BAD) >= 120
    assert len(GOOD) >= len(BAD)  # as many valid variants as failure modes
    assert sorted(p.name for p in BAD) == sorted(EXPECTED)


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_bad_submission_fails_with_its_exit_code_and_names_the_field(path: Path) -> None:
    expected = EXPECTED[path.name]
    code, output = run("validate", str(path))
    assert code == expected["exit"], output
    for words in expected["contains"]:  # type: ignore[attr-defined]
        assert words in output, f"{words!r} not in:\n{output}"
    assert path.name in output  # the message names the file


@pytest.mark.parametrize("path", [p for p in BAD if EXPECTED[p.name]["exit"] == 2], ids=lambda p: p.name)
def test_submit_refuses_an_unreadable_file_as_validate_does(path: Path, tmp_path: Path) -> None:
    code, output = run("submit", "--dry-run", "--store", str(tmp_path / "store"), str(path))
    assert code == 2, output
    assert path.name in output and str(EXPECTED[path.name]["contains"][0]) in output  # type: ignore[index]
    assert not (tmp_path / "store").exists()


@pytest.mark.slow  # a store per file
@pytest.mark.parametrize(
    "path",
    [p for p in GOOD if p.suffix in (".ttl", ".jsonld") and not p.name.startswith("rdf-")],
    ids=lambda p: p.name,
)
def test_good_rdf_variant_is_committed_by_submit(path: Path, tmp_path: Path) -> None:
    code, output = run("submit", "--store", str(tmp_path / "store"), str(path))
    assert code == 0, output
    assert "committed" in output


@pytest.mark.slow  # the whole good corpus
@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_good_variant_is_accepted(path: Path) -> None:
    code, output = run("validate", str(path))
    assert code == 0, output
    assert "conforms" in output and "does not conform" not in output


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(
        b"city: {name: Tampere, country: Finland}\nsurvey: {wave: 2020}\n#" + b"x" * MAX_INPUT_BYTES
    )
    code, output = run("validate", str(big))
    assert code == 2
    assert "over the limit of 5,242,880 bytes" in output and "big.yaml" in output


def test_exactly_at_the_size_limit_is_read(tmp_path: Path) -> None:
    head = b"city: {name: Tampere, country: Finland}\nsurvey: {wave: 2020}\n#"
    at_limit = tmp_path / "limit.yaml"
    at_limit.write_bytes(head + b"x" * (MAX_INPUT_BYTES - len(head)))
    assert run("validate", str(at_limit))[0] == 0


def test_json_report_gives_line_field_value_message_and_suggestion() -> None:
    code, output = run("validate", "-f", "json", str(CORPUS / "bad" / "typo-success-factor.yaml"))
    assert code == 1
    [report] = json.loads(output)
    [problem] = [p for p in report["problems"] if p["severity"] == "error"]
    assert problem == {
        "severity": "error",
        "where": str(CORPUS / "bad" / "typo-success-factor.yaml") + ":3:19",
        "field": "success_factors[0]",
        "value": "Dedicated fundng",
        "message": "is not a label of the success factor list but is close to one",
        "suggestion": "Dedicated funding",
    }
    assert report["conforms"] is False


def _shacl(output: str) -> Graph:
    return Graph().parse(data=output, format="turtle")


def test_turtle_report_for_a_structure_error_is_a_shacl_report() -> None:
    # SHACL never runs on this file (the structure is wrong); the report still lists the problem
    code, output = run("validate", "-f", "turtle", str(CORPUS / "bad" / "list-for-string.yaml"))
    assert code == 1
    graph = _shacl(output)
    [report] = graph.subjects(SH.conforms, Literal(False))
    [result] = graph.objects(report, SH.result)
    assert str(graph.value(result, SH.resultPath)).endswith("city.mayor")
    assert graph.value(result, SH.resultSeverity) == SH.Violation
    assert "must be text" in str(graph.value(result, SH.resultMessage))


def test_turtle_report_keeps_shacl_results_and_adds_label_typos() -> None:
    code, output = run("validate", "-f", "turtle", str(CORPUS / "bad" / "typo-goal.yaml"))
    assert code == 1
    graph = _shacl(output)
    messages = [str(m) for m in graph.objects(None, SH.resultMessage)]
    assert any("did you mean 'Improve service delivery'?" in m for m in messages)
    [report] = graph.subjects(SH.conforms, None)
    assert graph.value(report, SH.conforms) == Literal(False)


def test_turtle_report_of_a_conforming_file_conforms() -> None:
    code, output = run("validate", "-f", "turtle", str(CORPUS / "good" / "helsinki-2020.yaml"))
    assert code == 0
    graph = _shacl(output)
    assert Literal(True) in set(graph.objects(None, SH.conforms))
    severities = set(graph.objects(None, SH.resultSeverity))
    assert severities == {SH.Warning}  # the free-text answers, no violation


def test_bom_alone_is_accepted_and_does_not_reach_the_data() -> None:
    code, output = run("validate", "-f", "json", str(CORPUS / "good" / "bom.csv"))
    assert code == 0
    assert "\ufeff" not in output


def test_country_no_stays_the_text_no() -> None:
    from citykg.sources import read_file

    [submission] = read_file(CORPUS / "good" / "country-no.yaml")
    assert submission.document.data["city"]["country"] == "NO"
    [trap] = read_file(CORPUS / "good" / "team-named-1230.yaml")
    assert trap.document.data["teams"] == [{"name": "12:30", "led_by": "012", "location": "NO"}]
