"""`citykg extract`: profile pages to submission documents."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from citykg.cli.options import format_option
from citykg.errors import CityKGError, ExitCode, InputError
from citykg.files import check_output, write_output

if TYPE_CHECKING:
    from citykg import TextExtraction


def render_data(data: dict[str, Any], fmt: str) -> str:
    """A submission document as readable YAML (block style, submission key order) or JSON."""
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    import yaml  # start-up time: not for --version and completion

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)


def page_files(paths: tuple[Path, ...]) -> list[Path]:
    """The pages named: a file as given, a folder as every `*.txt` directly in it, sorted."""
    pages: list[Path] = []
    for path in paths:
        if not path.is_dir():
            pages.append(path)
            continue
        inside = sorted(p for p in path.glob("*.txt") if p.is_file())
        if not inside:
            raise InputError(
                "the folder holds no page (*.txt)",
                where=str(path),
                hint="give page files, or a folder with *.txt files in it (subfolders are not read)",
            )
        pages.extend(inside)
    return pages


def output_folder(
    paths: tuple[Path, ...], pages: list[Path], output: str | None, output_dir: Path | None
) -> tuple[Path | None, Path | None]:
    """(file, folder) to write into: `-o` is a file for one page given as a file, unless it is a
    folder or ends with '/'; otherwise a folder, as `--output-dir` always is."""
    if output is not None and output_dir is not None:
        raise click.UsageError("give -o/--output or --output-dir, not both")
    if output == "":
        raise click.UsageError("-o/--output is empty; give a file or a folder")
    if output_dir is not None:
        return None, output_dir
    if output is None:
        return None, None
    one_file = len(paths) == 1 and len(pages) == 1 and not paths[0].is_dir()
    if one_file and not Path(output).is_dir() and not output.endswith(("/", os.sep)):
        return Path(output), None
    return None, Path(output)


def output_files(
    paths: tuple[Path, ...], pages: list[Path], output: str | None, output_dir: Path | None, fmt: str
) -> dict[Path, Path]:
    """The file each page is written to (none: to stdout), every one checked before anything
    is written: a folder that is a file, two pages of one name, a link or device is refused."""
    to_file, to_folder = output_folder(paths, pages, output, output_dir)
    if to_file is not None:
        targets = {pages[0]: to_file}
    elif to_folder is not None:
        if to_folder.exists() and not to_folder.is_dir():
            raise InputError(
                "is a file, but several pages go into a folder",
                where=str(to_folder),
                hint="give a folder (it is created if missing), or one page for -o FILE",
            )
        refuse_same_names(pages, to_folder, fmt)
        targets = {page: to_folder / f"{page.stem}.{fmt}" for page in pages}
    else:
        return {}
    for target in targets.values():
        check_output(target)
    return targets


def refuse_same_names(pages: list[Path], folder: Path, fmt: str) -> None:
    """Two pages that would write the same `<stem>.<fmt>` in one folder: refused before writing."""
    seen: dict[str, Path] = {}
    for page in pages:
        key = page.stem.casefold()
        if key in seen:
            raise InputError(
                f"{seen[key]} and {page} would both be written as {folder / page.stem}.{fmt}; "
                "nothing was written",
                hint="rename one of them, or extract them into different folders",
            )
        seen[key] = page


@click.command("extract")
@click.argument("pages", nargs=-1, required=True, type=click.Path(path_type=Path))
@format_option(["yaml", "json"], default="yaml")
@click.option(
    "-o",
    "--output",
    type=click.Path(),  # a str: a Path would lose the trailing '/' that makes it a folder
    help="Where to write: a file for one page; a folder (one <page>.yaml|json per page) for a "
    "folder, several pages, or a PATH that is a folder or ends with '/'.",
)
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write one <page>.yaml|json per page into this folder (as -o FOLDER/).",
)
@click.option("--report", is_flag=True, help="Print, per page, each field found (value) or left out (why).")
@click.option("--explain", is_flag=True, help="Print, per line of each page, the facts it produced.")
@click.option("--wave", type=click.IntRange(2000, 2100), help="The survey wave, if the page does not say.")
@click.option("--city", metavar="NAME", help="The city's name, for one page that does not give it.")
def extract(
    pages: tuple[Path, ...],
    fmt: str,
    output: str | None,
    output_dir: Path | None,
    report: bool,
    explain: bool,
    wave: int | None,
    city: str | None,
) -> None:
    """Turn profile page texts (PAGES) into submission documents.

    PAGES are page files or folders; a folder stands for every *.txt directly in it, in sorted
    order (subfolders are not read). Without -o the documents go to stdout (not with --report
    or --explain). A page that cannot be read is reported and the others are still written;
    the exit code is then 2. Per page, a summary line goes to stderr, and for several pages a
    total.
    """
    from citykg import api  # start-up time

    files = page_files(pages)
    if city is not None and len(files) != 1:
        raise click.UsageError(f"--city names the city of one page; {len(files)} pages were given")
    targets = output_files(pages, files, output, output_dir, fmt)
    several = len(files) > 1 or any(p.is_dir() for p in pages)
    documents: list[dict[str, Any]] = []
    failed = found = 0
    for page in files:
        try:
            extraction = api.extract(page, wave=wave, city=city)
        except CityKGError as exc:
            if not several:
                raise
            failed += 1
            click.echo(f"citykg: {exc}", err=True)
            continue
        found += sum(r.found for r in api.field_reports(extraction))
        show(extraction, explain=explain, report=report)
        if targets:
            write(targets[page], render_data(extraction.document.data, fmt))
        else:
            documents.append(extraction.document.data)
        click.echo(api.summary(extraction), err=True)
    if several:
        click.echo(
            f"{len(files)} page{'s' if len(files) != 1 else ''}: {len(files) - failed} read, "
            f"{failed} failed; {found} fields found",
            err=True,
        )
    if documents and not (explain or report):
        if fmt == "json" and several:
            click.echo(json.dumps(documents, ensure_ascii=False, indent=2))
        else:
            click.echo("---\n".join(render_data(d, fmt) for d in documents), nl=False)
    if failed:
        raise click.exceptions.Exit(ExitCode.USAGE_OR_UNREADABLE)


def write(target: Path, text: str) -> None:
    """`write_output` (atomic; a full disk or read-only folder says so); any other failure to
    write (a file where a folder should be) is reported with the file, not as a bug."""
    try:
        write_output(target, text.encode())
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", where=str(target)) from exc


def show(extraction: TextExtraction, *, explain: bool, report: bool) -> None:
    from citykg import api  # start-up time

    if explain:
        click.echo(api.render_explanation(extraction), nl=False)
    if report:
        click.echo(api.render_report(extraction), nl=False)
