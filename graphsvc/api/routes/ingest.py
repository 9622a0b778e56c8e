"""``POST /api/ingest``: load CSV/XLSX files, all or nothing, with the CLI's validation report."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from graphsvc.api.deps import CacheDep, SettingsDep, StoreDep
from graphsvc.api.forms import read_form, read_uploads
from graphsvc.api.schemas import ErrorBody, IngestReport
from graphsvc.api.security import WriterDep
from graphsvc.api.uploads import ingest_uploads
from graphsvc.errors import InvalidInput

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["ingest"])

_UPLOAD_SCHEMA = {
    "requestBody": {
        "required": True,
        "content": {"multipart/form-data": {"schema": {
            "type": "object",
            "required": ["files"],
            "properties": {"files": {
                "type": "array", "items": {"type": "string", "format": "binary"},
                "description": "organisations/events/attendance/collaborations .csv files, "
                               "or one .xlsx with a sheet per table"}},
        }}},
    }
}


@router.post(
    "/ingest",
    response_model=IngestReport,
    openapi_extra=_UPLOAD_SCHEMA,
    responses={401: {"model": ErrorBody, "description": "missing or wrong API key"},
               403: {"model": ErrorBody, "description": "no API key configured"},
               413: {"model": ErrorBody, "description": "upload over GRAPHSVC_MAX_UPLOAD_MB, "
                     "or a file over a reading limit (rows, columns, cells, bytes unzipped)"},
               422: {"model": ErrorBody, "description": "a file rejected: details name file, "
                     "row, column and reason; nothing was written"}},
)
async def ingest(
    request: Request,
    writer: WriterDep,
    store: StoreDep,
    settings: SettingsDep,
    cache: CacheDep,
    dry_run: Annotated[bool, Query(description="validate and report; write nothing")] = False,
) -> dict[str, Any]:
    """Validate the uploaded files and load them in one transaction (all of it or none of it).

    Needs ``Authorization: Bearer <key>``. The body is read only after the key is checked.
    """
    uploads = await read_uploads(await read_form(request), strict=True)
    if not uploads:
        raise InvalidInput("no files uploaded: send them as multipart field 'files'",
                           [{"field": "files"}])
    report = await run_in_threadpool(ingest_uploads, store, uploads, dry_run=dry_run,
                                     settings=settings, key=writer)
    cache.forget_before(report["revision_after"])  # entries of older revisions are never served
    warmup = getattr(request.app.state, "warmup", None)
    if warmup is not None and not dry_run:
        warmup.notify()  # warm the new revision's first answers now
    return report
