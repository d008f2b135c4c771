"""Errors as HTTP answers: each kind of refusal has one status, and the body says in plain
text what was wrong and what to do (the CLI's message and hint)."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from citykg.errors import CityKGError, QueryError, QueryTimeout, ResultTooLarge, StoreError
from citykg.serve.pool import WorkerFailed

log = logging.getLogger("citykg.serve")


class Refused(Exception):
    """A request the server answers with `status` and a message (raised by the routes)."""

    def __init__(
        self, status: int, message: str, *, hint: str | None = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.hint = hint
        self.headers = headers or {}


def status_of(exc: CityKGError) -> int:
    """400 for a query that cannot or may not run, 422 for an answer over the size limit,
    503 for a time limit or a store that cannot be read now."""
    if isinstance(exc, QueryTimeout | StoreError):
        return 503
    if isinstance(exc, ResultTooLarge):
        return 422
    if isinstance(exc, QueryError):
        return 400
    return 400


def text(
    status: int, message: str, hint: str | None = None, headers: dict[str, str] | None = None
) -> Response:
    body = message + (f"\nhint: {hint}" if hint else "") + "\n"
    return PlainTextResponse(body, status_code=status, headers=headers)


def explain(exc: Refused | CityKGError) -> tuple[int, str, str | None]:
    """The status, message and hint the server answers a refusal or an error with (a page
    shows them as the endpoint gives them)."""
    if isinstance(exc, Refused):
        return exc.status, exc.message, exc.hint
    message = f"{exc.where}: {exc.message}" if exc.where and exc.where != "query" else exc.message
    return status_of(exc), message, exc.hint


async def refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Refused)
    return text(*explain(exc), exc.headers)


async def citykg_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, CityKGError)
    status, message, hint = explain(exc)
    headers = {"Retry-After": "5"} if status == 503 else None
    return text(status, message, hint, headers)


async def worker_failed(request: Request, exc: Exception) -> Response:
    log.error("%s", exc)
    return text(500, "the query failed inside the server (a bug); please report it with the server's log")


#: for Starlette(exception_handlers=...)
EXCEPTION_HANDLERS = {Refused: refused, CityKGError: citykg_error, WorkerFailed: worker_failed}
