"""`citykg extract`: profile pages to submission documents."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import yaml

from citykg.cli.options import format_option
from citykg.files import write_output


def render_data(data: dict[str, Any], fmt: str) -> str:
    """A submission document as readable YAML (block style, submission key order) or JSON."""
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)


@click.command("extract")
@click.argument("pages", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@format_option(["yaml", "json"], default="yaml")
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write one <page>.yaml|json per page into this folder instead of printing to stdout.",
)
@click.option("--explain", is_flag=True, help="Print, per line of each page, the facts it produced.")
@click.option("--wave", type=click.IntRange(2000, 2100), help="The survey wave, if the page does not say.")
def extract(
    pages: tuple[Path, ...], fmt: str, output_dir: Path | None, explain: bool, wave: int | None
) -> None:
    """Turn profile page texts (PAGES) into submission documents."""
    from citykg import api  # start-up time

    documents: list[dict[str, Any]] = []
    for page in pages:
        extraction = api.extract(page, wave=wave)
        if explain:
            click.echo(api.render_explanation(extraction), nl=False)
        if output_dir is not None:
            write_output(
                output_dir / f"{page.stem}.{fmt}", render_data(extraction.document.data, fmt).encode()
            )
        else:
            documents.append(extraction.document.data)
        click.echo(api.summary(extraction), err=True)
    if output_dir is not None or explain:
        return
    if fmt == "json" and len(documents) > 1:
        click.echo(json.dumps(documents, ensure_ascii=False, indent=2))
        return
    click.echo("---\n".join(render_data(d, fmt) for d in documents), nl=False)
