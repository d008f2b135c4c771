"""Running the app with uvicorn."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Callable

import uvicorn

from citykg.errors import InputError
from citykg.serve.app import create_app
from citykg.serve.config import ServeConfig
from citykg.serve.live_store import LiveStore


def uvicorn_config(config: ServeConfig) -> uvicorn.Config:
    """uvicorn's settings for `config`: h11 (pure Python), request lines long enough for the
    query-length limit (so that a too long GET query gets its own 414), no access log."""
    return uvicorn.Config(
        create_app(config),
        host=config.host,
        port=config.port,
        http="h11",
        lifespan="on",
        access_log=False,
        log_level="warning",
        h11_max_incomplete_event_size=3 * config.limits.max_query_chars + 16_384,
    )


def run(config: ServeConfig, *, announce: Callable[[str], None] = lambda url: None) -> None:
    """Serve until stopped (Ctrl-C). The store must exist; `announce(url)` is called once the
    server listens.

    :raises StoreError: when there is no store at `config.store` (StoreDamaged: it is damaged).
    :raises InputError: when the address cannot be listened on (in use, not this machine's).
    """
    opened = LiveStore(config.store)
    try:
        opened.get()  # fail now, not at the first request
    finally:
        opened.close()
    settings = uvicorn_config(config)
    family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((config.host, config.port))
    except OSError as exc:
        listener.close()
        raise InputError(
            f"cannot listen on {_host(config)}:{config.port}: {exc.strerror or exc}",
            where="--host/--port",
            hint="choose another --port (or stop what listens there), or an address of this machine",
        ) from exc
    listener.listen(2048)
    server = uvicorn.Server(settings)
    announce(config.url if config.base_url else f"http://{_host(config)}:{listener.getsockname()[1]}/")
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn raises Ctrl-C again once it has stopped
        server.run(sockets=[listener])


def _host(config: ServeConfig) -> str:
    return f"[{config.host}]" if ":" in config.host else config.host
