"""One router per resource; :func:`include_routers` mounts them all."""

from __future__ import annotations

from fastapi import FastAPI

__all__ = ["include_routers"]


def include_routers(app: FastAPI) -> None:
    from graphsvc.api.routes import (
        analysis,
        charts,
        health,
        history,
        ingest,
        ingest_pages,
        maps,
        organisations,
        pages,
        recommendations,
    )

    for module in (health, organisations, analysis, recommendations, ingest, history, ingest_pages,
                   maps, charts, pages):
        app.include_router(module.router)
