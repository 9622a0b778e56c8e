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
Fmt = Annotated[Literal["png", "svg"], Path(description="png or svg")]
Lang = Annotated[Literal["th", "en"], Query()]


@router.get("/sector-mixing.{fmt}", response_class=Response)
def sector_mixing_chart(analyses: AnalysesDep, flt: FilterDep, fmt: Fmt,
                        lang: Lang = "th") -> Response:
    """Heatmap of ties between sectors."""
    return Response(analyses.chart("sector-mixing", flt, fmt, lang), media_type=MEDIA[fmt])


@router.get("/brokers.{fmt}", response_class=Response)
def brokers_chart(analyses: AnalysesDep, flt: FilterDep, fmt: Fmt, lang: Lang = "th",
                  top: Annotated[int, Query(ge=1, le=50)] = 15) -> Response:
    """Bar chart of the top brokers."""
    return Response(analyses.chart("brokers", flt, fmt, lang, top=top), media_type=MEDIA[fmt])


@router.get("/growth.{fmt}", response_class=Response)
def growth_chart(analyses: AnalysesDep, flt: FilterDep, fmt: Fmt, lang: Lang = "th") -> Response:
    """Members, ties and events by fiscal year."""
    return Response(analyses.chart("growth", flt, fmt, lang), media_type=MEDIA[fmt])
