"""Replay of finished JSON answers: a warm ``GET /api/…`` is answered before routing.

Every JSON answer under ``/api/`` is a function of the store revision and the request URL. The
first ``200`` answer for a URL at a revision is kept (status, headers, body) in the app's
:class:`~graphsvc.service.cache.ResultCache` under ``(revision, "replay", path, query)``; the same
URL at the same revision is then answered from it without routing, validation, dependency
resolution or a thread-pool hop. A write raises the revision, so older answers are never
replayed. Only an embedded SQLite store qualifies: reading its revision is a local read of one
row; for a networked store the request takes the normal path.

An answer is kept only when every query parameter of its URL is one the route reads: URLs made
distinct by parameters nobody reads (``?x=1``, ``?x=2``, …) are answered but never kept.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graphsvc.api.limits import declared_query

__all__ = ["ReplayMiddleware"]

#: Paths whose answers depend on more than (revision, URL), or that are not cached anyway.
_NEVER = ("/api/health", "/api/ingest", "/api/whatif")


class ReplayMiddleware:
    """Answer a repeated ``GET /api/…`` at an unchanged store revision from the cache."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (scope["type"] != "http" or scope.get("method") != "GET"
                or not path.startswith("/api/") or path.startswith(_NEVER)):
            await self.app(scope, receive, send)
            return
        state = scope["app"].state if "app" in scope else None
        key = self._key(scope, state)
        if key is None or state is None:
            await self.app(scope, receive, send)
            return
        hit = state.cache.get(key)
        if hit is not None:
            status, headers, body = hit
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        start: dict = {}
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body") and start.get("status") == 200:
                    headers = list(start.get("headers") or [])
                    if _only_declared(scope) and any(
                            k.lower() == b"content-type" and v.startswith(b"application/json")
                            for k, v in headers):
                        state.cache.put(key, (200, headers, b"".join(chunks)))
            await send(message)

        await self.app(scope, receive, keep)

    @staticmethod
    def _key(scope: Scope, state: object) -> tuple | None:
        holder = getattr(state, "store_holder", None)
        store = holder.current() if holder is not None else None
        if store is None or store.kind != "sqlite":
            return None
        try:
            revision = store.revision()
        except Exception:  # the normal path reports the store's state properly
            return None
        return (revision, "replay", scope.get("path", ""), scope.get("query_string", b""))


def _only_declared(scope: Scope) -> bool:
    """Whether the route that answered reads every query parameter the URL has."""
    declared = declared_query(scope)
    if declared is None:
        return False
    query = scope.get("query_string", b"").decode("latin-1")
    return all(name in declared for name, _ in parse_qsl(query, keep_blank_values=True))
