"""Cached JSON responses: the serialised bytes are cached with the result, so a warm request
costs a cache lookup and a socket write (no re-validation, no re-serialisation)."""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable
from typing import Any

from fastapi.responses import Response
from pydantic import BaseModel

from graphsvc.service.analyses import Analyses, clean

__all__ = ["REVISION_HEADER", "cached_json"]

#: The response header that says which data (store revision) a JSON answer comes from.
REVISION_HEADER = "X-Graphsvc-Revision"


def _encode(value: Any) -> bytes:
    if isinstance(value, BaseModel):
        return value.model_dump_json().encode("utf-8")
    if isinstance(value, list) and value and isinstance(value[0], BaseModel):
        return b"[" + b",".join(v.model_dump_json().encode("utf-8") for v in value) + b"]"
    return json.dumps(clean(value), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def cached_json(analyses: Analyses, name: str, params: Hashable,
                build: Callable[[], Any]) -> Response:
    """``build()`` (a response model, a list of them, or plain data) as JSON, cached per
    (store revision, ``name``, ``params``)."""
    body = analyses.cached("json:" + name, params, lambda: _encode(build()))
    return Response(body, media_type="application/json",
                    headers={REVISION_HEADER: str(analyses.revision)})
