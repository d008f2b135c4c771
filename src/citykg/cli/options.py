"""The options several commands share, each defined once: --store, --base, -f/--format,
-o/--output (a file), -q/--quiet and what an export covers (--inferred, --ontology, --city,
--profile).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import click

from citykg.errors import CityKGError
from citykg.rdf.formats import Profile

F = TypeVar("F", bound=Callable[..., Any])

#: the word for output meant for people
TABLE = "table"

STORE_HELP = (
    "Store folder (default: $CITYKG_STORE or .citykg/store), or a SPARQL 1.1 store: "
    "sparql+http(s)://HOST:PORT/PATH or a .toml/.yaml config file (docs/remote-store.md)."
)
WAIT_LIMIT = 7 * 24 * 3600.0
DEFAULT_BASE_HELP = "the one the store was built with, else https://w3id.org/citykg/"


class Choice(click.Choice[str]):
    """A choice with hidden aliases: accepted and mapped to their choice, never shown (in help
    or shell completion). Scripts written for an older word keep working."""

    def __init__(self, choices: Iterable[str], aliases: Mapping[str, str] | None = None) -> None:
        super().__init__(list(choices))
        self.aliases = dict(aliases or {})

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        if isinstance(value, str):
            value = self.aliases.get(value, value)
        return super().convert(value, param, ctx)


class Seconds(click.ParamType[float]):
    """A time in seconds: a finite number above 0 (not `nan`, `inf`, 0 or negative)."""

    name = "seconds"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not math.isfinite(seconds) or seconds <= 0:
            self.fail(f"{value!r} is not a number of seconds above 0", param, ctx)
        return seconds


def format_option(
    choices: Iterable[str],
    *,
    default: str | None,
    help: str | None = None,
    aliases: Mapping[str, str] | None = None,
) -> Callable[[F], F]:
    """`-f/--format` (into the parameter `fmt`)."""
    return click.option(
        "-f",
        "--format",
        "fmt",
        type=Choice(choices, aliases),
        default=default,
        show_default=default is not None,
        help=help,
    )


def table_format_option(*others: str, help: str) -> Callable[[F], F]:
    """`-f/--format` of a command whose default output is for people: `table` (`text`, the
    word used before, still accepted)."""
    return format_option((TABLE, *others), default=TABLE, help=help, aliases={"text": TABLE})


def output_option(help: str) -> Callable[[F], F]:
    """`-o/--output FILE`: a file (written atomically); a folder option says so in its name
    (`extract` has its own -o, a folder for several pages, as `citykg extract pages/ -o out/`)."""
    return click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help=help)


def _check_store(ctx: click.Context, param: click.Parameter, value: str | None) -> Path | str | None:
    if value is None:
        return None
    if not value.strip():
        raise click.BadParameter(
            "is empty; name the store folder (or leave out --store for $CITYKG_STORE or .citykg/store)",
            ctx=ctx,
            param=param,
        )
    return value if "://" in value else Path(value)  # a URL's '//' would not survive a Path


store_option = click.option(
    "--store",
    type=click.Path(),
    default=None,
    callback=_check_store,
    help=STORE_HELP,
)


#: what the library waits when not told (store/locks.py DEFAULT_WAIT; the CLI may not import it)
DEFAULT_WAIT_HELP = "10"


def _check_wait(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    if value is not None and not math.isfinite(value):
        raise click.BadParameter(f"must be a number of seconds, not {value}", ctx=ctx, param=param)
    return value


wait_option = click.option(
    "--wait",
    type=click.FloatRange(min=0, max=WAIT_LIMIT),
    default=None,
    metavar="SECONDS",
    callback=_check_wait,
    help="How long to wait for another build or submit writing the store before giving up (exit 2; "
    f"default: {DEFAULT_WAIT_HELP}).",
)


def _check_base(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if not value:
        return None
    from citykg.api import check_base  # start-up time: only when --base is given

    try:
        return check_base(value)
    except CityKGError as exc:
        raise click.BadParameter(exc.message, ctx=ctx, param=param) from exc


base_option = click.option(
    "--base",
    default=None,
    callback=_check_base,
    help=f"Base IRI of minted resources (default: {DEFAULT_BASE_HELP}).",
)

quiet_option = click.option(
    "-q",
    "--quiet",
    is_flag=True,
    help="Show no progress (shown on stderr when the command runs for more than a second).",
)

# ------------------------------------------------------------------ what an export covers

city_option = click.option(
    "--city",
    "cities",
    multiple=True,
    metavar="NAME",
    help="Only this city (a name, 'name, country' or the city IRI); repeat for more. Default: all.",
)
profile_option = click.option(
    "--profile",
    type=click.Choice([p.value for p in Profile]),
    help="public leaves out people's e-mail addresses and telephone numbers.",
)
inferred_option = click.option(
    "--inferred/--asserted", default=False, help="Include inferred triples (default: asserted only)."
)
ontology_option = click.option(
    "--ontology/--no-ontology",
    default=None,
    help="Include the whole ontology and vocabularies, or none of them. Default: all of it for the "
    "whole graph; for --city, the descriptions of the vocabulary concepts the cities use.",
)
