"""``/api/metrics``, ``/api/summary``, ``/api/communities``, ``/api/brokers``,
``/api/sector-gaps``: the analysis of one part of the network (filters: province, sector, fy)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from graphsvc.api.deps import AnalysesDep
from graphsvc.api.filters import FilterDep, parse_filter
from graphsvc.api.responses import cached_json
from graphsvc.api.schemas import ErrorBody, MetricsTable

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["analysis"], responses={422: {"model": ErrorBody}})

Top = Annotated[int, Query(ge=1, le=1000, description="how many to return")]


@router.get("/metrics", response_model=MetricsTable)
def metrics(analyses: AnalysesDep, flt: FilterDep) -> Response:
    """One row per organisation with every metric (degree, strength, betweenness, PageRank,
    eigenvector, constraint, effective size, community, …). Betweenness is exact up to
    ``GRAPHSVC_EXACT_BETWEENNESS_MAX`` organisations and sampled (seeded) beyond: ``betweenness``
    says which."""
    def build() -> MetricsTable:
        rows, note = analyses.metrics(flt)
        return MetricsTable(organisations=rows, betweenness=note, revision=analyses.revision)

    return cached_json(analyses, "metrics", flt, build)


@router.get("/summary", response_model=dict[str, Any])
def summary(analyses: AnalysesDep, flt: FilterDep) -> Response:
    """Size, density, components, distances, sector mixing and E–I index of the selection."""
    return cached_json(analyses, "summary", flt, lambda: analyses.summary(flt))


@router.get("/communities", response_model=dict[str, Any])
def communities(analyses: AnalysesDep, flt: FilterDep) -> Response:
    """Louvain communities (seeded) with modularity, their central members and sector mix."""
    return cached_json(analyses, "communities", flt, lambda: analyses.communities(flt))


@router.get("/brokers", response_model=dict[str, Any])
def brokers(analyses: AnalysesDep, flt: FilterDep, top: Top = 20) -> Response:
    """The organisations that bridge: brokerage roles across sectors, constraint, and the
    articulation points whose departure would cut organisations off."""
    return cached_json(analyses, "brokers", (flt, top), lambda: analyses.brokers(flt, top))


@router.get("/sector-gaps", response_model=dict[str, Any])
def sector_gaps(
    analyses: AnalysesDep,
    province: Annotated[str, Query(max_length=8, examples=["TH-21"])],
    lang: Annotated[Literal["th", "en"], Query(description="language of names and reasons")] = "th",
) -> Response:
    """Sectors missing or thin in a province, sector pairs with no tie, and who could close
    each gap."""
    flt = parse_filter(province)
    code = flt.province or province
    return cached_json(analyses, "sector_gaps", (code, lang),
                       lambda: analyses.sector_gaps(code, lang))
