"""The upload path of ``POST /api/ingest``: the CLI's ingest, on files received over HTTP.

Files are read, cleaned and checked by :func:`ingest.read_uploads` exactly as ``graphsvc
ingest`` checks files on disk, then written in one :meth:`GraphStore.write_batch` transaction:
all of it or none of it. A rejected file raises :class:`~graphsvc.errors.IngestError` (422, with
file, row, column and reason in ``details``) and the store is left as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graphsvc.config import Settings
from graphsvc.store import GraphStore

__all__ = ["ingest_uploads"]


def ingest_uploads(store: GraphStore, files: Sequence[tuple[str, bytes]], *, dry_run: bool,
                   settings: Settings) -> dict[str, Any]:
    """Check and load uploaded ``(filename, content)`` files; the ingest report as a dict.

    The files are read within the limits of ``settings`` (rows counted as read, before any
    merging, up to ``GRAPHSVC_MAX_UPLOAD_ROWS``): a file over one is refused with 413 as soon
    as the limit is passed."""
    from ingest import read_uploads
    from ingest.limits import ReadLimits
    from ingest.pipeline import write_prepared

    prepared = read_uploads(list(files), store,
                            limits=ReadLimits.from_settings(settings, upload=True))
    report = write_prepared(prepared, store, dry_run=dry_run)
    report.store = store.kind  # the API names the store kind, never its location
    return report.to_dict()
