"""Request dependencies, as ``Annotated`` aliases routes declare in their signatures.

``StoreDep`` (the open :class:`~graphsvc.store.GraphStore`), ``SettingsDep``, ``CacheDep`` and
``AnalysesDep`` (the cached analyses of :mod:`graphsvc.service.analyses`, bound to the store
revision read once for this request, so every number in one response comes from one revision).
"""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import Depends, Request, Response
from starlette.concurrency import run_in_threadpool

from graphsvc.config import Settings
from graphsvc.errors import GraphsvcError, StoreUnavailable
from graphsvc.service.analyses import Analyses
from graphsvc.service.cache import ResultCache
from graphsvc.store import GraphStore, open_store

__all__ = [
    "AnalysesDep",
    "CacheDep",
    "SettingsDep",
    "StoreDep",
    "StoreHolder",
    "get_analyses",
    "get_cache",
    "get_settings",
    "get_store",
]


class StoreHolder:
    """The app's one store. Opened at startup; if that fails (a database still starting), each
    request tries again and answers 503 until it works."""

    def __init__(self, settings: Settings, store: GraphStore | None = None) -> None:
        self.settings = settings
        self._store = store
        self.owned = store is None
        self._lock = threading.Lock()
        self.last_error: GraphsvcError | None = None

    def open(self) -> GraphStore:
        with self._lock:
            if self._store is None:
                try:
                    self._store = open_store(self.settings.store_url, self.settings)
                except StoreUnavailable as exc:
                    self.last_error = exc
                    raise
                except GraphsvcError:
                    raise
                except Exception as exc:  # e.g. an unreadable file: the store is not usable
                    self.last_error = StoreUnavailable(f"cannot open the store: {exc}")
                    raise self.last_error from exc
            return self._store

    def current(self) -> GraphStore | None:
        """The open store, or ``None`` if it is not open (yet)."""
        return self._store

    def close(self) -> None:
        with self._lock:
            if self._store is not None and self.owned:
                self._store.close()
                self._store = None


# The dependencies that only look up app state are ``async def``: FastAPI runs a plain ``def``
# dependency in the thread pool, and a thread hop per dependency costs more than the lookup.
async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_store(request: Request) -> GraphStore:
    """The open store; opening it (which may wait on a database) runs in the thread pool."""
    holder: StoreHolder = request.app.state.store_holder
    store = holder.current()
    return store if store is not None else await run_in_threadpool(holder.open)


async def get_cache(request: Request) -> ResultCache:
    return request.app.state.cache


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[GraphStore, Depends(get_store)]
CacheDep = Annotated[ResultCache, Depends(get_cache)]


async def get_analyses(request: Request, response: Response) -> Analyses:
    """The cached analyses at the store's current revision.

    Reading an embedded SQLite store's revision is a local read of one row (microseconds), done
    here on the event loop; any other store's revision is a network round trip, done in the
    thread pool. Either way a warm request costs one thread-pool hop (its route), not two.
    """
    state = request.app.state
    store = await get_store(request)
    if store.kind == "sqlite":
        revision = store.revision()
    else:
        revision = await run_in_threadpool(store.revision)
    response.headers["X-Graphsvc-Revision"] = str(revision)  # which data the answer shows
    return Analyses(store, state.cache, state.settings, revision)


AnalysesDep = Annotated[Analyses, Depends(get_analyses)]
