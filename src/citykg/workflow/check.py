"""Checking submissions: each read, mapped and validated on its own; one graph per city and wave."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from citykg.errors import BuildRefused
from citykg.mapping.document import Mapped
from citykg.mapping.labels import Demoted, keep_first_labels
from citykg.mapping.provenance import evidence, provenance
from citykg.model.document import Source
from citykg.model.vocabulary import load_vocabulary
from citykg.rdf.iris import IRIs
from citykg.sources import Submission, read_paths
from citykg.validation.report import Problem, Report, Severity
from citykg.validation.shacl import validate_submission


@dataclass
class Checked:
    submission: Submission
    report: Report
    mapped: Mapped | None


def build_time() -> datetime:
    """Now, or `SOURCE_DATE_EPOCH` for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return moment.replace(microsecond=0)


def check(submissions: list[Submission], *, iris: IRIs) -> list[Checked]:
    vocabulary = load_vocabulary()
    out = []
    for submission in submissions:
        report, mapped = validate_submission(submission, vocabulary=vocabulary, iris=iris)
        out.append(Checked(submission, report, mapped))
    return out


def one_preferred_label(checked: list[Checked], stored: dict[URIRef, Literal] | None = None) -> list[Checked]:
    """The checked submissions with one preferred label for each free-text concept: the one
    `stored` gives (the store's, at submit), else the first in the order given (build order);
    another spelling becomes an alternative label, with a note in the submission's report."""
    preferred = dict(stored or {})
    out = []
    for item in checked:
        if item.mapped is None:
            out.append(item)
            continue
        mapped, demoted = keep_first_labels(item.mapped, preferred)
        item.report.problems.extend(demotion_notes(mapped, demoted))
        out.append(Checked(item.submission, item.report, mapped))
    return out


def demotion_notes(mapped: Mapped, demoted: list[Demoted]) -> list[Problem]:
    """What a submission's report says of each answer whose spelling became an alternative label."""
    return [
        Problem(
            Severity.INFO,
            f"spells an answer already given as {str(note.preferred)!r}; that spelling stays "
            "its preferred label and this one becomes an alternative label",
            field=note.field,
            value=str(note.label),
            where=mapped.document.describe(note.field),
        )
        for note in demoted
    ]


def validate_paths(paths: list[Path], *, iris: IRIs | None = None) -> list[Report]:
    return [c.report for c in check(read_paths(paths), iris=iris or IRIs())]


@dataclass
class SubmissionGraph:
    """What goes into one named graph: one city and wave, from one or more sources."""

    mapped: Mapped
    sources: list[Source]
    evidence: Graph

    def graph(self, *, built: datetime, iris: IRIs) -> Graph:
        graph = Graph()
        for part in (
            self.mapped.facts,
            provenance(self.mapped, self.sources, built=built, iris=iris),
            self.evidence,
        ):
            for triple in part:
                graph.add(triple)
        return graph


def combine(checked: list[Checked], *, iris: IRIs) -> tuple[list[SubmissionGraph], list[str]]:
    """One graph per city and wave; the same facts from several sources merge, others refuse."""
    groups: dict[URIRef, SubmissionGraph] = {}
    actions: list[str] = []
    for item in checked:
        assert item.mapped is not None
        mapped, source = item.mapped, item.submission.source
        found = groups.get(mapped.graph_iri)
        if found is None:
            groups[mapped.graph_iri] = SubmissionGraph(mapped, [source], evidence(mapped, source, iris=iris))
            continue
        first = found.sources[0].location
        label = f"{mapped.document.data['city']['name']} {mapped.wave}"
        if set(found.mapped.facts) != set(mapped.facts):
            only_first = set(found.mapped.facts) - set(mapped.facts)
            only_second = set(mapped.facts) - set(found.mapped.facts)
            fields = sorted(
                {found.mapped.fields[t] for t in only_first} | {mapped.fields[t] for t in only_second}
            )
            raise BuildRefused(
                f"{first} and {source.location} both describe {label} but disagree "
                f"({len(only_first)} facts only in the first, {len(only_second)} only in the second; "
                f"fields: {', '.join(fields[:5])}{', ...' if len(fields) > 5 else ''})",
                [],
                hint="keep one submission per city and wave, or make them agree",
            )
        found.sources.append(source)
        found.evidence += evidence(mapped, source, iris=iris)
        actions.append(f"{label}: {source.location} states the same facts as {first}; merged into one graph")
    return list(groups.values()), actions
