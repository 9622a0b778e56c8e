"""The FastAPI application: :func:`create_app` builds it; nothing is built at import time.

Run it with ``graphsvc serve``, which also bounds request heads and trusts only configured
proxies (:func:`graphsvc.api.limits.server_options`); ``uvicorn --factory
graphsvc.api.app:create_app`` runs it without those, with uvicorn's own options.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from importlib.metadata import version
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from graphsvc.api.busy import BusyMiddleware, InFlight
from graphsvc.api.caching import CachingMiddleware
from graphsvc.api.deps import StoreHolder
from graphsvc.api.errors import install_error_handlers
from graphsvc.api.limits import REQUEST_LIMIT_RESPONSES, RequestLimitsMiddleware
from graphsvc.api.rendering import compile_templates
from graphsvc.api.replay import ReplayMiddleware
from graphsvc.api.security import BodyLimitMiddleware, SecurityHeadersMiddleware
from graphsvc.config import Settings
from graphsvc.errors import StoreUnavailable
from graphsvc.service.analyses import Analyses
from graphsvc.service.cache import ResultCache
from graphsvc.service.warmup import Warmup, preload
from graphsvc.store import GraphStore

__all__ = ["create_app"]

DESCRIPTION = """\
Partner-network analysis for moral-promotion networks (แสวงหาเครือข่ายเพิ่ม): who holds the
network together, where the sectors do not meet, and whom to connect or recruit next.

Reads are open. Writes (`POST /api/ingest`, `POST /api/ingests/{revision}/undo`) and the
history of writes (`GET /api/ingests`) need `Authorization: Bearer <key>` with a key from
`GRAPHSVC_API_KEYS`. Every error has one shape:
`{"error": {"code": "...", "message": "...", "details": [...]}}`.
"""

TAGS = [
    {"name": "health", "description": "Is the service and its store up?"},
    {"name": "organisations", "description": "Find organisations; one organisation in context."},
    {"name": "analysis", "description": "Metrics, summary, communities, brokers, sector gaps."},
    {"name": "recommendations", "description": "Seek more networks: ties, recruits, what-if."},
    {"name": "ingest", "description": "Load CSV/XLSX files (needs an API key)."},
    {"name": "maps", "description": "Self-contained, embeddable network maps and charts."},
]


#: Swagger UI's own colours that fall below WCAG AA contrast, darkened.
_DOCS_CONTRAST = (
    ".swagger-ui .info .title small{background:#4a5160}"
    ".swagger-ui .info .title small.version-stamp{background:#3d5c00}"
    ".swagger-ui .info .title small pre{color:#fff}"
    ".swagger-ui .info a,.swagger-ui .info .url{color:#1f5fa8}"
    ".swagger-ui .opblock-tag small,.swagger-ui .opblock .opblock-summary-description"
    "{color:#333}"
    ".swagger-ui .json-schema-2020-12-expand-deep-button{color:#4a4a4a}"
    ".swagger-ui .json-schema-2020-12__title,.swagger-ui .json-schema-2020-12-keyword__name"
    "{color:#333}"
    ".swagger-ui .opblock.opblock-get .opblock-summary-method{background:#1f5fa8}"
    ".swagger-ui .opblock.opblock-post .opblock-summary-method{background:#1d7046}"
    ".swagger-ui .opblock.opblock-put .opblock-summary-method{background:#8a4b00}"
    ".swagger-ui .opblock.opblock-delete .opblock-summary-method{background:#b02a2a}"
    ".swagger-ui .opblock.opblock-patch .opblock-summary-method{background:#1f6b5e}"
)


def _docs_static_dir() -> Path | None:
    """Swagger UI's files from the ``fastapi-offline`` package, so /docs needs no CDN."""
    try:
        return Path(str(resources.files("fastapi_offline").joinpath("static")))
    except ModuleNotFoundError:  # pragma: no cover - a declared dependency
        return None


