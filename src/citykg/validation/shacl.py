"""Validation of one submission on its own (+ ontology and vocabularies): structure against the
JSON Schema, content against the SHACL shapes, labels against the vocabularies.

Results are values (a Report), never exceptions; each problem points at the submitted field,
its line (or CSV row and column) and value, in plain words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from citykg.mapping.document import Mapped, map_document
from citykg.mapping.rdf import map_graph, refused_content
from citykg.mapping.scope import out_of_scope
from citykg.model.document import Document, walk
from citykg.model.ontology import shapes_graph
from citykg.model.schema import structure_errors
from citykg.model.vocabulary import Vocabulary, load_vocabulary
from citykg.rdf.convert import nt_term
from citykg.rdf.iris import IRIs
from citykg.rdf.terms import DCTERMS, RDF, SH, SKOS
from citykg.sources import Submission
from citykg.sources.rdf import RdfProblem, identity
from citykg.validation.report import Problem, Report, Severity
from citykg.validation.shapes_view import shapes_view_ntriples

if TYPE_CHECKING:
    from pyshacl_turbo import CompiledShapes


def validate_submission(
    submission: Submission, *, vocabulary: Vocabulary | None = None, iris: IRIs | None = None
) -> tuple[Report, Mapped | None]:
    """Check one submission (a document, or an RDF submission's graph) on its own."""
    if submission.graph is not None:
        return validate_graph(submission.graph, submission.document, iris=iris or IRIs())
    return validate_document(submission.document, vocabulary=vocabulary, iris=iris)


def validate_graph(graph: Graph, document: Document, *, iris: IRIs) -> tuple[Report, Mapped | None]:
    """Check an RDF submission: refused content first, then the same SHACL shapes as documents."""

    report = Report(document.source)
    for found in refused_content(graph, iris=iris):
        report.problems.append(
            Problem(
                Severity.ERROR, found.message, field=found.field, value=found.value, where=document.source
            )
        )
    for s, p, o in graph:
        if isinstance(o, Literal) and any(_is_control(ch, allow_breaks=p == DCTERMS.description) for ch in o):
            report.problems.append(
                Problem(
                    Severity.ERROR,
                    "contains a control character; remove it",
                    field=f"<{s}> {p.n3()}",
                    value=str(o),
                    where=document.source,
                )
            )
    who = identity(graph)
    if isinstance(who, RdfProblem):
        report.problems.append(
            Problem(Severity.ERROR, who.message, field=who.field, value=who.value, where=document.source)
        )
    elif who.city != iris.city(who.name, who.country) or who.profile != iris.profile(
        who.name, who.country, who.wave
    ):
        report.problems.append(
            Problem(
                Severity.ERROR,
                f"the city and profile IRIs must be the ones citykg mints from the name, country and wave: "
                f"{iris.city(who.name, who.country)} and {iris.profile(who.name, who.country, who.wave)}",
                field="ckg:city",
                value=str(who.city),
                where=document.source,
            )
        )
    else:
        for found in out_of_scope(graph, identity=who, iris=iris):
            report.problems.append(
                Problem(
                    Severity.ERROR, found.message, field=found.field, value=found.value, where=document.source
                )
            )
    if not report.conforms or isinstance(who, RdfProblem):
        report.problems = _dedupe(report.problems)
        return report, None
    mapped = map_graph(graph, document=document, identity=who, iris=iris)
    shacl, results = check_graph(mapped.facts)
    report.shacl_report = shacl
    report.problems.extend(_locate(result, mapped) for result in results)
    report.problems = _dedupe(report.problems)
    return report, mapped


def validate_document(
    document: Document, *, vocabulary: Vocabulary | None = None, iris: IRIs | None = None
) -> tuple[Report, Mapped | None]:
    """Check one document; return the report and, when it could be mapped, its RDF."""
    report = Report(document.source, list(_document_notes(document)))
    for path, value, message in structure_errors(document.data):
        report.problems.append(
            Problem(
                Severity.ERROR,
                message,
                field=path or None,
                value=_value_text(value),
                where=document.describe(path),
            )
        )
    if not report.conforms:
        report.problems.extend(_control_characters(document))
        return report, None
    text_problems = _control_characters(document)
    report.problems.extend(text_problems)
    if any("surrogate" in p.message for p in text_problems):
        return report, None  # not text at all: it cannot go into a graph, a store or a report
    mapped = map_document(document, vocabulary=vocabulary or load_vocabulary(), iris=iris or IRIs())
    label_problems = _label_problems(mapped)
    report.problems.extend(label_problems)
    report.problems.extend(_duplicate_problems(mapped))
    shacl, results = check_graph(mapped.facts)
    report.shacl_report = shacl
    typo_fields = {p.field for p in label_problems}
    text_fields = {p.field for p in text_problems}
    merged = [path for pair in mapped.duplicates for path in pair]
    for result in results:
        problem = _locate(result, mapped)
        if problem.field in typo_fields and problem.severity is Severity.WARNING:
            continue  # the label error (a typo, an empty label) already says what is wrong
        if problem.field in text_fields:
            continue  # the control-character error already says what is wrong with this value
        if any(_within(problem.field, path) for path in merged):
            continue  # a consequence of the duplicate, reported above in plain words
        report.problems.append(problem)
    report.problems = _dedupe(report.problems)
    return report, mapped


@dataclass(frozen=True)
class _Result:
    severity: Severity
    focus: Node
    path: Node | None
    value: Node | None
    message: str


def check_graph(data: Graph) -> tuple[Graph, list[_Result]]:
    """Run the SHACL shapes over one submission's graph (with the ontology and vocabularies).

    The shapes are compiled once per process and the ontology written out once; each call
    hands the engine the part of the ontology the shapes can see (validation/shapes_view.py)
    and the submission as one N-Quads text.
    pyshacl-turbo (a SHACL engine in Rust with pyshacl's interface and report) gives the same
    results as pyshacl on the project's corpus (tests/test_shacl_engine.py) at a fifth of the
    time; docs/decisions/1301 says why it is the engine."""
    from pyshacl_turbo.rdf import Input  # the engine's input: N-Quads text, parsed in Rust

    text = shapes_view_ntriples() + "".join(f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n" for s, p, o in data)
    source = Input(text, "oxigraph-nquads", None, {}, preserve_ids=True)
    _, report_graph, _ = compiled_shapes().validate(source, allow_warnings=True)  # type: ignore[no-untyped-call]
    results = []
    for result in report_graph.subjects(RDF.type, SH.ValidationResult):
        severity_iri = report_graph.value(result, SH.resultSeverity)
        severity = {SH.Violation: Severity.ERROR, SH.Warning: Severity.WARNING}.get(
            severity_iri,
            Severity.INFO,
        )
        messages = sorted(str(m) for m in report_graph.objects(result, SH.resultMessage))
        results.append(
            _Result(
                severity,
                report_graph.value(result, SH.focusNode),
                report_graph.value(result, SH.resultPath),
                report_graph.value(result, SH.value),
                messages[0] if messages else "does not conform",
            )
        )
    return report_graph, results


@cache
def compiled_shapes() -> CompiledShapes:
    """The shapes, compiled once per process (SHACL-SPARQL constraints prepared with them)."""
    from pyshacl_turbo import CompiledShapes  # start-up time: only the commands that validate

    return CompiledShapes(shapes_graph(), advanced=True)  # type: ignore[no-untyped-call]


def _locate(result: _Result, mapped: Mapped) -> Problem:
    path = _field_for(result, mapped)
    message = result.message
    if ": " in message and " " not in message.split(": ", 1)[0]:
        named, message = message.split(": ", 1)  # the shape names the field generically
        path = path or named  # we know it exactly, unless nothing was given for it
    value = result.value if result.value is not None else None
    shown = mapped.facts.value(value, SKOS.prefLabel) if isinstance(value, URIRef) else None
    text = str(shown) if shown is not None else (str(value) if isinstance(value, Literal) else None)
    if path is not None:
        origin_value = mapped.document.origin(path)
        if text is None and origin_value and origin_value.text is not None and isinstance(value, URIRef):
            text = origin_value.text
    if text is None and isinstance(value, URIRef):
        text = str(value)
    where = mapped.document.describe(path) if path else mapped.document.source
    return Problem(result.severity, message, field=path, value=text, where=where, from_shacl=True)


def _field_for(result: _Result, mapped: Mapped) -> str | None:
    fields = mapped.fields
    if result.path is not None and result.value is not None:
        found = fields.get((result.focus, result.path, result.value))
        if found:
            return found
    if result.path is not None:
        candidates = sorted(v for (s, p, _), v in fields.items() if s == result.focus and p == result.path)
        if candidates:
            return candidates[0]
    if result.focus == mapped.profile:
        return None  # the whole submission: only the shape's message can name the field
    owners = sorted(v for (_, p, o), v in fields.items() if o == result.focus and p != RDF.type)
    if owners:
        return owners[0]
    own = sorted(v for (s, _, _), v in fields.items() if s == result.focus)
    return own[0] if own else None


def _label_problems(mapped: Mapped) -> list[Problem]:
    problems = []
    for use in mapped.labels:
        if not use.match.label.strip():
            problems.append(
                Problem(
                    Severity.ERROR,
                    "must not be empty",
                    field=use.field,
                    value=use.match.label,
                    where=mapped.document.describe(use.field),
                )
            )
            continue
        if use.match.known or use.match.suggestion is None:
            continue
        problems.append(
            Problem(
                Severity.ERROR,
                f"is not a label of the {use.scheme.value.replace('-', ' ')} list but is close to one",
                field=use.field,
                value=use.match.label,
                where=mapped.document.describe(use.field),
                suggestion=use.match.suggestion.label,
            )
        )
    return problems


def _duplicate_problems(mapped: Mapped) -> list[Problem]:
    return [
        Problem(
            Severity.ERROR,
            f"is the same as {earlier} (names that differ only in case, accents or punctuation "
            "name one thing); merge the two entries or tell them apart",
            field=path,
            where=mapped.document.describe(path),
        )
        for path, earlier in mapped.duplicates
    ]


def _within(field: str | None, path: str) -> bool:
    return field is not None and (field == path or field.startswith((path + ".", path + "[")))


def _control_characters(document: Document) -> list[Problem]:
    problems = []
    for path, value in walk(document.data):
        if not isinstance(value, str):
            continue
        bad = [ch for ch in value if _is_control(ch, allow_breaks=path.endswith("description"))]
        if bad:
            problems.append(
                Problem(
                    Severity.ERROR,
                    f"contains a control character (U+{ord(bad[0]):04X}); remove it",
                    field=path,
                    value=value,
                    where=document.describe(path),
                )
            )
        elif any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
            problems.append(
                Problem(
                    Severity.ERROR,
                    "contains an unpaired surrogate, which is not valid text",
                    field=path,
                    where=document.describe(path),
                )
            )
    return problems


def _is_control(ch: str, *, allow_breaks: bool) -> bool:
    code = ord(ch)
    if allow_breaks and ch in "\n\r\t":  # line breaks of any platform, as the shapes allow
        return False
    return code < 0x20 or 0x7F <= code <= 0x9F or code in (0x2028, 0x2029)


def _document_notes(document: Document) -> list[Problem]:
    return [
        Problem(
            Severity(note.severity) if note.severity in Severity._value2member_map_ else Severity.WARNING,
            note.message,
            field=note.field,
            where=note.origin.describe() if note.origin else document.source,
        )
        for note in document.notes
        if note.kind != "label"
    ]


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for problem in problems:
        key = (problem.severity, problem.field, problem.value, problem.message)
        if key not in seen:
            seen.add(key)
            out.append(problem)
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    return sorted(out, key=lambda p: (order[p.severity], _line_of(p.where), p.field or ""))


def _line_of(where: str | None) -> tuple[int, int]:
    """(line, column) of a `file:line:column` or `file, row R, column C` place, for sorting."""
    match = re.search(r":(\d+)(?::(\d+))?$", where or "") or re.search(
        r"row (\d+)(?:, column (\d+))?$", where or ""
    )
    if not match:
        return (0, 0)
    return (int(match.group(1)), int(match.group(2) or 0))


def _value_text(value: Any) -> str | None:
    if value is None or isinstance(value, dict):
        return None
    if isinstance(value, list):
        return None
    return str(value)
