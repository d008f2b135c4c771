"""`citykg queries` (the catalog) and `citykg query` (a catalog query or ad hoc SPARQL)."""

from __future__ import annotations

from pathlib import Path

import click

from citykg.cli.options import Seconds, format_option, store_option
from citykg.errors import QueryError
from citykg.rdf.formats import ResultFormat


@click.command("queries")
def list_queries() -> None:
    """List the query catalog (queries/*.rq)."""
    from citykg.api import catalog  # start-up time

    for entry in catalog():
        params = " ".join(f"-p {p.name}={p.default or '…'}" for p in entry.parameters)
        click.echo(f"{entry.name}: {entry.title}" + (f"  [{params}]" if params else ""))


def parse_params(values: tuple[str, ...]) -> dict[str, str]:
    """`-p NAME=VALUE` options as a mapping."""
    out = {}
    for item in values:
        if "=" not in item:
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="-p")
        name, value = item.split("=", 1)
        out[name.strip()] = value.strip()
    return out


@click.command()
@click.argument("name", required=False)
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="A query parameter.")
@click.option("--sparql", help="Run this SPARQL text instead of a catalog query.")
@click.option(
    "--file",
    "query_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Run the SPARQL in this file.",
)
@format_option(
    [f.value for f in ResultFormat],
    default=ResultFormat.TABLE.value,
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
    type=Seconds(),
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
    from citykg.api import Store, read_sparql, render_result  # start-up time: rdflib's SPARQL

    given = [x for x in (name, sparql, query_file) if x]
    if len(given) != 1:
        raise click.UsageError("give exactly one of: a query NAME, --sparql TEXT, --file FILE")
    values = parse_params(params)
    target = Store(store)
    if name:
        result = target.query(name, values, inferred=inferred, timeout=timeout)
    else:
        if values:
            raise QueryError(
                "-p parameters go with catalog queries only",
                hint="write the values into your SPARQL, or use a catalog query",
            )
        text = read_sparql(query_file) if query_file else sparql or ""
        result = target.sparql(text, inferred=inferred, timeout=timeout)
    click.echo(render_result(result, ResultFormat(fmt)), nl=False)