def _install_docs(app: FastAPI) -> None:
    static = _docs_static_dir()
    if static is None or not (static / "swagger-ui-bundle.js").exists():
        return  # /docs is not served rather than loading from a CDN; /openapi.json remains
    app.mount("/docs-static", StaticFiles(directory=static), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="graphsvc API",
            swagger_js_url="/docs-static/swagger-ui-bundle.js",
            swagger_css_url="/docs-static/swagger-ui.css",
            swagger_favicon_url="/docs-static/favicon.png",
            # no deep links: their anchors sit inside the operation's toggle button, which
            # nests one control in another for keyboard and screen-reader users
            swagger_ui_parameters={"validatorUrl": None, "tryItOutEnabled": False,
                                   "deepLinking": False},
        )
        html = bytes(page.body).decode("utf-8").replace("<html>", '<html lang="en">', 1)
        html = html.replace("</head>", f"<style>{_DOCS_CONTRAST}</style></head>", 1)
        return HTMLResponse(html)


def _start_warmup(app: FastAPI, holder: StoreHolder) -> Warmup:
    """The background warm-up of the planners' first answers (:mod:`graphsvc.service.warmup`)."""
    from graphsvc.api.views import first_answers

    def analyses_at() -> Analyses | None:
        store = holder.current()
        if store is None:
            return None
        return Analyses(store, app.state.cache, app.state.settings, store.revision())

    in_flight = app.state.in_flight
    warmup = Warmup(analyses_at, first_answers, busy=lambda: bool(in_flight))
    warmup.start()
    return warmup


def create_app(settings: Settings | None = None, store: GraphStore | None = None, *,
               warm: bool = False) -> FastAPI:
    """Build the graphsvc web application.

    Parameters
    ----------
    settings : Settings, optional
        Defaults to :meth:`Settings.from_env` (read now, not at import).
    store : GraphStore, optional
        A store to serve. Without one, the app opens ``settings.store_url`` when it starts and
        closes it when it stops; a store passed in stays the caller's to close. A store that
        cannot be reached at start-up is retried on each request (503 until then); a malformed
        store URL stops the start-up.
    warm : bool
        Compute the planners' first answers in the background after start-up and after every
        write (``graphsvc serve`` passes ``settings.warmup``); ``app.state.warmup`` is the
        :class:`~graphsvc.service.warmup.Warmup`, or None.
    """
    settings = settings or Settings.from_env()
    holder = StoreHolder(settings, store)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            holder.open()
        except StoreUnavailable:
            pass  # served as 503 by /health and every store request until it opens
        if warm and holder.current() is not None:
            preload(holder.current())  # before serving: imports and kernels, no computation
            compile_templates()  # (in the warm-up, it held up a first request for 0.2 s)
        app.state.warmup = _start_warmup(app, holder) if warm else None
        try:
            yield
        finally:
            if app.state.warmup is not None:
                app.state.warmup.stop()
            holder.close()

    app = FastAPI(
        title="graphsvc",
        version=version("graphsvc"),  # written once, as graphsvc.__version__
        description=DESCRIPTION,
        openapi_tags=TAGS,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        responses=REQUEST_LIMIT_RESPONSES,
    )
    app.state.settings = settings
    app.state.store_holder = holder
    app.state.cache = ResultCache(maxsize=512, maxbytes=settings.cache_mb * 1_000_000)
    app.state.warmup = None
    app.state.in_flight = InFlight()

    install_error_handlers(app)
    app.add_middleware(ReplayMiddleware)  # innermost: replayed answers still get CORS/CSP
    app.add_middleware(CachingMiddleware)  # ETag, 304, Cache-Control, gzip/brotli
    if settings.embed_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.embed_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_upload_mb * 1_000_000)
    app.add_middleware(RequestLimitsMiddleware, settings=settings)
    app.add_middleware(SecurityHeadersMiddleware, settings=settings)
    app.add_middleware(BusyMiddleware, in_flight=app.state.in_flight)  # outermost

    from graphsvc.api.routes import include_routers

    include_routers(app)
    _install_docs(app)
    return app
