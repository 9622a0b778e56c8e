"""The one place graphsvc errors become HTTP responses, all in one JSON shape.

Every 4xx and 5xx the service sends has the body
``{"error": {"code": "...", "message": "...", "details": [...]}}``:

======================================= ====== ==============================================
raised                                  status ``code``
======================================= ====== ==============================================
:class:`~graphsvc.errors.GraphsvcError` its    its ``code`` (``unknown_organisation``,
subclasses                              status ``invalid_input``, ``store_unavailable``, …)
FastAPI request validation              422    ``invalid_input`` (details: ``loc``, ``msg``)
unknown route / wrong method            404/405 ``not_found`` / ``method_not_allowed``
any other exception                     500    ``internal_error`` (a generic message; the
                                               traceback goes to the log, never the client)
======================================= ====== ==============================================
"""

from __future__ import annotations

import logging
import math
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from graphsvc.errors import GraphsvcError

__all__ = ["error_body", "install_error_handlers"]

log = logging.getLogger("graphsvc.api")

_CODES = {
    400: "bad_request",
    401: "unauthorised",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    414: "uri_too_long",
    415: "unsupported_media_type",
    422: "invalid_input",
    429: "too_many_requests",
    431: "headers_too_large",
    503: "store_unavailable",
}


def error_body(code: str, message: str, details: list[dict[str, Any]] | None = None) -> dict:
    """The one JSON error shape."""
    return {"error": {"code": code, "message": message, "details": details or []}}


def _respond(status: int, body: dict, headers: dict[str, str] | None = None) -> JSONResponse:
    headers = dict(headers or {})
    if status == 401:
        headers.setdefault("WWW-Authenticate", "Bearer")
    return JSONResponse(jsonable_encoder(body), status_code=status, headers=headers or None)


async def _graphsvc_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, GraphsvcError)
    return _respond(exc.status, exc.to_dict())


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = []
    for err in exc.errors():
        detail: dict[str, Any] = {
            "loc": [str(part) for part in err.get("loc", ())],
            "msg": str(err.get("msg", "")),
            "type": str(err.get("type", "")),
        }
        value = err.get("input")
        if isinstance(value, float) and not math.isfinite(value):
            detail["input"] = str(value)  # NaN and Infinity are not JSON
        elif isinstance(value, str):
            detail["input"] = value[:200]
        elif isinstance(value, (int, float, bool)):
            detail["input"] = value
        details.append(detail)
    where = ", ".join(".".join(d["loc"][1:] or d["loc"]) for d in details[:5])
    message = f"invalid request: {where}" if where else "invalid request"
    return _respond(422, error_body("invalid_input", message, details))


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    code = _CODES.get(status, "error")
    if isinstance(exc.detail, str) and exc.detail:
        message = exc.detail
    else:
        message = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "error"
    if status == 404 and message == "Not Found":
        message = f"no such page: {request.url.path}"
    if status == 405:
        message = f"method {request.method} is not allowed on {request.url.path}"
    return _respond(status, error_body(code, message), getattr(exc, "headers", None))


async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _respond(500, error_body("internal_error", "internal server error; see the server log"))


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that give every error response the one JSON shape."""
    app.add_exception_handler(GraphsvcError, _graphsvc_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unhandled)
