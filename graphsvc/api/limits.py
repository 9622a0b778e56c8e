"""Bounds on every request, checked before any route runs; and ``HEAD`` for every ``GET``.

- Request headers: uvicorn's HTTP parser (h11, see :func:`server_options`) stops reading a
  request head over ``GRAPHSVC_MAX_HEADER_KB`` before the application sees it, and answers
  ``431`` (any other request it cannot parse: ``400``) in the one JSON error shape; within that,
  more than ``GRAPHSVC_MAX_HEADERS`` headers answer ``431`` too.
- The query string: over ``GRAPHSVC_MAX_QUERY_CHARS`` characters (decoded) answers ``414``.
  Every parameter also has its own bound where the route declares it.
- ``HEAD`` is answered as ``GET`` without the body (FastAPI routes answer ``GET`` only).

:func:`declared_query` tells which query parameters a matched route reads, so answers to a URL
with parameters a route ignores are not kept by :class:`~graphsvc.api.replay.ReplayMiddleware`.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graphsvc.config import Settings

__all__ = ["REQUEST_LIMIT_RESPONSES", "RequestLimitsMiddleware", "declared_query", "send_error",
           "server_options"]

_ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
#: What any operation may answer before its route runs (documented on every operation).
REQUEST_LIMIT_RESPONSES: dict[int | str, dict[str, Any]] = {
    414: {"description": "query string over GRAPHSVC_MAX_QUERY_CHARS", "content": _ERROR},
    431: {"description": "more headers than GRAPHSVC_MAX_HEADERS", "content": _ERROR},
}


def _bounded_h11() -> type:
    """uvicorn's h11 protocol, answering a request it refuses in the one JSON error shape
    (uvicorn's own answer is a plain-text ``400``): ``431`` when the head outgrew the limit."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class BoundedH11Protocol(H11Protocol):
        def send_400_response(self, msg: str) -> None:
            from graphsvc.api.errors import error_body

            pending = len(self.conn.trailing_data[0])
            limit = self.config.h11_max_incomplete_event_size or 0
            too_big = bool(limit) and pending > limit
            status, code, message = (
                (431, "headers_too_large", f"the request head is over {pending // 1024} KB; at "
                 f"most {limit // 1024} KB "
                 "(GRAPHSVC_MAX_HEADER_KB)") if too_big
                else (400, "bad_request", "not a well-formed HTTP request"))
            body = json.dumps(error_body(code, message)).encode()
            headers = [(b"content-type", b"application/json"),
                       (b"content-length", str(len(body)).encode()), (b"connection", b"close")]
            for event in (h11.Response(status_code=status, headers=headers),
                          h11.Data(data=body), h11.EndOfMessage()):
                self.transport.write(self.conn.send(event))
            self.transport.close()

    return BoundedH11Protocol


def server_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for :func:`uvicorn.run` that bound the request head and decide which
    proxies' ``X-Forwarded-*`` headers are believed.

    h11 is chosen over httptools because it caps the bytes of a request head
    (``h11_max_incomplete_event_size``); httptools buffers headers without a limit.
    """
    options: dict[str, Any] = {
        "http": _bounded_h11(),
        "h11_max_incomplete_event_size": settings.max_header_kb * 1024,
        "proxy_headers": bool(settings.forwarded_allow_ips),
    }
    if settings.forwarded_allow_ips:
        options["forwarded_allow_ips"] = ",".join(settings.forwarded_allow_ips)
    return options


async def send_error(send: Send, status: int, code: str, message: str) -> None:
    """Answer in the one JSON error shape from a middleware, closing the connection."""
    from graphsvc.api.errors import error_body

    body = json.dumps(error_body(code, message)).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class RequestLimitsMiddleware:
    """Refuse too many headers (431) or too long a query string (414); answer ``HEAD``."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.max_headers = settings.max_headers
        self.max_header_bytes = settings.max_header_kb * 1024
        self.max_query = settings.max_query_chars

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = scope.get("headers") or []
        size = sum(len(k) + len(v) + 4 for k, v in headers)
        if len(headers) > self.max_headers or size > self.max_header_bytes:
            await send_error(send, 431, "headers_too_large",
                             f"{len(headers)} request headers of {size} bytes; at most "
                             f"{self.max_headers} headers (GRAPHSVC_MAX_HEADERS) of "
                             f"{self.max_header_bytes} bytes (GRAPHSVC_MAX_HEADER_KB)")
            return
        query = scope.get("query_string", b"")  # at most the request head (h11's cap)
        chars = len(unquote_to_bytes(query).decode("utf-8", "replace")) if query else 0
        if chars > self.max_query:
            await send_error(send, 414, "uri_too_long",
                             f"a query string of {chars} characters; at most "
                             f"{self.max_query} (GRAPHSVC_MAX_QUERY_CHARS)")
            return
        if scope.get("method") != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)


_DECLARED: dict[int, frozenset[str] | None] = {}


def declared_query(scope: Scope) -> frozenset[str] | None:
    """The query parameter names the route that answered ``scope`` reads (``None``: unknown,
    e.g. no route matched). Read after the app has handled the request."""
    route = scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return None
    key = id(route)
    if key not in _DECLARED:
        names: set[str] = set()
        todo, seen = [dependant], set()
        while todo:  # the route's own parameters and those of its dependencies
            current = todo.pop()
            if id(current) in seen:
                continue
            seen.add(id(current))
            names.update(field.alias for field in current.query_params)
            todo.extend(current.dependencies)
        _DECLARED[key] = frozenset(names)
    return _DECLARED[key]
