"""`/submit` (check a submission, and commit it with the operator's token) and
`/cities/{country}/{city}/history` (the versions of a city's submissions).

Submitting is off unless the server was started with `--allow-submit --token-file FILE`; then
anyone may check (a dry run: the problems with their line, field and did-you-mean, then the
changes against the stored version), and a commit needs the token. Both run
workflow.submit, the CLI's `citykg submit`, in a thread (the event loop keeps answering), one
at a time; a commit takes the store's write lock and makes a new generation live, which every
page and query then reads (ADR 1401). See docs/decisions/1503.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from citykg.errors import InputError, NoSuchVersion
from citykg.rdf.formats import InputFormat
from citykg.rdf.iris import IRIs
from citykg.serve.addresses import Addresses
from citykg.serve.config import SubmitSettings
from citykg.serve.context import ServeContext
from citykg.serve.responses import Refused
from citykg.serve.submit_guard import FormGuard, read_form
from citykg.serve.submit_pages import history_page, history_url, submit_page
from citykg.serve.submit_token import read_token, token_matches
from citykg.sources import read_data
from citykg.store.generations import store_iris
from citykg.store.history import Version, versions
from citykg.store.remote.history import remote_versions
from citykg.store.remote.locator import RemoteLocation
from citykg.store.remote.reading import remote_iris
from citykg.store.subjects import LABELS, labels
from citykg.workflow.submit import SubmitResult, submit

#: the formats a pasted submission may be given as, with the name it is then known by
PASTED = {
    InputFormat.YAML: "pasted.yaml",
    InputFormat.JSON: "pasted.json",
    InputFormat.CSV: "pasted.csv",
    InputFormat.TEXT: "pasted.txt",
    InputFormat.TURTLE: "pasted.ttl",
    InputFormat.JSONLD: "pasted.jsonld",
}


OFF = Refused(
    404,
    "submitting is not turned on on this server",
    hint="the operator turns it on with: citykg serve --allow-submit --token-file FILE",
)


@dataclass
class Upload:
    data: bytes
    name: str
    fmt: InputFormat


def routes(context: ServeContext) -> Sequence[BaseRoute]:
    settings = context.config.submit
    history = Route("/cities/{country}/{city}/history", _history_route(context), methods=["GET"])
    if settings is None:

        async def off(request: Request) -> Response:
            raise OFF

        return [Route("/submit", off, methods=["GET", "POST"], name="submit"), history]
    token = read_token(settings.token_file)  # at start-up: a bad token file stops the server now
    guard = FormGuard(context.config.url)
    one_at_a_time = asyncio.Lock()

    async def form(request: Request) -> Response:
        return _page(guard, request, status=200)

    async def send(request: Request) -> Response:
        guard.check_origin(request)
        fields = await read_form(request, max_upload=settings.max_upload_bytes)
        try:
            return await answer(request, fields)
        finally:
            await fields.close()

    async def answer(request: Request, fields: FormData) -> Response:
        guard.check_token(request, fields)
        commit = fields.get("action") == "commit"
        pasted = fields.get("text")
        shown = {"text": pasted if isinstance(pasted, str) else "", "format": fields.get("format")}
        if commit and not token_matches(str(fields.get("token") or ""), token):
            message = "not committed: the operator's token is missing or wrong; nothing was written"
            return _page(guard, request, status=403, refusal=message, form=shown)
        try:
            upload = await _upload(fields, settings)
        except InputError as exc:
            return _page(guard, request, status=422, unreadable=exc, form=shown)
        try:
            await asyncio.wait_for(one_at_a_time.acquire(), context.config.limits.max_wait)
        except TimeoutError:
            raise Refused(
                503, "the server is busy checking other submissions", headers={"Retry-After": "10"}
            ) from None
        try:
            new_city = fields.get("new_city") == "yes"
            result = await run_in_threadpool(_run, context, upload, commit, new_city)
        except InputError as exc:
            return _page(guard, request, status=422, unreadable=exc, form=shown)
        finally:
            one_at_a_time.release()
        if result.committed:
            return RedirectResponse(_history_url(context, result) + "?committed=1", status_code=303)
        status = 200 if result.conforms else 422
        return _page(guard, request, status=status, result=result, commit=commit, form=shown)

    return [
        Route("/submit", form, methods=["GET"], name="submit"),
        Route("/submit", send, methods=["POST"]),
        history,
    ]


def _run(context: ServeContext, upload: Upload, commit: bool, new_city: bool) -> SubmitResult:
    """The CLI's `citykg submit` of the upload (in a worker thread): read from its bytes only."""
    store = context.config.store
    submissions = read_data(upload.data, source=upload.name, fmt=upload.fmt)
    remote = store if isinstance(store, RemoteLocation) else None
    return submit(
        submissions,
        store_path=Path(str(store)),
        iris=_store_iris(store),
        dry_run=not commit,
        new_city=new_city,
        remote=remote,
    )


