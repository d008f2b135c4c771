"""citykg's public API: a `Store` and the few functions that need none.

    >>> import citykg
    >>> store = citykg.Store(".citykg/store")          # or Store(): $CITYKG_STORE, else .citykg/store
    >>> store.build(["data"])                            # doctest: +SKIP
    >>> store.query("cities-with-data-partner", {"partner": "hospitals"}).column("city")  # doctest: +SKIP
    ['Helsinki']

The CLI calls only this module, so a Python user gets what `citykg` on the command line does:
in particular, the store's remembered base IRI is resolved here (a store built under
`https://data.example.org/kg/` mints every later submission under it, however it is reached).

Conventions: every input is given one way (a catalog query by name and a mapping of its
parameters, ad hoc SPARQL as text); options are keyword-only; closed sets of choices are
`StrEnum`s (their values are accepted too, e.g. `"nquads"` for `ExportFormat.NQUADS`); every
error raised on purpose is a `citykg.CityKGError`.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from citykg.errors import BuildRefused, InputError, StoreError
from citykg.progress import SILENT, Progress
from citykg.rdf.formats import ExportFormat, Frame, Profile
from citykg.store.locks import DEFAULT_WAIT

# Start-up time: each stage (pyshacl for checks, owlrl for inference, PyLD for JSON-LD, rdflib's
# SPARQL engine, the page reader, the exporters) is imported by the method that uses it, so a
# command loads only what it runs; `citykg validate` of a YAML file loads no reasoner or exporter.
if TYPE_CHECKING:
    from rdflib import Graph
    from starlette.applications import Starlette

    from citykg.export.publish import Publication
    from citykg.queries.catalog import CatalogQuery
    from citykg.queries.results import QueryResult
    from citykg.queries.results import render as render_result
    from citykg.rdf.iris import IRIs
    from citykg.serve.config import ServeConfig
    from citykg.sources.text.extract import TextExtraction
    from citykg.sources.text.report import (
        FieldReport,
        field_reports,
        render_explanation,
        render_report,
        summary,
    )
    from citykg.store.graphs import OxigraphStore
    from citykg.store.history import Version
    from citykg.store.remote.locator import RemoteLocation
    from citykg.validation.report import Report
    from citykg.validation.report_rdf import report_graph
    from citykg.workflow.build import BuildResult
    from citykg.workflow.submit import SubmitResult

#: the names this module passes on from the stages, loaded on first use: (module, name there)
_PASSED_ON = {
    "FieldReport": ("citykg.sources.text.report", "FieldReport"),
    "field_reports": ("citykg.sources.text.report", "field_reports"),
    "render_explanation": ("citykg.sources.text.report", "render_explanation"),
    "render_report": ("citykg.sources.text.report", "render_report"),
    "summary": ("citykg.sources.text.report", "summary"),
    "render_result": ("citykg.queries.results", "render"),
    "report_graph": ("citykg.validation.report_rdf", "report_graph"),
}

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from citykg.serve.config import ServeConfig

__all__ = [
    "BuildRefused",
    "FieldReport",
    "Store",
    "StrPath",
    "catalog",
    "check_base",
    "extract",
    "field_reports",
    "read_sparql",
    "render_explanation",
    "render_report",
    "render_result",
    "report_graph",
    "summary",
    "validate",
]

StrPath = str | os.PathLike[str]
"""A file or folder: a `str` or a `pathlib.Path`."""

_E = TypeVar("_E", bound=StrEnum)


def check_base(base: str) -> str:
    """A base IRI for minted resources, checked.

    :param base: an http(s) IRI ending in '/', e.g. ``https://data.example.org/citykg/``.
    :raises InputError: when it is not one.
    """
    from citykg.rdf.iris import IRIs

    try:
        return IRIs(base).base
    except ValueError as exc:
        raise InputError(str(exc), where="base", hint="give an http(s) IRI ending in '/'") from exc


def validate(paths: StrPath | Iterable[StrPath], *, base: str | None = None) -> list[Report]:
    """Check submissions (YAML, JSON, CSV, page text, Turtle, JSON-LD) without any store.

    :param paths: one file or folder, or several; folders are read for every submission in them.
    :param base: the base IRI submissions are checked under (default ``https://w3id.org/citykg/``).
    :returns: one report per submission; ``report.conforms`` says whether it may be built.
    :raises InputError: when a file cannot be read or parsed, or the base is no base IRI.
    """
    from citykg.rdf.iris import IRIs
    from citykg.workflow.check import validate_paths

    return validate_paths(_path_list(paths), iris=IRIs(check_base(base)) if base is not None else None)


def extract(page: StrPath, *, wave: int | None = None, city: str | None = None) -> TextExtraction:
    """Read a city's profile page (the text copied from the survey site) into a submission.

    :param page: the page's text file (UTF-8).
    :param wave: the survey wave, when the page does not say.
    :param city: the city's name, for a page that does not give it (a goal/factor fragment).
    :returns: the submission document (``.document.data``) and, per line, the facts it gave;
        `render_explanation` and `summary` print them, `field_reports` (printed by
        `render_report`) tells per field a page can state whether it was found or why not.
    :raises InputError: when the file cannot be read or is no profile page.
    """
    from citykg.sources.common import read_bytes
    from citykg.sources.text.extract import read_text_bytes

    location = Path(page)
    return read_text_bytes(read_bytes(location), source=str(location), wave=wave, city=city)


def catalog() -> list[CatalogQuery]:
    """The named queries of the catalog (queries/*.rq), sorted by name, with their parameters."""
    from citykg.queries.catalog import catalog as query_catalog

    return list(query_catalog().values())


def read_sparql(path: StrPath) -> str:
    """The SPARQL text of a query file, for `Store.sparql`.

    :raises QueryError: when the file cannot be read as UTF-8 text.
    """
    from citykg.queries.run import read_query

    return read_query(Path(path))


class Store:
    """A citykg store: a folder holding the knowledge graph, its generations and its history.

    Nothing is read until a method needs it, so a `Store` can name a folder that does not exist
    yet (`build` and `submit` create it). Every method resolves the base IRI the same way: the
    one the store was built with, else the `base` given here, else ``https://w3id.org/citykg/``.
    """

    def __init__(self, path: StrPath | None = None, *, base: str | None = None) -> None:
        """Name the store folder (nothing is read yet).

        :param path: the store folder (default: ``$CITYKG_STORE``, else ``.citykg/store``).
        :param base: the base IRI to mint under when building; for an existing store it must be
            the one it was built with (leave it out: the store remembers it).
        :raises InputError: when `base` is not an http(s) IRI ending in '/', or `path` is empty.
        """
        if path is not None and not str(path).strip():
            raise InputError("the store folder is an empty name", hint="name a folder, or leave it out")
        from citykg.store.generations import STORE_ENV, default_store_path
        from citykg.store.remote.locator import is_remote, locate

        named = str(path) if path is not None else os.environ.get(STORE_ENV) or ""
        self._remote = locate(named) if named and is_remote(named) else None
        self._path = Path(path) if path is not None else default_store_path()
        self._base = check_base(base) if base is not None else None
        #: the live generation, open for this Store's queries (`_reader`)
        self._opened: OxigraphStore | None = None

    def __repr__(self) -> str:
        return f"Store({str(self.location)!r})"

    @property
    def path(self) -> Path:
        """The store folder (for a remote store: what `location` names, as a path)."""
        return self._path

    @property
    def location(self) -> Path | RemoteLocation:
        """The store folder, or the remote store (a SPARQL endpoint, docs/remote-store.md)."""
        return self._remote or self._path

    def _local(self, what: str) -> Path:
        """The store folder, for what a remote store cannot do yet."""
        if self._remote is not None:
            raise StoreError(
                f"{what} on a remote store is not supported yet",
                where=str(self._remote),
                hint="use an embedded store folder for it (docs/decisions/1601)",
            )
        return self._path

    @property
    def base(self) -> str:
        """The base IRI this store mints under (see the class description).

        :raises StoreError: when the store was built with another base than the one given.
        """
        return self._iris().base

    def _iris(self, *, replacing: bool = False) -> IRIs:
        if self._remote is not None:
            from citykg.store.remote.reading import remote_iris

            return remote_iris(self._remote, self._base, replacing=replacing)
        from citykg.store.generations import store_iris

        return store_iris(self._path, self._base, replacing=replacing)

    def _reader(self) -> OxigraphStore:
        """The store's live generation, opened once for this Store's queries and again when
        another generation goes live (opening one costs about 10 ms of CPU; decision 1304)."""
        from citykg.store.generations import live_generation, open_store

        live = live_generation(self._path)
        if self._opened is None or self._opened.location != live:
            self._close_reader()
            self._opened = open_store(self._path)
        return self._opened

    def _close_reader(self) -> None:
        """Let go of the generation this Store read (its readers' lock), e.g. before writing,
        so that the write can remove it."""
        opened, self._opened = self._opened, None
        if opened is not None and opened.holding is not None:
            opened.holding.close()

    @contextmanager
    def _readable(self) -> Iterator[Path]:
        """A store folder to read all of: this one, or a copy of the remote store's live graphs."""
        if self._remote is None:
            yield self._path
            return
        from citykg.store.remote.copy import local_copy

        with local_copy(self._remote) as folder:
            yield folder

    def build(
        self,
        paths: StrPath | Iterable[StrPath],
        *,
        wait: float | None = None,
        progress: Progress | None = None,
    ) -> BuildResult:
        """Build the store from submission files and folders; its content is replaced
        atomically (the previous store stays until the new one is complete). Versions the
        build drops or replaces go into the history. A rebuild may choose another `base`.
        The folder must be new, empty or a citykg store; a damaged store is rebuilt in place.

        :param paths: one file or folder, or several.
        :param wait: seconds to wait for another build or submit writing the store (default 10).
        :param progress: told of the stages (files checked and loaded, inference) and their
            counts, and ``done()`` at the end; nothing is reported without one.
        :returns: the graphs built, what was done (``actions``), the reports (with warnings).
        :raises BuildRefused: when a submission does not conform (its reports are attached,
            ``exc.reports``) or two submissions for one city and wave disagree.
        :raises InputError: when a file cannot be read.
        :raises StoreError: when the folder is not a store (nor new or empty), cannot be written
            (disk full, read-only), or another build or submit held it for longer than `wait`.
        """
        self._close_reader()  # so that the build can remove the generation it replaces
        if self._remote is not None:
            from citykg.workflow.remote import build_remote

            return build_remote(
                _path_list(paths),
                location=self._remote,
                iris=self._iris(replacing=True),
                wait=_wait(wait),
                progress=progress or SILENT,
            )
        from citykg.workflow.build import build as build_store

        return build_store(
            _path_list(paths),
            store_path=self._path,
            iris=self._iris(replacing=True),
            wait=_wait(wait),
            progress=progress or SILENT,
        )

    def validate(self, paths: StrPath | Iterable[StrPath]) -> list[Report]:
        """Check submissions under this store's base IRI, without changing the store (the
        checks against the stored data are `submit(..., dry_run=True)`).

        :param paths: one file or folder, or several.
        :raises InputError: when a file cannot be read or parsed.
        :raises StoreError: when the store was built with another base than the one given.
        """
        from citykg.workflow.check import validate_paths

        return validate_paths(_path_list(paths), iris=self._iris())

    def submit(
        self, path: StrPath, *, dry_run: bool = False, new_city: bool = False, wait: float | None = None
    ) -> SubmitResult:
        """Check one file's submissions against the shapes and the store, and commit them in
        one step unless a problem is found; a submission for a city and wave already stored
        replaces it, and the replaced version is kept in the history.

        :param path: the submission file.
        :param dry_run: check and compute the changes only; change nothing.
        :param new_city: the city is not the stored one with a similar name in the same country.
        :param wait: seconds to wait for another build or submit writing the store (default 10).
        :returns: per submission its report and changes; ``committed`` says whether it landed
            (``conforms`` is False when it did not conform or conflicts with the store).
        :raises InputError: when the file cannot be read.
        :raises StoreError: when the store cannot be written (disk full, read-only, not a
            store), another writer held it for longer than `wait`, or other commits kept landing.
        """
        self._close_reader()  # so that the submit can remove the generation it replaces
        from citykg.workflow.submit import submit as submit_file

        return submit_file(
            Path(path),
            store_path=self._path,
            iris=self._iris(),
            dry_run=dry_run,
            new_city=new_city,
            wait=_wait(wait),
            remote=self._remote,
        )

    def query(
        self,
        name: str,
        params: Mapping[str, str] | None = None,
        *,
        inferred: bool = True,
        timeout: float | None = None,
    ) -> QueryResult:
        """Answer a catalog query (see `catalog()`).

        :param name: the query's name, e.g. ``"cities-with-data-partner"``.
        :param params: its parameters by name, e.g. ``{"partner": "hospitals"}`` (a mapping, so
            that no parameter name can clash with the options).
        :param inferred: answer with the inferred triples too (False: the asserted graphs only).
        :param timeout: stop the query after this many seconds.
        :returns: rows (``.rows``, ``.column(name)``), a boolean or a graph; `render_result` prints it.
        :raises QueryError: for an unknown query or parameter, a value that does not fit.
        :raises QueryTimeout: when the time is up.
        :raises StoreError: when there is no store yet.
        """
        from citykg.queries.run import answer

        return answer(
            self._remote or (self._reader() if timeout is None else self._path),
            name=name,
            params=dict(params or {}),
            include_inferred=inferred,
            timeout=timeout,
        )

    def sparql(self, text: str, *, inferred: bool = True, timeout: float | None = None) -> QueryResult:
        """Answer ad hoc SPARQL (read-only; SERVICE, updates and FROM graphs not in the store are refused).

        :param text: the query (`read_sparql` reads one from a file).
        :param inferred: answer with the inferred triples too (False: the asserted graphs only).
        :param timeout: stop the query after this many seconds.
        :raises QueryError: when the query is malformed or refused for safety.
        :raises QueryTimeout: when the time is up.
        :raises StoreError: when there is no store yet.
        """
        from citykg.queries.run import answer

        store = self._remote or (self._reader() if timeout is None else self._path)
        return answer(store, sparql=text, include_inferred=inferred, timeout=timeout)

    def history(self, city: str, *, wave: int | None = None) -> list[Version]:
        """Every version of a city's submissions, per wave in the order they landed (the
        current one last).

        :param city: the city's name as submitted, or its IRI.
        :param wave: only this survey wave.
        :raises NoSuchVersion: when the store holds no submission for that city (and wave).
        """
        if self._remote is not None:
            from citykg.store.remote.history import remote_versions

            return remote_versions(self._remote, city, wave=wave, iris=self._iris())
        from citykg.store.history import versions

        return versions(self._path, city, wave=wave, iris=self._iris())

    def version(self, city: str, number: int, *, wave: int | None = None) -> Graph:
        """The graph of one version of a city's submission, numbered as `history` lists them.

        :param city: the city's name as submitted, or its IRI.
        :param number: the version's number.
        :param wave: the survey wave; needed when the city has several.
        :raises NoSuchVersion: when there is no such version, or the number is ambiguous.
        """
        from citykg.rdf.terms import PREFIXES
        from citykg.store.history import find_version, version_graph

        if self._remote is not None:
            from citykg.store.history import parse_version
            from citykg.store.remote.history import remote_version_bytes

            data = remote_version_bytes(self._remote, city, wave=wave, number=number, iris=self._iris())
            graph = parse_version(data)
        else:
            iris = self._iris()
            found = find_version(self._path, city, wave=wave, number=number, iris=iris)
            graph = version_graph(self._path, found)
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        return graph

    def show_version(
        self,
        city: str,
        number: int,
        *,
        wave: int | None = None,
        fmt: ExportFormat | str = ExportFormat.TURTLE,
    ) -> bytes:
        """One version of a city's submission written out, numbered as `history` lists them:
        N-Triples are the bytes history keeps; Turtle and JSON-LD are written as `export` writes.

        :param city: the city's name as submitted, or its IRI.
        :param number: the version's number.
        :param wave: the survey wave; needed when the city has several.
        :param fmt: turtle, ntriples or jsonld.
        :raises NoSuchVersion: when there is no such version, or the number is ambiguous.
        :raises InputError: for a format that names graphs (nquads, trig) or an unknown one.
        """
        chosen = _choice(ExportFormat, fmt, "format")
        if chosen.keeps_graphs:
            raise InputError(
                f"a version is one graph; write it as turtle, ntriples or jsonld, not {chosen.value}"
            )
        from citykg.rdf.serialize import serialize_ntriples
        from citykg.store.history import find_version, version_bytes

        if self._remote is not None:
            from citykg.store.remote.history import remote_version_bytes

            data = remote_version_bytes(self._remote, city, wave=wave, number=number, iris=self._iris())
            return serialize_ntriples(data, chosen)
        found = find_version(self._path, city, wave=wave, number=number, iris=self._iris())
        return serialize_ntriples(version_bytes(self._path, found), chosen)

    def export(
        self,
        fmt: ExportFormat | str = ExportFormat.TURTLE,
        *,
        output: StrPath | None = None,
        inferred: bool = False,
        ontology: bool | None = None,
        cities: Iterable[str] = (),
        profile: Profile | str = Profile.FULL,
        frame: Frame | str | None = None,
        download_base: str | None = None,
    ) -> bytes:
        """Serialize the store (or a part of it), deterministically.

        :param fmt: the format; formats without named graphs get the union of the graphs.
        :param output: also write the bytes to this file, atomically.
        :param inferred: include the inferred triples.
        :param ontology: include the whole ontology and vocabularies (True) or none (False);
            default: all of it for the whole graph, the concepts used when `cities` are chosen.
        :param cities: only these cities (names, "name, country" or city IRIs).
        :param profile: `Profile.PUBLIC` leaves out people's e-mail addresses and telephones.
        :param frame: JSON-LD only: `Frame.CITY` gives one nested document per city.
        :param download_base: JSON-LD only: name the context of a publication served from this
            URL (`<URL>context-0.1.jsonld`) instead of carrying it inline.
        :returns: the exported bytes.
        :raises InputError: for an unknown city or choice, or a frame with another format.
        :raises OutputError: when `output` is a link, a special file or inside a store, or the
            disk is full or read-only.
        :raises StoreError: when there is no store yet (StoreDamaged: when it is damaged).
        """
        from citykg.export.serializers import export_store

        with self._readable() as folder:
            return export_store(
                folder,
                _choice(ExportFormat, fmt, "export format"),
                iris=self._iris(),
                include_inferred=inferred,
                include_ontology=ontology,
                cities=tuple(cities),
                profile=_choice(Profile, profile, "profile"),
                frame=_choice(Frame, frame, "frame") if frame is not None else None,
                output=Path(output) if output is not None else None,
                download_base=download_base,
            )

    def publish(
        self,
        folder: StrPath,
        *,
        config: StrPath | None = None,
        title: str | None = None,
        publisher: str | None = None,
        publisher_iri: str | None = None,
        licence: str | None = None,
        download_base: str | None = None,
        inferred: bool = False,
        ontology: bool | None = None,
        cities: Iterable[str] = (),
        profile: Profile | str = Profile.PUBLIC,
        progress: Progress | None = None,
    ) -> Publication:
        """Write every export plus DCAT and VoID descriptions into a folder, ready to upload.
        The folder is replaced as a whole (only an empty one or an earlier publication).

        :param folder: the publication folder.
        :param config: publication settings (YAML or JSON: title, description, publisher
            {name, iri}, licence, keywords, download_base, issued); the keywords below win.
        :param title: the dataset's title.
        :param publisher: the publishing organisation's name.
        :param publisher_iri: its IRI.
        :param licence: CC-BY-4.0 (default), CC-BY-SA-4.0, CC0-1.0, ODC-BY-1.0, ODbL-1.0 or an IRI.
        :param download_base: the URL the folder will be served from.
        :param inferred: include the inferred triples; `ontology`, `cities` as for `export`.
        :param profile: `Profile.PUBLIC` (the default here) leaves out people's contact details.
        :param progress: told of the stages (the store read, the files written, with their
            count), and ``done()`` at the end; nothing is reported without one.
        :returns: the folder, its files, and how many triples and cities it holds.
        :raises InputError: for unusable settings.
        :raises OutputError: for a folder that is not an earlier publication (nor new or empty),
            holds files citykg did not write, is a link or is inside a store; or a full disk.
        :raises StoreError: when there is no store yet.
        """
        from citykg.export.publish import load_description
        from citykg.export.publish import publish as publish_store
        from citykg.export.selection import Selection

        about = load_description(
            Path(config) if config is not None else None,
            title=title,
            publisher_name=publisher,
            publisher_iri=publisher_iri,
            licence=licence,
            download_base=download_base,
        )
        selection = Selection.of(
            inferred=inferred,
            ontology=ontology,
            cities=tuple(cities),
            profile=_choice(Profile, profile, "profile"),
        )
        with self._readable() as store_folder:
            return publish_store(
                store_folder,
                Path(folder),
                iris=self._iris(),
                about=about,
                selection=selection,
                progress=progress or SILENT,
            )

    def server(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        base_url: str | None = None,
        timeout: float | None = None,
        workers: int = 2,
        cache: int = 2048,
        allow_submit: bool = False,
        token_file: StrPath | None = None,
        max_upload: int | None = None,
    ) -> ServeConfig:
        """The settings of a read-only HTTP server over this store, for `serve` or `app`.

        :param host: the address to listen on (loopback unless told otherwise).
        :param port: the port to listen on.
        :param base_url: the URL clients reach the server at (behind a reverse proxy, its
            public URL), ending in '/'; default ``http://HOST:PORT/``.
        :param timeout: the longest a query may run, in seconds (default 10); a client may ask
            for less.
        :param workers: query processes answering at once.
        :param cache: answers kept per store generation (0: none).
        :param allow_submit: serve /submit, where anyone may check a submission and the
            holder of the token in `token_file` may commit it (docs/serving.md).
        :param token_file: the file holding the operator's token (not readable by every user).
        :param max_upload: the largest submission /submit takes, in bytes (default 1 MiB).
        :raises InputError: for a base URL that is no http(s) URL ending in '/', a bad limit,
            or `allow_submit` without `token_file` (or the other way round).
        """
        from citykg.serve.config import Limits, ServeConfig, SubmitSettings  # start-up time: starlette

        limits = Limits() if timeout is None else Limits(timeout=timeout)
        if allow_submit != (token_file is not None):
            raise InputError(
                "--allow-submit and --token-file go together",
                where="--allow-submit" if allow_submit else "--token-file",
                hint="give both to let the holder of the token commit submissions, or neither",
            )
        submit = None
        if token_file is not None:
            upload = {} if max_upload is None else {"max_upload_bytes": max_upload}
            submit = SubmitSettings(Path(token_file), **upload)
        return ServeConfig(
            self.location,
            host=host,
            port=port,
            base_url=base_url,
            workers=workers,
            cache_entries=cache,
            limits=limits,
            submit=submit,
        )

    def app(self, config: ServeConfig | None = None) -> Starlette:
        """The ASGI app (Starlette) of `serve`, for any ASGI server; `config` from `server()`."""
        from citykg.serve.app import create_app

        return create_app(config or self.server())

    def serve(
        self, config: ServeConfig | None = None, *, announce: Callable[[str], None] | None = None
    ) -> None:
        """Serve the store over HTTP until stopped: SPARQL at ``/sparql``, the catalog at
        ``/queries`` (docs/serving.md). `announce(url)` is called once it listens.

        :raises StoreError: when there is no store yet (StoreDamaged: it is damaged).
        :raises InputError: when the address cannot be listened on (in use, not this machine's).
        """
        from citykg.serve.server import run

        run(config or self.server(), announce=announce or (lambda url: None))


def __getattr__(name: str) -> Any:
    """Load a name passed on from a stage on first use (PEP 562), as `citykg` does."""
    if name not in _PASSED_ON:
        raise AttributeError(f"module 'citykg.api' has no attribute {name!r}")
    module, attribute = _PASSED_ON[name]
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def _wait(wait: float | None) -> float:
    return DEFAULT_WAIT if wait is None else wait


def _path_list(paths: StrPath | Iterable[StrPath]) -> list[Path]:
    if isinstance(paths, str | os.PathLike):
        return [Path(paths)]
    return [Path(p) for p in paths]


def _choice(kind: type[_E], value: _E | str, what: str) -> _E:
    try:
        return kind(value)
    except ValueError:
        raise InputError(
            f"unknown {what} {value!r}", hint="use one of " + ", ".join(item.value for item in kind)
        ) from None
