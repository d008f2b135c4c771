"""What every route is given (`ServeContext`): the config, and the one way to answer a query,
from the cache or a query worker."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from starlette.concurrency import run_in_threadpool
from starlette.routing import BaseRoute

from citykg.serve.cache import AnswerCache
from citykg.serve.config import ServeConfig
from citykg.serve.live_store import LiveStore
from citykg.serve.pool import QueryPool
from citykg.serve.worker import Answer, Job


class ServeContext:
    """What every route is given: the config, and the one way to answer a query (`answer`)."""

    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        self.pool = QueryPool(config.store, config.workers)
        self.cache = AnswerCache(config.cache_entries)
        #: the live generation, open in the server's process (for the lookups of linked data)
        self.live = LiveStore(config.store)

    async def generation(self) -> str:
        """The name of the store's live generation (`gen-000003`), read from CURRENT (or the
        remote store's pointer graph, a request: in a thread, not the event loop's).

        :raises StoreError: when there is no store (any more), or it is damaged.
        """
        return await run_in_threadpool(self.live.generation)

    def url(self, path: str = "") -> str:
        """The public URL of a path of this server (`url("sparql")`)."""
        return self.config.url + path.lstrip("/")

    async def answer(self, job: Job, *, timeout: float | None = None) -> Answer:
        """The answer to `job`: from the cache when this generation answered it before, else
        from a query worker within `timeout` seconds (the server's limit when None; never more).

        :raises CityKGError: what the query raised (QueryError, QueryTimeout, StoreError...).
        """
        limit = self.config.limits.timeout if timeout is None else min(timeout, self.config.limits.timeout)
        cached = self.cache.get(await self.generation(), job)
        if cached is not None:
            return replace(cached, from_cache=True)
        found = await self.pool.run(job, timeout=limit, wait=self.config.limits.max_wait)
        self.cache.put(job, found)
        return found


RouteProvider = Callable[[ServeContext], Sequence[BaseRoute]]
