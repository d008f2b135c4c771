"""`citykg serve`: the store over HTTP (SPARQL 1.1 Protocol at /sparql, the catalog at /queries)."""

from __future__ import annotations

from pathlib import Path

import click

from citykg.cli.options import Seconds, store_option


@click.command("serve")
@store_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port.")
@click.option(
    "--base-url",
    metavar="URL",
    help="The URL clients reach the server at, ending in '/' (behind a reverse proxy: its public URL).",
)
@click.option(
    "--timeout",
    type=Seconds(),
    default=10.0,
    show_default=True,
    metavar="SECONDS",
    help="The longest a query may run (a client may ask for less).",
)
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True, help="Query processes.")
@click.option(
    "--cache",
    type=click.IntRange(0),
    default=2048,
    show_default=True,
    help="Answers kept per store generation (0: no cache).",
)
def serve(
    store: Path | None,
    host: str,
    port: int,
    base_url: str | None,
    timeout: float,
    workers: int,
    cache: int,
) -> None:
    """Serve the store read-only over HTTP until Ctrl-C (docs/serving.md)."""
    from citykg.api import Store  # start-up time

    target = Store(store)
    config = target.server(
        host=host, port=port, base_url=base_url, timeout=timeout, workers=workers, cache=cache
    )
    target.serve(
        config, announce=lambda url: click.echo(f"citykg: serving {target.location} at {url}", err=True)
    )
