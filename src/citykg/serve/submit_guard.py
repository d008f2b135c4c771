"""What stands between a request and the submit form's work: the request comes from this
server's own page (its Origin, else its Referer, is the server's URL), carries the form's
anti-forgery token (bound to the browser's cookie), and is not larger than the limit.

The anti-forgery token is a signed double-submit: the page sets a random cookie (HttpOnly,
SameSite=Strict) and puts HMAC(server secret, cookie) into the form; a POST must bring both,
and they must match. Another site can make a browser send the cookie (not with SameSite=Strict,
but in older browsers), never read it nor forge the signature; the secret is new each start.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Message

from citykg.serve.responses import Refused
from citykg.serve.sparql import read_body

COOKIE = "citykg-csrf"

#: bytes a form may carry besides the upload itself (its other fields, the multipart framing)
FORM_OVERHEAD = 16 * 1024


class FormGuard:
    """The anti-forgery tokens and the origin of one server reached at `url`."""

    def __init__(self, url: str) -> None:
        self.url = url
        parts = urlsplit(url)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.path = parts.path or "/"
        self.secure = parts.scheme == "https"
        self._secret = secrets.token_bytes(32)

    def _sign(self, nonce: str) -> str:
        return hmac.new(self._secret, nonce.encode("ascii", "replace"), hashlib.sha256).hexdigest()

    def form_token(self, request: Request) -> tuple[str, str | None]:
        """The token to put into a form, and the cookie to set with it (None: the browser's
        cookie is kept)."""
        nonce = request.cookies.get(COOKIE, "")
        if len(nonce) == 43 and nonce.replace("-", "").replace("_", "").isalnum():
            return self._sign(nonce), None
        nonce = secrets.token_urlsafe(32)
        return self._sign(nonce), nonce

    def set_cookie(self, response: Response, nonce: str | None) -> None:
        if nonce is not None:
            response.set_cookie(
                COOKIE, nonce, path=self.path, httponly=True, samesite="strict", secure=self.secure
            )

    def check_origin(self, request: Request) -> None:
        """Refuse (403) a request whose Origin, or Referer without one, is another site's."""
        origin = request.headers.get("origin")
        if origin is None:
            referer = request.headers.get("referer")
            if referer is None:
                raise Refused(
                    403,
                    "refused: the request says neither where it comes from (no Origin or Referer header)",
                    hint=f"send the form from {self.url}submit",
                )
            parts = urlsplit(referer)
            origin = f"{parts.scheme}://{parts.netloc}"
        if origin != self.origin:
            raise Refused(
                403,
                f"refused: the form was sent from {origin}, not from this server ({self.origin})",
                hint=f"open {self.url}submit and send the form from there",
            )

    def check_token(self, request: Request, form: FormData) -> None:
        """Refuse (403) a form without the token of the browser's cookie."""
        nonce = request.cookies.get(COOKIE)
        given = form.get("csrf")
        if not nonce or not isinstance(given, str) or not hmac.compare_digest(self._sign(nonce), given):
            raise Refused(
                403,
                "refused: the form's anti-forgery token is missing or does not match this browser's cookie",
                hint=f"open {self.url}submit again (with cookies on) and send the form from there",
            )


async def read_form(request: Request, *, max_upload: int) -> FormData:
    """The form of a POST, its body read up to `max_upload` bytes (plus the form's framing):
    413 beyond, before anything is parsed."""
    limit = max_upload + FORM_OVERHEAD
    too_large = Refused(
        413,
        f"the upload is larger than this server takes ({max_upload:,} bytes)",
        hint="send one city's submission per file (the operator sets the limit with --max-upload)",
    )
    try:
        body = await read_body(request, limit)
    except Refused as exc:  # the body is over the limit
        raise too_large from exc
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        return await Request(request.scope, replay).form(max_files=1, max_fields=10, max_part_size=limit)
    except HTTPException as exc:
        raise Refused(400, f"the form cannot be read: {exc.detail}") from exc
