"""The upload path of ``POST /api/ingest``: the CLI's ingest, on files received over HTTP.

Files are read, cleaned and checked by :func:`ingest.read_uploads` exactly as ``graphsvc
ingest`` checks files on disk, then written in one :meth:`GraphStore.write_batch` transaction:
all of it or none of it. A rejected file raises :class:`~graphsvc.errors.IngestError` (422, with
file, row, column and reason in ``details``) and the store is left as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graphsvc.api.offices import check_provinces
from graphsvc.config import ApiKey
from graphsvc.errors import InvalidInput
from graphsvc.store import GraphStore

__all__ = ["ingest_uploads"]


def ingest_uploads(store: GraphStore, files: Sequence[tuple[str, bytes]], *, dry_run: bool,
                   max_rows: int, key: ApiKey | None = None) -> dict[str, Any]:
    """Check and load uploaded ``(filename, content)`` files; the ingest report as a dict.

    ``key`` (the writer's) names the office in the history and limits the provinces.
    """
    from ingest import read_uploads
    from ingest.pipeline import write_prepared

    prepared = read_uploads(list(files), store)
    rows = sum(prepared.batch.counts().values())
    if rows > max_rows:
        raise InvalidInput(
            f"the upload has {rows} rows, over the limit of {max_rows} (GRAPHSVC_MAX_UPLOAD_ROWS)",
            [{"rows": rows, "limit": max_rows}],
        )
    if key is not None:
        check_provinces(prepared.batch, key)
    report = write_prepared(prepared, store, dry_run=dry_run,
                            office=key.name if key is not None else None)
    report.store = store.kind  # the API names the store kind, never its location
    return report.to_dict()
