"""The `citykg` command: parse options, call `citykg.api`, render the result.

One module per command or group of commands; the group and its error handling are in app.py,
the shared options in options.py, the renderings of reports in render.py. The commands import
the API's heavy parts (pyshacl, owlrl, rdflib's SPARQL) only when they run, so that
`citykg --version` and shell completion start fast.
"""

from __future__ import annotations

from citykg.cli import build, export, extract, query, serve, submit, validate
from citykg.cli.app import cli, main

for command in (
    validate.validate,
    build.build,
    query.list_queries,
    query.query,
    export.export,
    export.publish,
    extract.extract,
    submit.submit_command,
    submit.history_command,
    serve.serve,
):
    cli.add_command(command)

__all__ = ["cli", "main"]
