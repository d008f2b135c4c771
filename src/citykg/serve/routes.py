"""The route providers of the app, in order: each is a module's `routes(context)`. Add a
module's provider here to serve more (a provider whose routes catch every path goes last)."""

from __future__ import annotations

from citykg.serve import catalog_routes, cities_page, home_page, linked_data, sparql, submit_routes
from citykg.serve.context import RouteProvider

ROUTE_PROVIDERS: list[RouteProvider] = [
    sparql.routes,
    catalog_routes.routes,
    home_page.routes,
    cities_page.routes,
    submit_routes.routes,
    linked_data.routes,  # takes every other path: last
]
