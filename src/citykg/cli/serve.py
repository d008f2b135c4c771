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
@click.option(
    "--allow-submit",
    is_flag=True,
    help="Serve /submit: anyone may check a submission, the token's holder may commit it.",
)
@click.option(
    "--token-file",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="The file holding the operator's token for committing (not readable by every user).",
)
@click.option(
    "--max-upload",
    type=click.IntRange(1),
    default=1024 * 1024,
    show_default=True,
    metavar="BYTES",
    help="The largest submission /submit takes.",
)
def serve(
    store: Path | None,
    host: str,
    port: int,
    base_url: str | None,
    timeout: float,
    workers: int,
    cache: int,
    allow_submit: bool,
    token_file: Path | None,
    max_upload: int,
) -> None:
    """Serve the store over HTTP until Ctrl-C (docs/serving.md): read-only, unless
    --allow-submit with --token-file lets the token's holder commit submissions at /submit."""
    from citykg.api import Store  # start-up time

    target = Store(store)
    config = target.server(
        host=host,
        port=port,
        base_url=base_url,
        timeout=timeout,
        workers=workers,
        cache=cache,
        allow_submit=allow_submit,
        token_file=token_file,
        max_upload=max_upload,
    )
    target.serve(
        config, announce=lambda url: click.echo(f"citykg: serving {target.location} at {url}", err=True)
    )
