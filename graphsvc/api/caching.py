"""Validators and compression: ETags, ``304 Not Modified``, ``Cache-Control``, gzip and brotli.

Every ``GET`` answer of this service is a function of the store revision, the URL and the
``Host`` (the embed snippet names it); :class:`CachingMiddleware` therefore knows a response's
ETag *before* the route runs:

    ETag = W/"hash(generation, store revision, path, sorted query parameters, host, variant)"

- ``If-None-Match`` naming it is answered ``304`` at once: no routing, no computation, no body.
  A write raises the revision, so every older ETag stops matching. ``generation`` is drawn when
  the app is built, so a restart (perhaps with new code or a replaced store file) never
  validates an answer of the process before.
- ``variant`` is what makes an answer per person: a middleware outside this one (sessions) sets
  ``scope["state"]["cache_variant"]`` (e.g. the session id) for a request whose page shows
  signed-in state or carries a form token; a request with an ``Authorization`` header gets a
  hash of it. Such answers are ``Cache-Control: private, no-cache`` and ``Vary: Cookie,
  Authorization``, and their ETag includes the variant, so no one is ever sent (or validated
  into) another's page. Everything else is ``public, no-cache``: caches may keep it but must
  revalidate, which the ETag makes a cheap ``304``.
- A route may decide for itself: a ``Cache-Control`` it sets is kept, and ``no-store`` gets no
  ETag. ``/health`` gets none either; answers other than ``200``, requests other than ``GET``
  and ``POST`` and the static files of ``/docs`` (which carry validators of their own) are
  passed through as they are.
- JSON, HTML, SVG, CSV, JavaScript and CSS of at least :data:`MIN_COMPRESS_BYTES` are sent
  ``Content-Encoding: br`` when the request accepts it and the ``brotli`` package is installed,
  else ``gzip`` when accepted (``Vary: Accept-Encoding`` always). The encoded bytes of an
  answer with an ETag of at least :data:`MIN_KEEP_BYTES` (maps) are kept for the newest
  revision only (least recently used first out, at most :data:`ENCODED_CACHE_BYTES`), so a
  popular map is compressed once per revision; smaller answers are compressed each time.

Reading the revision of an embedded SQLite store is a local read of one row, done on the event
loop; a networked store's is read in the thread pool. The revision is read before the route
runs: an answer computed just after a write may carry the older revision's ETag, which only
means one more full transfer, never a stale ``304``.
"""

from __future__ import annotations

import gzip
import hashlib
import secrets
import threading
from collections import OrderedDict
from urllib.parse import parse_qsl, urlencode

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["MIN_COMPRESS_BYTES", "CachingMiddleware", "accepted_encoding", "etag_for"]

#: Smaller bodies are sent as they are: compressing them saves less than a packet.
MIN_COMPRESS_BYTES = 512
GZIP_LEVEL = 6
BROTLI_QUALITY = 5  # brotli's sweet spot for on-the-fly compression of text
#: Most bytes of compressed answers kept for reuse, and the least size worth keeping.
ENCODED_CACHE_BYTES = 4 * 1024 * 1024
MIN_KEEP_BYTES = 256 * 1024
#: Paths whose answers are not a function of (revision, URL): no ETag (still compressed).
UNCACHED_PREFIXES = ("/health", "/api/health")
#: Paths left entirely alone (static files with validators of their own).
PASSED_PREFIXES = ("/docs-static/",)
COMPRESSIBLE = (b"application/json", b"text/html", b"image/svg+xml", b"text/csv",
                b"text/plain", b"text/css", b"text/javascript", b"application/javascript")

try:  # optional: brotli compresses maps about a fifth smaller than gzip
    import brotli as _brotli
except ImportError:  # pragma: no cover - depends on the installation
    _brotli = None


