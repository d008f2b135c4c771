"""The `citykg` command: parse options, call one library function, render the result."""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path
from typing import Any

import click

from citykg import __version__
from citykg.errors import BuildRefused, CityKGError, ExitCode
from citykg.rdf.formats import ExportFormat, Frame, Profile, ResultFormat
from citykg.rdf.iris import IRIs
from citykg.rdf.terms import DEFAULT_BASE
from citykg.validation.report import Report
from citykg.workflow.build import build as build_store
from citykg.workflow.check import validate_paths

STORE_HELP = "Store folder (default: $CITYKG_STORE or .citykg/store)."


def _iris(base: str | None, store: Path | None = None, *, replacing: bool = False) -> IRIs:
    """The IRIs for `--base`; for a store, those of the base it was built with (store_iris)."""
    from citykg.store.generations import store_iris

    try:
        iris = IRIs(base or DEFAULT_BASE)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--base") from exc
    return iris if store is None else store_iris(store, base, replacing=replacing)


def _store_path(store: Path | None) -> Path:
    from citykg.store.generations import default_store_path

    return store or default_store_path()


store_option = click.option(
    "--store", type=click.Path(path_type=Path, file_okay=False), default=None, help=STORE_HELP
)
base_option = click.option(
    "--base",
    default=None,
    help=f"Base IRI of minted resources (default: the one the store was built with, else {DEFAULT_BASE}).",
)


