"""How the commands print reports, submissions and histories: `table` for people, `json` for
tools (and `turtle` for the W3C SHACL report of `validate`)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from citykg import Report, SubmitResult, Version


def render_reports(reports: list[Report], fmt: str) -> str:
    """Validation reports: each problem on its line, then the verdict per submission."""
    if fmt == "json":
        return _json(
            [
                {
                    "source": r.source,
                    "conforms": r.conforms,
                    "problems": [p.as_json() for p in r.problems],
                }
                for r in reports
            ]
        )
    if fmt == "turtle":
        from citykg.api import report_graph  # start-up time: rdflib, only for this format

        return report_graph(reports).serialize(format="turtle")
    lines = []
    for report in reports:
        for problem in report.problems:
            lines.append(problem.render())
        verdict = "conforms" if report.conforms else "does not conform"
        extra = f" ({len(report.errors)} errors, {len(report.warnings)} warnings)"
        lines.append(f"{report.source}: {verdict}{extra}")
    return "\n".join(lines) + "\n"


def render_submit(result: SubmitResult, fmt: str) -> str:
    """What a submission changes (or would change), and its problems."""
    if fmt == "json":
        return _json(
            {
                "store": str(result.store),
                "committed": result.committed,
                "dry_run": result.dry_run,
                "submissions": [
                    {
                        "source": r.report.source,
                        "title": r.title,
                        "conforms": r.report.conforms,
                        "replaces": (
                            {"time": r.stored.time, "sources": r.stored.sources} if r.stored else None
                        ),
                        "problems": [p.as_json() for p in r.report.problems],
                        "changes": [c.as_json() for c in r.changes],
                    }
                    for r in result.reviews
                ],
                "kept": [str(p) for p in result.kept],
            }
        )
    lines: list[str] = []
    for review in result.reviews:
        lines.append(f"{review.report.source}: {review.title}")
        if review.stored is not None:
            origin = ", ".join(review.stored.sources) or "unknown source"
            lines.append(f"  resubmission: replaces the version built {review.stored.time} from {origin}")
        elif review.checked.mapped is not None:
            lines.append("  new submission for this city and wave")
        for change in review.changes:
            lines.append("  " + change.render())
        if review.checked.mapped is not None and not review.changes:
            lines.append("  no changes: the store already holds these facts")
    text = "\n".join(lines) + "\n"
    problems = [r.report for r in result.reviews if r.report.problems or not r.report.conforms]
    if problems:
        text += render_reports(problems, "table")
    return text


def render_versions(found: list[Version], fmt: str) -> str:
    """The versions `citykg history` lists."""
    if fmt == "json":
        return _json([v.as_json() for v in found])
    lines = ["version  wave  built                      sha256            status      sources"]
    for v in found:
        status = "current" if v.current else "superseded"
        lines.append(
            f"{v.number:<8} {v.wave:<5} {v.time:<26} {v.digest[:16]}  {status:<11} {', '.join(v.sources)}"
        )
    return "\n".join(lines) + "\n"


def _json(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
