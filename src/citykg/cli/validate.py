"""`citykg validate`: check submissions without changing any store."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from citykg.cli.options import base_option, table_format_option
from citykg.cli.render import render_reports
from citykg.errors import ExitCode


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@table_format_option(
    "json", "turtle", help="table for people, json for tools, turtle for the W3C SHACL report."
)
@base_option
def validate(files: tuple[Path, ...], fmt: str, base: str | None) -> None:
    """Check submissions (YAML, JSON, CSV, page text, Turtle, JSON-LD) without changing the store.

    Exits 0 when every file conforms (warnings allowed), 1 when one does not, 2 when a file
    cannot be read.
    """
    from citykg import api  # start-up time: pyshacl and the mapping load only when a command runs

    reports = api.validate(files, base=base)
    click.echo(render_reports(reports, fmt), nl=False)
    if not all(r.conforms for r in reports):
        sys.exit(ExitCode.DOES_NOT_CONFORM)