class CityKGGroup(click.Group):
    """A click group that turns citykg's errors into a message on stderr and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CityKGError as exc:
            click.echo(f"citykg: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort, SystemExit):
            raise
        except BrokenPipeError:
            # the reader stopped reading (`citykg queries | head`): not an error of ours
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(ExitCode.OK)
        except Exception:
            click.echo(traceback.format_exc(), err=True)
            click.echo("citykg: this is a bug; please report it with the traceback above", err=True)
            ctx.exit(ExitCode.BUG)


@click.group(cls=CityKGGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="citykg")
def cli() -> None:
    """Build a knowledge graph of city innovation profiles, validate submissions, ask questions.

    Exit codes: 0 ok; 1 data does not conform; 2 usage error or unreadable input; 70 a bug.
    """


# ------------------------------------------------------------------ validate


def _render_reports(reports: list[Report], fmt: str) -> str:
    if fmt == "json":
        return (
            json.dumps(
                [
                    {
                        "source": r.source,
                        "conforms": r.conforms,
                        "problems": [p.as_json() for p in r.problems],
                    }
                    for r in reports
                ],
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )
    if fmt == "turtle":
        from citykg.validation.report_rdf import report_graph

        return report_graph(reports).serialize(format="turtle")
    lines = []
    for report in reports:
        for problem in report.problems:
            lines.append(problem.render())
        verdict = "conforms" if report.conforms else "does not conform"
        extra = f" ({len(report.errors)} errors, {len(report.warnings)} warnings)"
        lines.append(f"{report.source}: {verdict}{extra}")
    return "\n".join(lines) + "\n"


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "turtle"]),
    default="text",
    show_default=True,
    help="text for people, json for tools, turtle for the W3C SHACL report.",
)
@base_option
def validate(files: tuple[Path, ...], fmt: str, base: str | None) -> None:
    """Check submissions (YAML, JSON, CSV, page text, Turtle, JSON-LD) without changing the store.

    Exits 0 when every file conforms (warnings allowed), 1 when one does not, 2 when a file
    cannot be read.
    """
    reports = validate_paths(list(files), iris=_iris(base))
    click.echo(_render_reports(reports, fmt), nl=False)
    if not all(r.conforms for r in reports):
        sys.exit(ExitCode.DOES_NOT_CONFORM)


# ------------------------------------------------------------------ build


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@base_option
def build(paths: tuple[Path, ...], store: Path | None, base: str | None) -> None:
    """Build the store from submission files and folders (replaces its content atomically)."""
    location = _store_path(store)
    try:
        result = build_store(list(paths), store_path=location, iris=_iris(base, location, replacing=True))
    except BuildRefused as refused:
        if refused.reports:
            click.echo(
                _render_reports([r for r in refused.reports if r.problems], "text"), err=True, nl=False
            )
        raise
    for report in result.reports:
        for problem in report.warnings:
            click.echo(problem.render(), err=True)
    for action in result.actions:
        click.echo(action, err=True)
    click.echo(
        f"built {location}: {len(result.graphs)} submission graphs, {result.triples} triples", err=True
    )


# ------------------------------------------------------------------ queries


@cli.command("queries")
def list_queries() -> None:
    """List the query catalog (queries/*.rq)."""
    from citykg.queries.catalog import catalog

    for query in catalog().values():
        params = " ".join(f"-p {p.name}={p.default or '…'}" for p in query.parameters)
        click.echo(f"{query.name}: {query.title}" + (f"  [{params}]" if params else ""))


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in values:
        if "=" not in item:
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="-p")
        name, value = item.split("=", 1)
        out[name.strip()] = value.strip()
    return out


@cli.command()
@click.argument("name", required=False)
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="A query parameter.")
@click.option("--sparql", help="Run this SPARQL text instead of a catalog query.")
@click.option(
    "--file",
    "query_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Run the SPARQL in this file.",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice([f.value for f in ResultFormat]),
    default="table",
    show_default=True,
    help="Rows: table, csv, tsv, json (SPARQL results), xml. Graphs (CONSTRUCT): turtle, jsonld.",
)
@click.option(
    "--inferred/--asserted",
    default=True,
    show_default=True,
    help="Answer with the inferred triples too, or from the asserted graphs only.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    metavar="SECONDS",
    help="Stop the query after this many seconds (exit 2).",
)
@store_option
def query(
    name: str | None,
    params: tuple[str, ...],
    sparql: str | None,
    query_file: Path | None,
    fmt: str,
    inferred: bool,
    timeout: float | None,
    store: Path | None,
) -> None:
    """Answer a catalog query by NAME, or ad hoc SPARQL (--sparql / --file)."""
    from citykg.queries.results import render
    from citykg.queries.run import answer

    given = [x for x in (name, sparql, query_file) if x]
    if len(given) != 1:
        raise click.UsageError("give exactly one of: a query NAME, --sparql TEXT, --file FILE")
    result = answer(
        _store_path(store),
        name=name,
        sparql=sparql,
        file=query_file,
        params=_parse_params(params),
        include_inferred=inferred,
        timeout=timeout,
    )
    click.echo(render(result, ResultFormat(fmt)), nl=False)


# ------------------------------------------------------------------ export


city_option = click.option(
    "--city",
    "cities",
    multiple=True,
    metavar="NAME",
    help="Only this city (a name, 'name, country' or the city IRI); repeat for more. Default: all.",
)
profile_option = click.option(
    "--profile",
    type=click.Choice([p.value for p in Profile]),
    help="public leaves out people's e-mail addresses and telephone numbers.",
)
inferred_option = click.option(
    "--inferred/--asserted", default=False, help="Include inferred triples (default: asserted only)."
)
ontology_option = click.option(
    "--ontology/--no-ontology",
    default=None,
    help="Include the whole ontology and vocabularies, or none of them. Default: all of it for the "
    "whole graph; for --city, the descriptions of the vocabulary concepts the cities use.",
)


@cli.command()
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice([f.value for f in ExportFormat]),
    default="turtle",
    show_default=True,
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write here (atomically) instead of stdout.",
)
@inferred_option
@ontology_option
@city_option
@profile_option
@click.option(
    "--frame",
    type=click.Choice([f.value for f in Frame]),
    help="JSON-LD only: one nested document per city (a JSON array of documents).",
)
@store_option
@base_option
def export(
    fmt: str,
    output: Path | None,
    inferred: bool,
    ontology: bool | None,
    cities: tuple[str, ...],
    profile: str | None,
    frame: str | None,
    store: Path | None,
    base: str | None,
) -> None:
    """Export the store as Turtle, N-Triples, N-Quads, TriG or JSON-LD."""
    from citykg.export.serializers import export_store

    location = _store_path(store)
    data = export_store(
        location,
        ExportFormat(fmt),
        iris=_iris(base, location),
        include_inferred=inferred,
        include_ontology=ontology,
        cities=cities,
        profile=Profile(profile or Profile.FULL.value),
        frame=Frame(frame) if frame else None,
        output=output,
    )
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        click.echo(f"wrote {output} ({len(data)} bytes)", err=True)


# ------------------------------------------------------------------ publish


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--config",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Publication settings (YAML or JSON): title, description, publisher {name, iri}, licence, "
    "keywords, download_base, issued.",
)
@click.option("--title", help="Title of the dataset.")
@click.option("--publisher", "publisher_name", help="Name of the publishing organisation.")
@click.option("--publisher-iri", help="IRI of the publishing organisation.")
@click.option("--licence", help="CC-BY-4.0 (default), CC-BY-SA-4.0, CC0-1.0, ODC-BY-1.0, ODbL-1.0 or an IRI.")
@click.option(
    "--download-base",
    help="URL the folder will be served from; default: download locations relative to the folder.",
)
@inferred_option
@ontology_option
@city_option
@profile_option
@store_option
@base_option
def publish(
    folder: Path,
    config: Path | None,
    title: str | None,
    publisher_name: str | None,
    publisher_iri: str | None,
    licence: str | None,
    download_base: str | None,
    inferred: bool,
    ontology: bool | None,
    cities: tuple[str, ...],
    profile: str | None,
    store: Path | None,
    base: str | None,
) -> None:
    """Write every export plus DCAT and VoID descriptions into FOLDER, ready to upload.

    The folder is replaced as a whole (only an empty folder or an earlier publication). The
    public profile is the default here: no e-mail addresses or telephone numbers of people.
    """
    from citykg.export.publish import load_description
    from citykg.export.publish import publish as publish_store
    from citykg.export.selection import Selection

    about = load_description(
        config,
        title=title,
        publisher_name=publisher_name,
        publisher_iri=publisher_iri,
        licence=licence,
        download_base=download_base,
    )
    selection = Selection.of(
        inferred=inferred, ontology=ontology, cities=cities, profile=Profile(profile or Profile.PUBLIC.value)
    )
    location = _store_path(store)
    result = publish_store(location, folder, iris=_iris(base, location), about=about, selection=selection)
    for name in result.files:
        click.echo(name)
    click.echo(
        f"published {result.folder}: {result.triples} triples, {result.cities} cities, "
        f"{len(result.files)} files",
        err=True,
    )


from citykg.cli.extract import extract  # noqa: E402

cli.add_command(extract)

# ------------------------------------------------------------------ more commands, in their own modules

from citykg.cli import submit as cli_submit  # noqa: E402, F401  (registers submit and history)

# ------------------------------------------------------------------ entry point


def main() -> None:
    """The console script."""
    cli(prog_name="citykg")
