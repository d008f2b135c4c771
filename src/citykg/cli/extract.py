"""`citykg extract`: profile pages to submission documents (registered in the main CLI).

Thin: parses options, calls `citykg.sources.text`, renders. Errors are `CityKGError`s and
are turned into messages and exit codes by the main command group.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import yaml

from citykg.files import write_atomically
from citykg.sources.common import read_bytes
from citykg.sources.text.extract import read_text_bytes, render_explanation, summary


def render_data(data: dict[str, Any], fmt: str) -> str:
    """A submission document as readable YAML (block style, submission key order) or JSON."""
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)


@click.command("extract")
@click.argument("pages", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True)
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write one <page>.yaml|json per page here instead of printing to stdout.",
)
@click.option("--explain", is_flag=True, help="Print, per line of each page, the facts it produced.")
@click.option("--wave", type=click.IntRange(2000, 2100), help="The survey wave, if the page does not say.")
def extract(
    pages: tuple[Path, ...], fmt: str, output_dir: Path | None, explain: bool, wave: int | None
) -> None:
    """Turn profile page texts (PAGES) into submission documents."""
    documents: list[dict[str, Any]] = []
    for page in pages:
        raw = read_bytes(page)
        extraction = read_text_bytes(raw, source=str(page), wave=wave)
        if explain:
            click.echo(render_explanation(extraction), nl=False)
        if output_dir is not None:
            write_atomically(
                output_dir / f"{page.stem}.{fmt}", render_data(extraction.document.data, fmt).encode()
            )
        else:
            documents.append(extraction.document.data)
        click.echo(summary(extraction), err=True)
    if output_dir is not None or explain:
        return
    if fmt == "json" and len(documents) > 1:
        click.echo(json.dumps(documents, ensure_ascii=False, indent=2))
        return
    click.echo("---\n".join(render_data(d, fmt) for d in documents), nl=False)
