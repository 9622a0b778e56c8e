"""``graphsvc serve``: the JSON API, maps and planner pages, with uvicorn."""

from __future__ import annotations

import click

from graphsvc.cli.common import handle_errors, store_option

__all__ = ["run_server", "serve"]

DEFAULT_GC_THRESHOLDS = (700, 10, 10)


def run_server(store_url: str | None, host: str, port: int, log_level: str = "info") -> None:
    """Build the app for ``store_url`` (or ``GRAPHSVC_STORE``) and serve it until stopped."""
    import gc

    import uvicorn

    from graphsvc.api.app import create_app
    from graphsvc.config import Settings
    from graphsvc.errors import StoreUnavailable
    from graphsvc.store import open_store

    settings = Settings.from_env(store_url=store_url)
    try:  # a wrong URL fails here with one clear line; an unreachable store is served as 503
        open_store(settings.store_url, settings).close()
    except StoreUnavailable as exc:
        click.echo(f"warning: {exc.message}; serving 503 until the store answers", err=True)
    app = create_app(settings, warm=settings.warmup)
    gc.set_threshold(*DEFAULT_GC_THRESHOLDS)  # a long-running server collects as Python does
    gc.freeze()  # what start-up loaded lives as long as the process: never scan it again
    click.echo(f"graphsvc: serving on http://{host}:{port}/ (API docs at /docs); Ctrl+C stops")
    from graphsvc.api.limits import server_options

    uvicorn.run(app, host=host, port=port, log_level=log_level, **server_options(settings))


@click.command(name="serve")
@store_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 to accept other machines).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--log-level", default="info", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]))
@handle_errors
def serve(store_url: str | None, host: str, port: int, log_level: str) -> None:
    """Serve the JSON API (/api/…, /docs), maps (/maps/…) and planner pages (/).

    Writes (POST /api/ingest) need a key from GRAPHSVC_API_KEYS; maps may be framed by the
    origins of GRAPHSVC_EMBED_ORIGINS.
    """
    run_server(store_url, host, port, log_level)