def accepted_encoding(header: str, *, brotli_available: bool = _brotli is not None) -> str | None:
    """The content coding to answer an ``Accept-Encoding`` header with: ``br``, ``gzip``, or
    ``None`` (send as is). Codings with ``q=0`` are refused; ``*`` accepts gzip.

    >>> accepted_encoding("gzip, deflate, br", brotli_available=True)
    'br'
    >>> accepted_encoding("gzip;q=0, br;q=0", brotli_available=True) is None
    True
    >>> accepted_encoding("br", brotli_available=False) is None
    True
    """
    accepted: dict[str, float] = {}
    for part in header.split(",")[:20]:
        name, _, params = part.strip().partition(";")
        quality = 1.0
        key, _, value = params.strip().partition("=")
        if key.strip().lower() == "q":
            try:
                quality = float(value)
            except ValueError:
                quality = 0.0
        accepted[name.strip().lower()] = quality
    if brotli_available and accepted.get("br", 0) > 0:
        return "br"
    if accepted.get("gzip", accepted.get("*", 0)) > 0:
        return "gzip"
    return None


def etag_for(generation: str, revision: int, path: str, query: bytes, host: bytes,
             variant: str | None) -> str:
    """The weak ETag of the answer to ``path?query`` at ``revision`` (see the module docstring).

    The query is normalised: parameters sorted, so ``?a=1&b=2`` and ``?b=2&a=1`` share one.
    """
    params = sorted(parse_qsl(query.decode("latin-1"), keep_blank_values=True))
    text = "\n".join((generation, str(revision), path, urlencode(params),
                      host.decode("latin-1"), variant or ""))
    return 'W/"' + hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest() + '"'


def _matches(if_none_match: bytes, etag: str) -> bool:
    """Weak comparison of an ``If-None-Match`` header against ``etag``."""
    wanted = etag.removeprefix("W/")
    for tag in if_none_match.decode("latin-1").split(","):
        tag = tag.strip()
        if tag == "*" or tag.removeprefix("W/") == wanted:
            return True
    return False


def _compress(body: bytes, coding: str) -> bytes:
    if coding == "br":
        return _brotli.compress(body, quality=BROTLI_QUALITY)
    return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes | None:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


