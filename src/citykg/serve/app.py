"""The ASGI app: `create_app(config)` gathers the routes of every provider (routes.py) under
the base URL's path, with the query pool started and stopped with the app."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import BaseRoute, Mount

from citykg.serve.config import ServeConfig
from citykg.serve.context import RouteProvider, ServeContext
from citykg.serve.responses import EXCEPTION_HANDLERS
from citykg.serve.routes import ROUTE_PROVIDERS


def create_app(config: ServeConfig, *, providers: Sequence[RouteProvider] | None = None) -> Starlette:
    """The read-only app over `config.store`: the routes of `providers` (default: routes.py's
    ROUTE_PROVIDERS, in order) under the base URL's path, CORS open for GET and HEAD."""
    if providers is None:
        providers = ROUTE_PROVIDERS
    context = ServeContext(config)
    routes: list[BaseRoute] = [route for provide in providers for route in provide(context)]
    if config.root_path:
        routes = [Mount(config.root_path, routes=routes)]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await context.pool.start()
        try:
            yield
        finally:
            await context.pool.close()
            context.live.close()

    app = Starlette(
        routes=routes,
        exception_handlers=EXCEPTION_HANDLERS,
        middleware=[
            Middleware(
                CORSMiddleware,
                allow_origins=["*"],
                allow_methods=["GET", "HEAD"],
                expose_headers=["ETag"],
            )
        ],
        lifespan=lifespan,
    )
    app.state.context = context
    return app
