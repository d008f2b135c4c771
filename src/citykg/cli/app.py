"""The `citykg` command group: the one place where citykg's errors become a message on stderr
and an exit code."""

from __future__ import annotations

import os
import sys
import traceback
from typing import Any

import click

from citykg import __version__
from citykg.errors import CityKGError, ExitCode, OutputError
from citykg.files import write_fault, write_faults_as


class CityKGGroup(click.Group):
    """A click group that turns citykg's errors into a message on stderr and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CityKGError as exc:
            click.echo(f"citykg: {exc}", err=True)
            if isinstance(exc, OutputError):
                _drop_stdout()
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort, SystemExit):
            raise
        except BrokenPipeError:
            # the reader stopped reading (`citykg queries | head`): not an error of ours
            _drop_stdout()
            ctx.exit(ExitCode.OK)
        except OSError as exc:
            reason = write_fault(exc)
            if reason is None:
                _bug()
                ctx.exit(ExitCode.BUG)
            # a full disk or a read-only folder (standard output included): not a bug either
            where = f" ({exc.filename})" if exc.filename else ""
            click.echo(f"citykg: cannot write{where}: {reason}", err=True)
            _drop_stdout()
            ctx.exit(ExitCode.USAGE_OR_UNREADABLE)
        except Exception:
            _bug()
            ctx.exit(ExitCode.BUG)


def write_stdout(data: bytes) -> None:
    """Write bytes to stdout; a full disk (or a read-only file behind it) is an OutputError."""
    hint = "free some space where the output goes, or write to a file elsewhere with -o"
    with write_faults_as(OutputError, "to standard output", where=None, hint=hint):
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def _bug() -> None:
    click.echo(traceback.format_exc(), err=True)
    click.echo("citykg: this is a bug; please report it with the traceback above", err=True)


def _drop_stdout() -> None:
    """Send what is left in stdout's buffer nowhere, so that flushing it at exit cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real stdout (a test runner's)
        pass


@click.group(cls=CityKGGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="citykg")
def cli() -> None:
    """Build a knowledge graph of city innovation profiles, validate submissions, ask questions.

    Exit codes: 0 ok; 1 data does not conform; 2 usage error or unreadable input; 70 a bug.
    """


def main() -> None:
    """The console script."""
    cli(prog_name="citykg")
