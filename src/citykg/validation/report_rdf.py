"""A validation report as the W3C SHACL validation report graph (`validate --format turtle`).

pyshacl's own report is kept as it is; problems found by citykg's other checks (structure,
label typos, control characters, refused RDF content) are added as sh:ValidationResult nodes
with the submitted field as the result path, so the Turtle report lists every problem the
text report lists, including for submissions SHACL never ran on.
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote

from rdflib import BNode, Graph, Literal, URIRef

from citykg.rdf.terms import RDF, SH
from citykg.validation.report import Problem, Report, Severity

FIELD_BASE = "urn:citykg:field:"  # result paths for fields of the submission format
SOURCE_BASE = "urn:citykg:source:"  # focus node of problems that concern a whole file

_SEVERITY = {Severity.ERROR: SH.Violation, Severity.WARNING: SH.Warning, Severity.INFO: SH.Info}


def report_graph(reports: list[Report]) -> Graph:
    """One sh:ValidationReport for all `reports`; sh:conforms is false if any has an error."""
    graph = Graph()
    graph.bind("sh", SH)
    root = URIRef("urn:citykg:validation-report")
    for report in reports:
        if report.shacl_report is not None:
            for s, p, o in report.shacl_report:
                if p == SH.conforms or (p == RDF.type and o == SH.ValidationReport):
                    continue
                graph.add((root if (s, RDF.type, SH.ValidationReport) in report.shacl_report else s, p, o))
        for problem in report.problems:
            if not problem.from_shacl:
                graph.add((root, SH.result, _result(graph, report, problem)))
    graph.add((root, RDF.type, SH.ValidationReport))
    graph.add((root, SH.conforms, Literal(all(r.conforms for r in reports))))
    return graph


def _result(graph: Graph, report: Report, problem: Problem) -> BNode:
    key = f"{report.source}\n{problem.where}\n{problem.field}\n{problem.value}\n{problem.message}"
    node = BNode("r" + hashlib.sha256(key.encode()).hexdigest()[:16])
    graph.add((node, RDF.type, SH.ValidationResult))
    graph.add((node, SH.focusNode, URIRef(SOURCE_BASE + quote(report.source, safe="/"))))
    if problem.field:
        graph.add((node, SH.resultPath, URIRef(FIELD_BASE + quote(problem.field, safe=".[]:"))))
    if problem.value is not None:
        graph.add((node, SH.value, Literal(problem.value)))
    graph.add((node, SH.resultSeverity, _SEVERITY[problem.severity]))
    graph.add((node, SH.sourceConstraintComponent, _component(problem)))
    message = problem.message
    if problem.suggestion:
        message += f" (did you mean '{problem.suggestion}'?)"
    if problem.where:
        message = f"{problem.where}: {message}"
    graph.add((node, SH.resultMessage, Literal(message, lang="en")))
    return node


def _component(problem: Problem) -> URIRef:
    """The SHACL constraint component closest to what a non-SHACL check tested."""
    message = problem.message
    if message.startswith("required field missing"):
        return SH.MinCountConstraintComponent
    if message.startswith("unknown field"):
        return SH.ClosedConstraintComponent
    if message.startswith("must be "):
        return SH.DatatypeConstraintComponent
    if "control character" in message or "surrogate" in message:
        return SH.PatternConstraintComponent
    if problem.suggestion:
        return SH.InConstraintComponent
    return SH.SPARQLConstraintComponent
