"""citykg over HTTP: a read-only ASGI app (Starlette on uvicorn) over a store.

- config.py: `ServeConfig` (store, host, port, base URL, limits), frozen.
- app.py: `create_app(config)` builds the app from route providers (routes.py lists them).
- context.py: `ServeContext`, what every provider gets: the config, `answer(job)` (cache,
  then a query worker), `generation()`, `url(path)`; `RouteProvider`.
- answers.py: `answer_response(request, context, job)` (Accept, 406, ETag, 304), `etag`,
  `not_modified`, the `timeout` / `inferred` parameters.
- routes.py: `ROUTE_PROVIDERS`, the list of modules' `routes(context)` functions.
- worker.py / pool.py: query worker processes (a store opened once per generation, killed
  when a query runs past its time limit) and the pool that hands them jobs.
- cache.py: answers cached per store generation; negotiation.py: `Accept`; responses.py:
  errors to statuses; sparql.py, service_description.py, catalog_routes.py: the routes.
- server.py: `run(config)`: uvicorn on the app.
- pages.py: the web app's templates, the navigation (`Site`) and `page_response` (cached per
  generation, ETag); home_page.py `/`, cities_page.py `/cities` (both from holdings.py: what
  the graph holds, read by SPARQL); charts.py: SVG bar charts with their tables; html_pages.py
  and term_pages.py: the HTML of linked data (the ontology, vocabularies and concepts by term).
"""
