"""``GET /health``: the service and its store."""

from __future__ import annotations

from fastapi import APIRouter, Request

from graphsvc.api.schemas import ErrorBody, Health

__all__ = ["router"]

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health,
            responses={503: {"model": ErrorBody, "description": "the store is unreachable"}})
def health(request: Request) -> Health:
    """Store kind, revision and counts; 503 in the error shape when the store does not answer."""
    store = request.app.state.store_holder.open()
    store.check()
    return Health(status="ok", store=store.kind, revision=store.revision(), counts=store.counts())


@router.get("/api/health", response_model=Health, include_in_schema=False)
def api_health(request: Request) -> Health:
    return health(request)
