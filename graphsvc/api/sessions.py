"""Browser sessions for the ingest pages: sign in once with an office's key, forms with CSRF
tokens, files held for a preview, and a throttle on wrong keys.

- A session lives in this process's memory only (a restart signs everyone out, which is also
  how a rotated key takes effect). The browser holds a random id in the cookie
  ``graphsvc_session`` (``HttpOnly; SameSite=Strict; Path=/``, ``Secure`` over HTTPS, with a
  ``Max-Age``). A visitor who is not signed in gets an anonymous session, so the sign-in form
  has a CSRF token too; signing in replaces it with a new id (no session fixation).
- A signed-in session remembers the office (the key's name and provinces), never the key.
  It expires :data:`SESSION_SECONDS` after sign-in; an anonymous one after
  :data:`ANONYMOUS_SECONDS`. At most :data:`MAX_SESSIONS` signed-in and
  :data:`MAX_ANONYMOUS` anonymous sessions are kept, in two pools (the oldest of a pool go
  first), so a flood of visitors cannot sign an office out.
- Every form carries the session's CSRF token; :meth:`Session.csrf_ok` compares in constant time.
- Files waiting for confirmation (:class:`Pending`) are held in the session: at most
  :data:`MAX_PENDING` uploads, together within the upload size limit, each for
  :data:`PENDING_SECONDS`; all sessions together hold at most :data:`MAX_HELD_UPLOADS` times
  the upload limit (the oldest held uploads go first).
- :class:`Throttle`: after :data:`MAX_FAILURES` wrong keys from one client within
  :data:`FAILURE_WINDOW` seconds, further sign-ins from it are refused until the window passes.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field

from fastapi import Request, Response

from graphsvc.config import ApiKey
from ingest.choices import NameChoice

__all__ = [
    "COOKIE",
    "MAX_PENDING",
    "PENDING_SECONDS",
    "Pending",
    "Session",
    "SessionStore",
    "Throttle",
]

COOKIE = "graphsvc_session"
SESSION_SECONDS = 8 * 3600
ANONYMOUS_SECONDS = 3600
PENDING_SECONDS = 3600
MAX_PENDING = 3
MAX_SESSIONS = 2000
MAX_ANONYMOUS = 10_000
MAX_HELD_UPLOADS = 10
MAX_FAILURES = 5
FAILURE_WINDOW = 300.0


@dataclass
class Pending:
    """Uploaded files waiting for the planner to confirm (or discard) their preview."""

    id: str
    files: list[tuple[str, bytes]]
    created: float
    choices: dict[tuple[str, str | None], NameChoice] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return sum(len(data) for _, data in self.files)

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.files]


@dataclass
class Session:
    """One browser's session (see the module docstring)."""

    id: str
    csrf: str
    expires: float
    office: ApiKey | None = None  #: the signed-in key's name and provinces; its secret blanked
    pending: dict[str, Pending] = field(default_factory=dict)

    @property
    def signed_in(self) -> bool:
        return self.office is not None

    @property
    def office_name(self) -> str | None:
        return self.office.name if self.office is not None else None

    def csrf_ok(self, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(str(token).encode(), self.csrf.encode())

    def hold(self, files: list[tuple[str, bytes]], max_bytes: int) -> Pending:
        """Hold ``files`` for a preview; the oldest held uploads make room (count and bytes)."""
        now = time.time()
        self.pending = {k: p for k, p in self.pending.items()
                        if now - p.created < PENDING_SECONDS}
        item = Pending(secrets.token_urlsafe(12), files, now)
        while self.pending and (len(self.pending) >= MAX_PENDING
                                or sum(p.size for p in self.pending.values()) + item.size
                                > max_bytes):
            self.pending.pop(next(iter(self.pending)))
        self.pending[item.id] = item
        return item

    def held(self, pending_id: str) -> Pending | None:
        item = self.pending.get(pending_id)
        if item is not None and time.time() - item.created >= PENDING_SECONDS:
            self.pending.pop(pending_id, None)
            return None
        return item


class SessionStore:
    """The process's sessions, by id (thread-safe)."""

    def __init__(self) -> None:
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._anonymous: OrderedDict[str, Session] = OrderedDict()
        self._lock = threading.Lock()

    def _new(self, seconds: float, office: ApiKey | None = None) -> Session:
        session = Session(secrets.token_urlsafe(32), secrets.token_urlsafe(32),
                          time.time() + seconds, office)
        pool, cap = ((self._sessions, MAX_SESSIONS) if office is not None
                     else (self._anonymous, MAX_ANONYMOUS))
        with self._lock:
            pool[session.id] = session
            while len(pool) > cap:
                pool.popitem(last=False)
        return session

    def get(self, request: Request) -> Session | None:
        """The request's live session, or ``None``."""
        sid = request.cookies.get(COOKIE)
        if not sid:
            return None
        with self._lock:
            for pool in (self._sessions, self._anonymous):
                session = pool.get(sid)
                if session is not None:
                    if session.expires <= time.time():
                        del pool[sid]
                        return None
                    return session
        return None

    def hold(self, session: Session, files: list[tuple[str, bytes]], max_bytes: int) -> Pending:
        """Hold ``files`` in ``session`` (:meth:`Session.hold`), then drop the oldest uploads
        held by any session while all of them together exceed :data:`MAX_HELD_UPLOADS` times
        ``max_bytes``."""
        with self._lock:
            item = session.hold(files, max_bytes)
            held = sorted(((p.created, p.size, s, p.id) for s in self._sessions.values()
                           for p in s.pending.values()), key=lambda h: h[0])
            total = sum(size for _, size, _, _ in held)
            for _, size, owner, pending_id in held:
                if total <= MAX_HELD_UPLOADS * max_bytes:
                    break
                if pending_id != item.id:
                    owner.pending.pop(pending_id, None)
                    total -= size
        return item

    def anonymous(self) -> Session:
        return self._new(ANONYMOUS_SECONDS)

    def sign_in(self, old: Session | None, key: ApiKey) -> Session:
        """A new signed-in session for ``key``'s office (the old id is dropped)."""
        self.drop(old)
        return self._new(SESSION_SECONDS, ApiKey(key.name, "", key.provinces))

    def drop(self, session: Session | None) -> None:
        if session is not None:
            with self._lock:
                self._sessions.pop(session.id, None)
                self._anonymous.pop(session.id, None)


def set_cookie(response: Response, request: Request, session: Session) -> None:
    response.set_cookie(COOKIE, session.id, max_age=max(1, int(session.expires - time.time())),
                        path="/", httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")


def clear_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict",
                           secure=request.url.scheme == "https")


class Throttle:
    """Wrong keys per client address (see the module docstring)."""

    def __init__(self, max_failures: int = MAX_FAILURES, window: float = FAILURE_WINDOW) -> None:
        self.max_failures = max_failures
        self.window = window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(client, deque())
        while failures and now - failures[0] > self.window:
            failures.popleft()
        return failures

    def wait(self, client: str) -> float:
        """Seconds ``client`` must wait before trying another key (0: may try now)."""
        now = time.monotonic()
        with self._lock:
            failures = self._recent(client, now)
            if len(failures) < self.max_failures:
                return 0.0
            return max(0.0, self.window - (now - failures[0]))

    def failed(self, client: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._recent(client, now).append(now)
            if len(self._failures) > 10_000:  # forget the quietest clients first
                for stale in [c for c, f in self._failures.items() if not f][:5000]:
                    del self._failures[stale]

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)
