"""`citykg export` (one format, to stdout or a file) and `citykg publish` (every format, with
DCAT and VoID descriptions, into a folder)."""

from __future__ import annotations

from pathlib import Path

import click

from citykg.cli.app import write_stdout
from citykg.cli.options import (
    base_option,
    city_option,
    format_option,
    inferred_option,
    ontology_option,
    output_option,
    profile_option,
    quiet_option,
    store_option,
)
from citykg.rdf.formats import ExportFormat, Frame, Profile


@click.command()
@format_option([f.value for f in ExportFormat], default=ExportFormat.TURTLE.value)
@output_option("Write here (atomically) instead of stdout.")
@inferred_option
@ontology_option
@city_option
@profile_option
@click.option(
    "--frame",
    type=click.Choice([f.value for f in Frame]),
    help="JSON-LD only: one nested document per city (a JSON array of documents).",
)
@click.option(
    "--download-base",
    help="JSON-LD only: name the context of a publication served from this URL "
    "(URL/context-0.1.jsonld); default: the context inline.",
)
@store_option
@base_option
def export(
    fmt: str,
    output: Path | None,
    inferred: bool,
    ontology: bool | None,
    cities: tuple[str, ...],
    profile: str | None,
    frame: str | None,
    download_base: str | None,
    store: Path | None,
    base: str | None,
) -> None:
    """Export the store as Turtle, N-Triples, N-Quads, TriG or JSON-LD.

    JSON-LD carries citykg's context inline, so any JSON-LD processor reads it as it is.
    """
    from citykg.api import Store  # start-up time

    data = Store(store, base=base).export(
        ExportFormat(fmt),
        output=output,
        inferred=inferred,
        ontology=ontology,
        cities=cities,
        profile=Profile(profile or Profile.FULL),
        frame=Frame(frame) if frame else None,
        download_base=download_base,
    )
    if output is None:
        write_stdout(data)
    else:
        click.echo(f"wrote {output} ({len(data)} bytes)", err=True)


@click.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--config",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Publication settings (YAML or JSON): title, description, publisher {name, iri}, licence, "
    "keywords, download_base, issued.",
)
@click.option("--title", help="Title of the dataset.")
@click.option("--publisher", "publisher_name", help="Name of the publishing organisation.")
@click.option("--publisher-iri", help="IRI of the publishing organisation.")
@click.option("--licence", help="CC-BY-4.0 (default), CC-BY-SA-4.0, CC0-1.0, ODC-BY-1.0, ODbL-1.0 or an IRI.")
@click.option(
    "--download-base",
    help="URL the folder will be served from; default: download locations relative to the folder "
    "and the JSON-LD context inline (with it: named as URL/context-0.1.jsonld).",
)
@inferred_option
@ontology_option
@city_option
@profile_option
@store_option
@base_option
@quiet_option
def publish(
    folder: Path,
    config: Path | None,
    title: str | None,
    publisher_name: str | None,
    publisher_iri: str | None,
    licence: str | None,
    download_base: str | None,
    inferred: bool,
    ontology: bool | None,
    cities: tuple[str, ...],
    profile: str | None,
    store: Path | None,
    base: str | None,
    quiet: bool,
) -> None:
    """Write every export plus DCAT and VoID descriptions into FOLDER, ready to upload.

    The folder is replaced as a whole (only an empty folder or an earlier publication). The
    public profile is the default here: no e-mail addresses or telephone numbers of people.
    A publication that takes more than a second shows its progress on stderr, unless --quiet.
    """
    from citykg.api import Store  # start-up time
    from citykg.cli.progress import shown  # start-up time: threads and terminal size

    with shown(quiet=quiet) as progress:
        result = Store(store, base=base).publish(
            folder,
            config=config,
            title=title,
            publisher=publisher_name,
            publisher_iri=publisher_iri,
            licence=licence,
            download_base=download_base,
            inferred=inferred,
            ontology=ontology,
            cities=cities,
            profile=Profile(profile or Profile.PUBLIC),
            progress=progress,
        )
    for name in result.files:
        click.echo(name)
    click.echo(
        f"published {result.folder}: {result.triples} triples, {result.cities} cities, "
        f"{len(result.files)} files",
        err=True,
    )
