"""Reading a multipart form and the files in it: one way for ``POST /api/ingest`` and the upload
pages, so both refuse the same bodies and the same file names with the same words."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.datastructures import FormData, UploadFile

from graphsvc.errors import GraphsvcError, InvalidInput

__all__ = ["MAX_FILES", "read_form", "read_uploads", "safe_filename"]

#: Files one upload may carry (the parser refuses more before reading them).
MAX_FILES = 20


async def read_form(request: Request, *, max_fields: int = MAX_FILES) -> FormData:
    """The request's form, parsed within ``MAX_FILES`` files and ``max_fields`` fields.

    A body the multipart parser cannot read is :class:`InvalidInput` (422); a body over the
    upload limit keeps its 413.
    """
    try:
        return await request.form(max_files=MAX_FILES, max_fields=max_fields)
    except GraphsvcError:
        raise
    except Exception as exc:  # multipart errors from the parser
        if getattr(exc, "status_code", None) == 413:
            raise
        raise InvalidInput(f"cannot read the form: {exc}") from None


def safe_filename(name: str) -> str:
    """An upload's file name, refused if it names a path (it is only ever a label, but a name
    that climbs out of a folder is an attack, not a spreadsheet).

    >>> safe_filename("องค์กร.csv")
    'องค์กร.csv'
    >>> safe_filename("../etc/passwd")
    Traceback (most recent call last):
    ...
    graphsvc.errors.InvalidInput: an upload's file name must be a plain file name, not a path
    """
    if ("/" in name or "\\" in name or "\x00" in name or name.startswith(".")
            or len(name) > 255):
        raise InvalidInput("an upload's file name must be a plain file name, not a path",
                           [{"field": "files", "filename": name[:255],
                             "reason": "contains a path separator, NUL or a leading dot"}])
    return name


async def read_uploads(form: FormData, *, field: str = "files",
                       strict: bool) -> list[tuple[str, bytes]]:
    """``(file name, bytes)`` of the files in ``form[field]``, then closes the form.

    ``strict`` (the JSON API) refuses a plain text value in the field and keeps an empty file
    (the ingest then names it as empty); the pages, whose file input sends an empty, unnamed
    part when nothing was chosen, skip both.
    """
    uploads: list[tuple[str, bytes]] = []
    try:
        for item in form.getlist(field):
            if not isinstance(item, UploadFile):
                if strict:
                    raise InvalidInput(f"'{field}' must be file uploads", [{"field": field}])
                continue
            if not item.filename and not strict:
                continue
            data: Any = await item.read()
            if data or strict:
                uploads.append((safe_filename(item.filename or "upload"), data))
    finally:
        await form.close()
    return uploads
