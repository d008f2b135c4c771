"""`citykg submit` and `citykg history` (registered on the main command group in cli.py).

Thin: parse options, call `citykg.submit.submit` / `citykg.history`, render the result.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from citykg.cli import _iris, _render_reports, _store_path, base_option, cli, store_option
from citykg.errors import ExitCode
from citykg.rdf.terms import PREFIXES
from citykg.workflow.submit import SubmitResult, submit


def render_submit(result: SubmitResult, fmt: str) -> str:
    if fmt == "json":
        return (
            json.dumps(
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
                },
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
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
        text += _render_reports(problems, "text")
    return text


@cli.command("submit")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check and show the changes; change nothing.")
@click.option(
    "--new-city",
    is_flag=True,
    help="The city is not the stored one with a similar name in the same country.",
)
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@store_option
@base_option
def submit_command(
    file: Path, dry_run: bool, new_city: bool, fmt: str, store: Path | None, base: str | None
) -> None:
    """Check FILE against the shapes and the store, show what changes, and commit it.

    A submission for a city and wave already in the store replaces it; the earlier version
    stays in the history (citykg history CITY). Nothing is committed when a problem is found
    or with --dry-run. Exits 0 when committed (or would be, with --dry-run), 1 when the
    submission does not conform or conflicts with the store, 2 when FILE cannot be read.
    """
    location = _store_path(store)
    result = submit(file, store_path=location, iris=_iris(base, location), dry_run=dry_run, new_city=new_city)
    click.echo(render_submit(result, fmt), nl=False)
    if not result.conforms:
        click.echo(f"citykg: not committed; {location} is unchanged", err=True)
        sys.exit(ExitCode.DOES_NOT_CONFORM)
    if result.dry_run:
        click.echo(f"citykg: dry run; {location} is unchanged", err=True)
    else:
        click.echo(f"citykg: committed to {location}", err=True)


@cli.command("history")
@click.argument("city")
@click.option("--wave", type=int, help="Only this survey wave.")
@click.option("--show", "show", type=int, metavar="N", help="Print version N (see the list).")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "turtle", "ntriples"]),
    default=None,
    help="table or json for the list (default table); turtle or ntriples for --show (default turtle).",
)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write --show here.")
@store_option
@base_option
def history_command(
    city: str,
    wave: int | None,
    show: int | None,
    fmt: str | None,
    output: Path | None,
    store: Path | None,
    base: str | None,
) -> None:
    """List the versions of CITY's submissions (by name or city IRI), or show one (--show N)."""
    from citykg.files import write_atomically
    from citykg.store.history import find_version, version_graph, versions

    location = _store_path(store)
    iris = _iris(base, location)
    if show is not None:
        if fmt in ("table", "json"):
            raise click.UsageError("--show prints a graph: use -f turtle or -f ntriples")
        version = find_version(location, city, wave=wave, number=show, iris=iris)
        graph = version_graph(location, version, iris=iris)
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        data = graph.serialize(format="nt" if fmt == "ntriples" else "turtle", encoding="utf-8")
        if output is not None:
            write_atomically(output, data)
            click.echo(f"wrote {output} ({len(data)} bytes)", err=True)
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        return
    if fmt in ("turtle", "ntriples"):
        raise click.UsageError("turtle and ntriples go with --show N")
    found = versions(location, city, wave=wave, iris=iris)
    if fmt == "json":
        click.echo(json.dumps([v.as_json() for v in found], indent=2, ensure_ascii=False))
        return
    click.echo("version  wave  built                      sha256            status      sources")
    for v in found:
        status = "current" if v.current else "superseded"
        click.echo(
            f"{v.number:<8} {v.wave:<5} {v.time:<26} {v.digest[:16]}  {status:<11} {', '.join(v.sources)}"
        )
