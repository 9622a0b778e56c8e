"""Access rules: open reads, keyed writes, upload limits, CORS and framing headers.

- Writes (``POST /api/ingest``) need ``Authorization: Bearer <key>`` with a key of
  ``GRAPHSVC_API_KEYS``, compared in constant time (:func:`hmac.compare_digest`). With no key
  configured every write answers 403 saying how to configure one. Keys are never logged.
- Request bodies larger than ``GRAPHSVC_MAX_UPLOAD_MB`` answer 413: a ``Content-Length`` over the
  limit is refused before anything is read, and a body without one is counted while it streams.
- ``Content-Security-Policy: frame-ancestors 'self' <GRAPHSVC_EMBED_ORIGINS…>`` on map pages
  (which web editors embed); every other response may be framed by this origin only. CORS lets
  the same origins call the JSON API from a browser.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graphsvc.config import Settings
from graphsvc.errors import Unauthorised

__all__ = [
    "BodyLimitMiddleware",
    "SecurityHeadersMiddleware",
    "WritesDisabled",
    "frame_ancestors",
    "require_writer",
]

#: Paths whose pages other sites may frame (the origins of GRAPHSVC_EMBED_ORIGINS).
EMBEDDABLE_PREFIXES = ("/maps/network", "/maps/ego/", "/charts/")


class WritesDisabled(Unauthorised):
    """403: this server accepts no writes because no API key is configured."""

    code = "writes_disabled"
    status = 403


async def require_writer(request: Request) -> None:
    """Dependency: let the request through only with a valid ``Bearer`` key."""
    settings: Settings = request.app.state.settings
    keys = [k for k in settings.api_keys if k]
    if not keys:
        raise WritesDisabled(
            "writes are disabled on this server: set GRAPHSVC_API_KEYS (comma-separated keys) "
            "and send 'Authorization: Bearer <key>'"
        )
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorised("this request writes: send 'Authorization: Bearer <key>'")
    given = token.strip().encode("utf-8")
    ok = False
    for key in keys:  # no early exit: the time taken does not tell which key nearly matched
        ok |= hmac.compare_digest(given, key.encode("utf-8"))
    if not ok:
        raise Unauthorised("the API key is not valid")


WriterDep = Annotated[None, Depends(require_writer)]


def frame_ancestors(settings: Settings, path: str) -> str:
    """The ``frame-ancestors`` directive for a response on ``path``."""
    if path.startswith(EMBEDDABLE_PREFIXES) and settings.embed_origins:
        return "frame-ancestors 'self' " + " ".join(settings.embed_origins)
    return "frame-ancestors 'self'"


def _too_large(limit: int) -> StarletteHTTPException:
    mb = limit / 1_000_000
    return StarletteHTTPException(
        413, f"request body over the limit of {mb:g} MB (GRAPHSVC_MAX_UPLOAD_MB)"
    )


class BodyLimitMiddleware:
    """Refuse request bodies over ``max_bytes`` with 413, before reading more than that."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                declared = -1
            if declared > self.max_bytes:
                await _send_error(send, _too_large(self.max_bytes))
                return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _too_large(self.max_bytes)
            return message

        await self.app(scope, counting_receive, send)


async def _send_error(send: Send, exc: StarletteHTTPException) -> None:
    from graphsvc.api.limits import send_error

    await send_error(send, exc.status_code, "payload_too_large", str(exc.detail))


class SecurityHeadersMiddleware:
    """Add framing and hardening headers to every HTTP response."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = frame_ancestors(self.settings, scope.get("path", ""))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                names = {k.lower() for k, _ in headers}
                if b"content-security-policy" in names:
                    headers = [(k, v + b"; " + policy.encode()
                                if k.lower() == b"content-security-policy" else v)
                               for k, v in headers]
                else:
                    headers.append((b"content-security-policy", policy.encode()))
                headers.append((b"x-content-type-options", b"nosniff"))
                headers.append((b"referrer-policy", b"same-origin"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
