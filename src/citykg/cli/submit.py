"""`citykg submit` (one file into the store, checked, all or nothing) and `citykg history` (the
versions of a city's submissions)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from citykg.cli.app import write_stdout
from citykg.cli.options import (
    TABLE,
    base_option,
    format_option,
    output_option,
    store_option,
    table_format_option,
    wait_option,
)
from citykg.cli.render import render_submit, render_versions
from citykg.errors import ExitCode
from citykg.files import write_output
from citykg.rdf.formats import ExportFormat


@click.command("submit")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check and show the changes; change nothing.")
@click.option(
    "--new-city",
    is_flag=True,
    help="The city is not the stored one with a similar name in the same country.",
)
@table_format_option("json", help="table for people, json for tools.")
@store_option
@base_option
@wait_option
def submit_command(
    file: Path,
    dry_run: bool,
    new_city: bool,
    fmt: str,
    store: Path | None,
    base: str | None,
    wait: float | None,
) -> None:
    """Check FILE against the shapes and the store, show what changes, and commit it.

    A submission for a city and wave already in the store replaces it; the earlier version
    stays in the history (citykg history CITY). Nothing is committed when a problem is found
    or with --dry-run. Exits 0 when committed (or would be, with --dry-run), 1 when the
    submission does not conform or conflicts with the store, 2 when FILE cannot be read.
    """
    from citykg.api import Store  # start-up time

    target = Store(store, base=base)
    result = target.submit(file, dry_run=dry_run, new_city=new_city, wait=wait)
    click.echo(render_submit(result, fmt), nl=False)
    if not result.conforms:
        click.echo(f"citykg: not committed; {target.location} is unchanged", err=True)
        sys.exit(ExitCode.DOES_NOT_CONFORM)
    if result.dry_run:
        click.echo(f"citykg: dry run; {target.location} is unchanged", err=True)
    else:
        click.echo(f"citykg: committed to {target.location}", err=True)


@click.command("history")
@click.argument("city")
@click.option("--wave", type=int, help="Only this survey wave.")
@click.option("--show", "show", type=int, metavar="N", help="Print version N (see the list).")
@format_option(
    [TABLE, "json", "turtle", "ntriples"],
    default=None,
    help="table or json for the list (default table); turtle or ntriples for --show (default turtle).",
)
@output_option("Write --show here.")
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
    from citykg.api import Store  # start-up time

    target = Store(store, base=base)
    if show is not None:
        if fmt in (TABLE, "json"):
            raise click.UsageError("--show prints a graph: use -f turtle or -f ntriples")
        data = target.show_version(
            city, show, wave=wave, fmt=ExportFormat.NTRIPLES if fmt == "ntriples" else ExportFormat.TURTLE
        )
        if output is not None:
            write_output(output, data)
            click.echo(f"wrote {output} ({len(data)} bytes)", err=True)
        else:
            write_stdout(data)
        return
    if fmt in ("turtle", "ntriples"):
        raise click.UsageError("turtle and ntriples go with --show N")
    click.echo(render_versions(target.history(city, wave=wave), fmt or TABLE), nl=False)
