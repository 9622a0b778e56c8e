"""How many HTTP requests are being served right now: the background warm-up
(:mod:`graphsvc.service.warmup`) waits while any is, and for a moment after the last (a page
brings its map and charts in quick succession), so planners' requests come first."""

from __future__ import annotations

import threading
import time

from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["BusyMiddleware", "InFlight"]


#: Seconds after the last request during which the server still counts as busy.
QUIET_SECONDS = 0.3


class InFlight:
    """A thread-safe count of requests in flight; true while any is, or one ended less than
    ``quiet`` seconds ago."""

    def __init__(self, quiet: float = QUIET_SECONDS) -> None:
        self._lock = threading.Lock()
        self.count = 0
        self.quiet = quiet
        self._last_end = float("-inf")

    def __bool__(self) -> bool:
        return self.count > 0 or time.monotonic() - self._last_end < self.quiet

    def add(self, delta: int) -> None:
        with self._lock:
            self.count += delta
            if delta < 0:
                self._last_end = time.monotonic()


#: Requests too small to count: health checks (a monitor polling them must not hold the
#: warm-up back).
NOT_COUNTED = ("/health", "/api/health")


class BusyMiddleware:
    """Count every HTTP request but health checks in ``in_flight`` while it is served."""

    def __init__(self, app: ASGIApp, in_flight: InFlight) -> None:
        self.app = app
        self.in_flight = in_flight

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in NOT_COUNTED:
            await self.app(scope, receive, send)
            return
        self.in_flight.add(1)
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight.add(-1)