class CachingMiddleware:
    """ETags, ``304``, ``Cache-Control`` and compression for every answer (module docstring)."""

    def __init__(self, app: ASGIApp, max_encoded_bytes: int = ENCODED_CACHE_BYTES) -> None:
        self.app = app
        self.generation = secrets.token_hex(8)
        self.max_encoded_bytes = max_encoded_bytes
        self._encoded_cache: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self._encoded_size = 0
        self._encoded_revision: int | None = None
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in ("GET", "POST") or \
                scope.get("path", "").startswith(PASSED_PREFIXES):
            await self.app(scope, receive, send)
            return
        request_headers = dict(scope.get("headers") or [])
        coding = accepted_encoding(request_headers.get(b"accept-encoding", b"")
                                   .decode("latin-1"))
        path = scope.get("path", "")
        etag, revision, private = None, None, False
        if scope.get("method") == "GET" and not path.startswith(UNCACHED_PREFIXES):
            revision = await self._revision(scope)
            if revision is not None:
                variant = (scope.get("state") or {}).get("cache_variant")
                auth = request_headers.get(b"authorization")
                if auth:
                    variant = (variant or "") + hashlib.sha256(auth).hexdigest()
                private = variant is not None
                etag = etag_for(self.generation, revision, path,
                                scope.get("query_string", b""),
                                request_headers.get(b"host", b""), variant)
                inm = request_headers.get(b"if-none-match")
                if inm is not None and _matches(inm, etag):
                    await send({"type": "http.response.start", "status": 304,
                                "headers": self._validators(etag, private, None)})
                    await send({"type": "http.response.body", "body": b""})
                    return
        if etag is None and coding is None:
            await self.app(scope, receive, send)
            return
        await self._finish(scope, receive, send, etag=etag, revision=revision,
                           private=private, coding=coding)

    async def _finish(self, scope: Scope, receive: Receive, send: Send, *, etag: str | None,
                      revision: int | None, private: bool, coding: str | None) -> None:
        """Run the app; add validators to a ``200`` and compress a compressible body."""
        start: dict = {}
        chunks: list[bytes] = []
        passing = False

        async def wrapped(message: Message) -> None:
            nonlocal passing
            if passing:
                await send(message)
                return
            if message["type"] == "http.response.start":
                start.update(message)
                headers = list(message.get("headers") or [])
                kind = (_header(headers, b"content-type") or b"").split(b";")[0].strip()
                if (message.get("status") != 200 or _header(headers, b"content-encoding")
                        or (kind not in COMPRESSIBLE and etag is None)):
                    passing = True
                    await send(message)
                return
            if message["type"] != "http.response.body":  # pragma: no cover - ASGI extensions
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            await self._send_whole(send, start, b"".join(chunks), etag=etag,
                                   revision=revision, private=private, coding=coding,
                                   scope=scope)

        await self.app(scope, receive, wrapped)

    async def _send_whole(self, send: Send, start: dict, body: bytes, *, etag: str | None,
                          revision: int | None, private: bool, coding: str | None,
                          scope: Scope) -> None:
        headers = [(k, v) for k, v in (start.get("headers") or [])
                   if k.lower() != b"content-length"]
        own_policy = _header(headers, b"cache-control")
        if own_policy is not None and b"no-store" in own_policy.lower():
            etag = None
        kind = (_header(headers, b"content-type") or b"").split(b";")[0].strip()
        if kind in COMPRESSIBLE:
            headers.append((b"vary", b"Accept-Encoding"))
            if coding is not None and len(body) >= MIN_COMPRESS_BYTES:
                body = await self._encoded(body, coding, etag, revision)
                headers.append((b"content-encoding", coding.encode()))
        if etag is not None:
            headers = [h for h in headers if h[0].lower() != b"etag"]
            headers += self._validators(etag, private, own_policy)
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": start.get("status", 200),
                    "headers": headers})
        await send({"type": "http.response.body", "body": body})

    @staticmethod
    def _validators(etag: str, private: bool, own_policy: bytes | None
                    ) -> list[tuple[bytes, bytes]]:
        headers = [(b"etag", etag.encode())]
        if own_policy is None:
            headers.append((b"cache-control",
                            b"private, no-cache" if private else b"public, no-cache"))
        if private:
            headers.append((b"vary", b"Cookie, Authorization"))
        return headers

    async def _encoded(self, body: bytes, coding: str, etag: str | None,
                       revision: int | None) -> bytes:
        """``body`` compressed with ``coding``, kept per (ETag, coding) when it has an ETag.

        Compressing a large map takes tens of milliseconds: that runs in the thread pool.
        """
        key = (etag or "", coding)
        keep = etag is not None and revision is not None and len(body) >= MIN_KEEP_BYTES
        if keep:
            with self._lock:
                hit = self._encoded_cache.get(key)
                if hit is not None:
                    self._encoded_cache.move_to_end(key)
                    return hit
        encoded = (_compress(body, coding) if len(body) < 65_536
                   else await run_in_threadpool(_compress, body, coding))
        if keep and revision is not None and len(encoded) <= self.max_encoded_bytes // 4:
            with self._lock:
                if self._encoded_revision is None or revision > self._encoded_revision:
                    self._encoded_cache.clear()  # answers of older revisions are never sent
                    self._encoded_size = 0
                    self._encoded_revision = revision
                if revision == self._encoded_revision and key not in self._encoded_cache:
                    self._encoded_cache[key] = encoded
                    self._encoded_size += len(encoded)
                while self._encoded_size > self.max_encoded_bytes:
                    _, dropped = self._encoded_cache.popitem(last=False)
                    self._encoded_size -= len(dropped)
        return encoded

    @staticmethod
    async def _revision(scope: Scope) -> int | None:
        holder = getattr(_state(scope), "store_holder", None)
        store = holder.current() if holder is not None else None
        if store is None:
            return None
        try:
            if store.kind == "sqlite":
                return store.revision()
            return await run_in_threadpool(store.revision)
        except Exception:  # the route reports the store's state properly; no validators
            return None


def _state(scope: Scope) -> object:
    app = scope.get("app")
    return app.state if app is not None else None
