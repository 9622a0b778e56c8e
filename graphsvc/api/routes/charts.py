"""Charts (matplotlib) as PNG or SVG: sector mixing, top brokers, growth by fiscal year."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from graphsvc.api.deps import AnalysesDep
from graphsvc.api.filters import FilterDep
from graphsvc.api.schemas import ErrorBody

__all__ = ["router"]

router = APIRouter(prefix="/charts", tags=["maps"], responses={422: {"model": ErrorBody}})

MEDIA = {"png": "image/png", "svg": "image/svg+xml"}
#: An SVG opened on its own runs no script and loads nothing.
CHART_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _chart(body: bytes, fmt: str) -> Response:
    return Response(body, media_type=MEDIA[fmt], headers={"Content-Security-Policy": CHART_CSP})
Fmt = Annotated[Literal["png", "svg"], Path(description="png or svg")]
Lang = Annotated[Literal["th", "en"], Query()]


@router.get("/sector-mixing.{fmt}", response_class=Response)
def sector_mixing_chart(analyses: AnalysesDep, flt: FilterDep, fmt: Fmt,
                        lang: Lang = "th") -> Response:
    """Heatmap of ties between sectors."""
    return _chart(analyses.chart("sector-mixing", flt, fmt, lang), fmt)


@router.get("/brokers.{fmt}", response_class=Response)
def brokers_chart(analyses: AnalysesDep, flt: FilterDep, fmt: Fmt, lang: Lang = "th",
                  top: Annotated[int, Query(ge=1, le=50)] = 15) -> Response:
    """Bar chart of the top brokers."""
    return _chart(analyses.chart("brokers", flt, fmt, lang, top=top), fmt)


@router.get("/growth.{fmt}", response_class=Response)
def growth_chart(analyses: AnalysesDep, flt: FilterDep, fmt: Fmt, lang: Lang = "th") -> Response:
    """Members, ties and events by fiscal year."""
    return _chart(analyses.chart("growth", flt, fmt, lang), fmt)
