"""``GET /api/ingests`` and ``POST /api/ingests/{revision}/undo``: the writes, and taking one back.

Both need ``Authorization: Bearer <key>`` (the history names offices and files, so it is not
open like the analysis). The rows a write changed are at ``GET /api/ingests/{revision}/rows``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from starlette.concurrency import run_in_threadpool

from graphsvc.api.deps import CacheDep, StoreDep
from graphsvc.api.offices import check_undo
from graphsvc.api.schemas import ErrorBody
from graphsvc.api.security import WriterDep
from graphsvc.errors import UnknownRevision
from graphsvc.store import GraphStore
from graphsvc.store.history import WriteRecord

__all__ = ["router", "undo_as"]

router = APIRouter(prefix="/api", tags=["ingest"])

_KEYED: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "missing or wrong API key"},
    403: {"model": ErrorBody, "description": "no API key configured, or the key's provinces "
                                             "do not allow it"}}
Revision = Annotated[int, Path(ge=1, description="the revision the write created")]


def undo_as(store: GraphStore, revision: int, key: Any) -> WriteRecord:
    """Undo ``revision`` on behalf of ``key`` (its office is recorded; limits checked)."""
    found = [r for r in store.history() if r.revision == revision]
    if not found:
        raise UnknownRevision(revision)
    check_undo(found[0], key)
    return store.undo(revision, office=key.name)


@router.get("/ingests", responses=_KEYED)
def list_ingests(key: WriterDep, store: StoreDep,
                 limit: Annotated[int, Query(ge=1, le=10_000)] = 200) -> list[dict[str, Any]]:
    """Every recorded write, newest first: ``{"revision", "at", "office", "files", "counts",
    "undoes", "undone_by"}``; ``counts`` maps each table it changed to ``{"inserted",
    "updated", "deleted"}``."""
    return [r.as_dict() for r in store.history(limit)]


@router.get("/ingests/{revision}/rows",
            responses={**_KEYED, 404: {"model": ErrorBody, "description": "no such write"}})
def ingest_rows(revision: Revision, key: WriterDep, store: StoreDep) -> list[dict[str, Any]]:
    """Every row the write changed: ``{"table", "key", "change", "before", "after"}``."""
    return [c.as_dict() for c in store.history_rows(revision)]


@router.post("/ingests/{revision}/undo",
             responses={**_KEYED, 404: {"model": ErrorBody, "description": "no such write"},
                        409: {"model": ErrorBody, "description": "undone already, or a later "
                              "write changed its rows; nothing was written"}})
async def undo_ingest(revision: Revision, key: WriterDep, store: StoreDep,
                      cache: CacheDep) -> dict[str, Any]:
    """Undo the write that created ``revision``, as a new write; answers the new write's
    record (``undoes`` = ``revision``)."""
    record = await run_in_threadpool(undo_as, store, revision, key)
    cache.forget_before(record.revision)
    return record.as_dict()