async def _upload(fields: FormData, settings: SubmitSettings) -> Upload:
    """The submission of the form: the file chosen, else the text pasted."""
    chosen = fields.get("file")
    if isinstance(chosen, UploadFile) and chosen.filename:
        data = await chosen.read()
        name = _base_name(chosen.filename)
        fmt = InputFormat.from_path(Path(name))  # the name only: nothing is opened
    else:
        pasted = fields.get("text")
        if not isinstance(pasted, str) or not pasted.strip():
            raise InputError(
                "nothing to check", hint="choose a file, or paste a submission into the text box"
            )
        try:
            fmt = InputFormat(str(fields.get("format") or "yaml"))
        except ValueError:
            raise InputError("unknown format for the pasted text", hint="choose one from the list") from None
        data, name = pasted.replace("\r\n", "\n").encode("utf-8"), PASTED[fmt]
    if not data:
        raise InputError("the file is empty", where=name, hint="choose the submission file")
    if len(data) > settings.max_upload_bytes:
        raise Refused(
            413, f"the upload is larger than this server takes ({settings.max_upload_bytes:,} bytes)"
        )
    return Upload(data, name, fmt)


def _store_iris(store: Path | RemoteLocation) -> IRIs:
    """The IRIs the store mints under (a folder's, or a remote store's)."""
    return remote_iris(store, None) if isinstance(store, RemoteLocation) else store_iris(store)


def _base_name(filename: str) -> str:
    """The name of an uploaded file without any folder a browser sent (only a name to show:
    nothing is ever opened by it)."""
    name = PureWindowsPath(PurePosixPath(filename).name).name.strip() or "upload"
    return "".join(c if c.isprintable() else "_" for c in name)[:100]


def _page(guard: FormGuard, request: Request, *, status: int, **shown: Any) -> Response:
    csrf, cookie = guard.form_token(request)
    response = HTMLResponse(submit_page(guard.url, csrf=csrf, **shown), status_code=status)
    guard.set_cookie(response, cookie)
    return response


def _history_url(context: ServeContext, result: SubmitResult) -> str:
    """The history page of the city `result` committed."""
    base = _store_iris(context.config.store).base
    for review in result.reviews:
        if review.checked.mapped is not None:  # the graph is <base>graph/COUNTRY/CITY/WAVE
            country, city = str(review.checked.mapped.graph_iri).split("/")[-3:-1]
            found = history_url(context.config.url, base, f"{base}id/city/{country}/{city}")
            if found is not None:
                return found
    return context.url("submit")  # not reached: a commit has a submission


def _history_route(context: ServeContext) -> Any:
    live = context.live

    async def history(request: Request) -> Response:
        country, city = request.path_params["country"], request.path_params["city"]
        store = context.config.store

        def found() -> tuple[IRIs, str, str, list[Version]]:
            iris = _store_iris(store)  # a remote store's: a request to the server
            iri = f"{iris.base}id/city/{country}/{city}"
            named = {t.predicate.value: t.object for t in labels(live.get(), [iri])}
            shown = [o.value for p in LABELS if isinstance(o := named.get(p), ox.Literal)]  # as preferred
            name = shown[0] if shown else city
            if isinstance(store, RemoteLocation):
                return iris, iri, name, remote_versions(store, iri, wave=None, iris=iris)
            return iris, iri, name, versions(store, iri, iris=iris)

        try:
            iris, iri, name, listed = await run_in_threadpool(found)
        except (NoSuchVersion, ValueError) as exc:  # ValueError: no IRI (a space in the path)
            raise Refused(404, f"no submission for the city {country}/{city} in this store") from exc
        base = iris.base
        page = history_page(
            context.config.url,
            city_iri=iri,
            city_url=Addresses(base, context.config.url).url_of(iri) or iri,
            name=name,
            found=listed,
            committed="committed" in request.query_params,
            submit=context.config.submit is not None,
        )
        return HTMLResponse(page)

    return history
