"""`citykg build`: the store from submission files and folders."""

from __future__ import annotations

from pathlib import Path

import click

from citykg.cli.options import base_option, quiet_option, store_option, wait_option
from citykg.cli.render import render_reports


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@base_option
@wait_option
@quiet_option
def build(
    paths: tuple[Path, ...], store: Path | None, base: str | None, wait: float | None, quiet: bool
) -> None:
    """Build the store from submission files and folders (replaces its content atomically).

    The store folder must be new, empty or a citykg store; a damaged store is rebuilt in place.
    A build that takes more than a second shows its progress on stderr (files checked and
    loaded, inference), unless --quiet.
    """
    from citykg.api import BuildRefused, Store  # start-up time: the build's stages load only here
    from citykg.cli.progress import shown  # start-up time: threads and terminal size

    target = Store(store, base=base)
    try:
        with shown(quiet=quiet) as progress:
            result = target.build(paths, wait=wait, progress=progress)
    except BuildRefused as refused:
        if refused.reports:
            click.echo(
                render_reports([r for r in refused.reports if r.problems], "table"), err=True, nl=False
            )
        raise
    for report in result.reports:
        for problem in report.problems:  # a built submission conforms: warnings and notes only
            click.echo(problem.render(), err=True)
    for action in result.actions:
        click.echo(action, err=True)
    click.echo(
        f"built {target.location}: {len(result.graphs)} submission graphs, {result.triples} triples", err=True
    )
