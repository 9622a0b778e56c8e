"""How many HTTP requests are being served right now: the background warm-up
(:mod:`graphsvc.service.warmup`) waits while any is, so planners' requests come first."""

from __future__ import annotations

import threading

from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["BusyMiddleware", "InFlight"]


class InFlight:
    """A thread-safe count of requests in flight."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.count = 0

    def __bool__(self) -> bool:
        return self.count > 0

    def add(self, delta: int) -> None:
        with self._lock:
            self.count += delta


class BusyMiddleware:
    """Count every HTTP request in ``in_flight`` while it is served."""

    def __init__(self, app: ASGIApp, in_flight: InFlight) -> None:
        self.app = app
        self.in_flight = in_flight

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.in_flight.add(1)
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight.add(-1)
