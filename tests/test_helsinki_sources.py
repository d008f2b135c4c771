"""The founding example: Helsinki's profile page and its hand-written submission give one graph."""

from __future__ import annotations

from pathlib import Path

from rdflib.compare import isomorphic

from citykg.queries.run import answer
from citykg.rdf.iris import IRIs
from citykg.sources import read_file
from citykg.workflow.build import build
from citykg.workflow.check import check

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "data" / "profiles" / "helsinki.txt"
YAML = ROOT / "data" / "submissions" / "helsinki-2020.yaml"


def _facts(path: Path):  # type: ignore[no-untyped-def]
    [checked] = check(read_file(path), iris=IRIs())
    assert checked.report.conforms, [p.render() for p in checked.report.problems]
    assert checked.mapped is not None
    return checked.mapped


def test_page_and_submission_map_to_the_same_graph() -> None:
    page, submission = _facts(PAGE), _facts(YAML)
    assert page.graph_iri == submission.graph_iri
    assert len(page.facts) > 100
    assert isomorphic(page.facts, submission.facts)


def test_building_both_sources_merges_them_and_says_so(tmp_path: Path) -> None:
    result = build([PAGE, YAML], store_path=tmp_path / "store")
    assert len(result.graphs) == 1
    assert any("same facts" in action and "merged" in action for action in result.actions)


def test_each_fact_of_the_page_traces_back_to_its_line(tmp_path: Path) -> None:
    store = tmp_path / "store"
    build([PAGE], store_path=store)
    result = answer(
        store,
        sparql="""
        PREFIX ckg: <https://w3id.org/citykg/ontology#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        PREFIX schema: <https://schema.org/>
        SELECT ?line ?text ?field WHERE {
          ?profile ckg:mayor ?mayor .
          GRAPH ?g {  # evidence records stay in their submission's graph (decision 1304)
            ?e rdf:subject ?profile ; rdf:predicate ckg:mayor ; rdf:object ?mayor ;
               ckg:sourceLine ?line ; ckg:sourceText ?text ; ckg:field ?field ;
               ckg:evidenceSource/<http://www.w3.org/ns/prov#atLocation> ?file .
          }
          FILTER(STRENDS(?file, "helsinki.txt"))
        }""",
    )
    assert [(int(str(r["line"])), str(r["text"]), str(r["field"])) for r in result.rows] == [
        (10, "Jan Vapaavuori", "city.mayor")
    ]
    lines = PAGE.read_text(encoding="utf-8").splitlines()
    assert "Jan Vapaavuori" in lines[9]
