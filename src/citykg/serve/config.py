"""What a server is told: the store, where it listens, the URL it is reached at, its limits."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from citykg.errors import InputError
from citykg.sources.common import MAX_INPUT_BYTES
from citykg.store.remote.locator import RemoteLocation

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


@dataclass(frozen=True)
class Limits:
    """Per-request limits. A client may ask for a shorter time limit (`timeout`), never a longer one."""

    #: seconds a query may run before it is stopped (503)
    timeout: float = 10.0
    #: seconds a request may wait for a free query worker, before its time limit starts (503)
    max_wait: float = 60.0
    #: rows of a SELECT, or triples of a CONSTRUCT / DESCRIBE, in one answer (422 beyond)
    max_results: int = 100_000
    #: characters of a query's text (413 for a body, 414 for a URL beyond)
    max_query_chars: int = 50_000
    #: bytes of a request body (413 beyond)
    max_body_bytes: int = 512 * 1024

    def __post_init__(self) -> None:
        for seconds in (self.timeout, self.max_wait):
            if not (math.isfinite(seconds) and seconds > 0):
                raise InputError(f"a time limit must be a number of seconds above 0, not {seconds:g}")
        for name in ("max_results", "max_query_chars", "max_body_bytes"):
            if getattr(self, name) < 1:
                raise InputError(f"the limit {name} must be at least 1")


@dataclass(frozen=True)
class SubmitSettings:
    """Submitting from the web app (`--allow-submit`): the file holding the operator's token
    (read when the app starts, serve/submit_token.py) and the largest upload, in bytes (413
    beyond; at most the readers' own limit)."""

    token_file: Path
    max_upload_bytes: int = 1024 * 1024

    def __post_init__(self) -> None:
        if not 1 <= self.max_upload_bytes <= MAX_INPUT_BYTES:
            raise InputError(
                f"the upload limit must be 1 to {MAX_INPUT_BYTES:,} bytes, not {self.max_upload_bytes:,}",
                where="--max-upload",
            )


@dataclass(frozen=True)
class ServeConfig:
    """A server over the store at `store` (a folder, or a remote store: docs/remote-store.md),
    listening on `host`:`port`.

    `base_url` is the URL clients reach the server at (behind a reverse proxy, its public
    URL), ending in '/'; the routes are served under its path (`<base_url>sparql`). Without
    it, `http://host:port/`. `workers` query processes answer at once; `cache_entries`
    answers are kept per store generation (0: no cache). `submit`: None (the default) serves
    the store read-only; with settings, /submit checks and commits submissions.
    """

    store: Path | RemoteLocation
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    base_url: str | None = None
    workers: int = 2
    cache_entries: int = 2048
    limits: Limits = field(default_factory=Limits)
    submit: SubmitSettings | None = None

    def __post_init__(self) -> None:
        if self.base_url is not None:
            parts = urlsplit(self.base_url)
            if parts.scheme not in ("http", "https") or not parts.netloc or not self.base_url.endswith("/"):
                raise InputError(
                    f"the base URL must be an http(s) URL ending in '/', not {self.base_url!r}",
                    where="--base-url",
                    hint="e.g. https://data.example.org/citykg/",
                )
            if parts.query or parts.fragment:
                raise InputError("the base URL takes no query or fragment", where="--base-url")
        if not 0 <= self.port <= 65535:
            raise InputError(f"no such port {self.port}", where="--port")
        if self.workers < 1:
            raise InputError("a server needs at least one query worker", where="--workers")
        if self.cache_entries < 0:
            raise InputError("the cache size cannot be negative", where="--cache")
        if self.submit is not None and self.base_url is None and self.host in ("0.0.0.0", "::", ""):
            raise InputError(
                "the submit form is accepted only from the server's own URL, which is not known "
                f"when listening on every address ({self.host})",
                where="--allow-submit",
                hint="give --base-url, the URL people open (e.g. http://data.example.org:8000/)",
            )

    @property
    def allow_submit(self) -> bool:
        """Whether /submit takes submissions (`--allow-submit`)."""
        return self.submit is not None

    @property
    def url(self) -> str:
        """The URL the server is reached at, ending in '/'."""
        if self.base_url is not None:
            return self.base_url
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    @property
    def root_path(self) -> str:
        """The path the routes are served under: '' for the root, else e.g. '/citykg'."""
        return urlsplit(self.url).path.rstrip("/")
