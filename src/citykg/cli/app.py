"""The `citykg` command group: the one place where citykg's errors become a message on stderr
and an exit code."""

from __future__ import annotations

import os
import sys
import traceback
from typing import Any

import click

from citykg import __version__
from citykg.errors import CityKGError, ExitCode


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


def main() -> None:
    """The console script."""
    cli(prog_name="citykg")
