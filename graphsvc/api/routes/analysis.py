"""``/api/metrics``, ``/api/summary``, ``/api/communities``, ``/api/brokers``,
``/api/sector-gaps``: the analysis of one part of the network (filters: province, sector, fy)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from graphsvc.api.deps import AnalysesDep
from graphsvc.api.filters import FilterDep
from graphsvc.api.responses import cached_json
from graphsvc.api.schemas import BetweennessNote, ErrorBody, MetricOut, MetricsTable
from graphsvc.model import defaults
from graphsvc.model.catalogue import METRICS

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["analysis"], responses={422: {"model": ErrorBody}})

Top = Annotated[int, Query(ge=1, le=1000, description="how many to return")]


def _example(value: dict[str, Any]) -> dict[int | str, dict[str, Any]]:
    return {200: {"content": {"application/json": {"example": value}}}}


SUMMARY_EXAMPLE = {
    "organisations": 121, "ties": 5246, "density": 0.72, "components": 10,
    "largest_component": 112, "isolates": 9, "average_distance": 1.16, "diameter": 2,
    "modularity": 0.31, "communities": 17, "betweenness_method": "exact",
    "ei_index": {"overall": 0.45}, "sector_counts": {"GOV": 24, "EDU": 29},
    "betweenness": {"method": "exact", "k": None, "seed": None}, "revision": 3}
COMMUNITIES_EXAMPLE = {
    "communities": 17, "modularity": 0.31, "seed": 42,
    "labels": [{"community": 0, "size": 40, "label": "สำนักงานวัฒนธรรมจังหวัดระยอง, …"}],
    "members": [{"community": 0, "org_ids": ["TH21-GOV-001", "TH21-EDU-004"]}]}
BROKERS_EXAMPLE = {
    "brokers": [{"org_id": "TH21-GOV-001", "name": "สำนักงานวัฒนธรรมจังหวัดระยอง",
                 "sector": "GOV", "betweenness": 0.56, "brokerage": 970, "liaison": 577,
                 "cross_sector_share": 0.88, "constraint": 0.05, "cut_off": 1}],
    "cut_points": [{"org_id": "TH21-GOV-001", "name": "สำนักงานวัฒนธรรมจังหวัดระยอง",
                    "sector": "GOV", "cut_off": 1}],
    "bridges": 1, "roles": ["coordinator", "consultant", "representative_gatekeeper",
                            "liaison"],
    "betweenness": {"method": "exact", "k": None, "seed": None}}
GAPS_EXAMPLE = {
    "province": "TH-21", "coverage": {"GOV": 24, "MED": 1},
    "missing": [], "thin": [{"sector": "MED", "sector_name": "ภาคสื่อมวลชน", "members": 1,
                             "candidates": [{"org_id": "TH21-MED-009", "name": "…"}]}],
    "unlinked": [{"sectors": ["REL", "MED"], "names": ["ภาคศาสนา", "ภาคสื่อมวลชน"],
                  "brokers": [{"org_id": "TH21-GOV-001", "name": "…", "ties": 2}],
                  "reason": "จะเป็นความร่วมมือครั้งแรกระหว่างภาคศาสนากับภาคสื่อมวลชนในจังหวัดระยอง"}]}


@router.get("/catalogue", response_model=list[MetricOut])
def catalogue() -> list[MetricOut]:
    """Every metric graphsvc shows: its id (the column in ``/api/metrics``, the key in
    ``/api/summary``), Thai and English labels, a plain-language explanation in both
    languages, its format and whether a map can size nodes by it."""
    return [MetricOut(**asdict(m)) for m in METRICS.values()]


@router.get("/metrics", response_model=MetricsTable)
def metrics(analyses: AnalysesDep, flt: FilterDep) -> Response:
    """One row per organisation with every metric (degree, strength, betweenness, PageRank,
    eigenvector, constraint, effective size, community, …). Betweenness is exact up to
    ``GRAPHSVC_EXACT_BETWEENNESS_MAX`` organisations and sampled (seeded) beyond: ``betweenness``
    says which."""
    def build() -> MetricsTable:
        rows, note = analyses.metrics(flt)
        return MetricsTable(organisations=rows, betweenness=BetweennessNote(**note),
                            revision=analyses.revision)

    return cached_json(analyses, "metrics", flt, build)


@router.get("/summary", response_model=dict[str, Any], responses=_example(SUMMARY_EXAMPLE))
def summary(analyses: AnalysesDep, flt: FilterDep) -> Response:
    """Size, density, components, distances, sector mixing and E–I index of the selection."""
    return cached_json(analyses, "summary", flt,
                       lambda: {**analyses.summary(flt), "revision": analyses.revision})


@router.get("/communities", response_model=dict[str, Any],
            responses=_example(COMMUNITIES_EXAMPLE))
def communities(analyses: AnalysesDep, flt: FilterDep) -> Response:
    """Louvain communities (seeded) with modularity, their central members and sector mix."""
    return cached_json(analyses, "communities", flt, lambda: analyses.communities(flt))


@router.get("/brokers", response_model=dict[str, Any], responses=_example(BROKERS_EXAMPLE))
def brokers(analyses: AnalysesDep, flt: FilterDep, top: Top = defaults.BROKERS_TOP) -> Response:
    """The organisations that bridge: brokerage roles across sectors, constraint, and the
    articulation points whose departure would cut organisations off."""
    return cached_json(analyses, "brokers", (flt, top), lambda: analyses.brokers(flt, top))


@router.get("/sector-gaps", response_model=dict[str, Any], responses=_example(GAPS_EXAMPLE))
def sector_gaps(
    analyses: AnalysesDep,
    province: Annotated[str, Query(max_length=200, examples=["TH-21"],
                                   description="ISO code, Thai or English name")],
    lang: Annotated[Literal["th", "en"], Query(description="language of names and reasons")] = "th",
) -> Response:
    """Sectors missing or thin in a province, sector pairs with no tie, and who could close
    each gap."""
    code = analyses.select(province).province or ""
    return cached_json(analyses, "sector_gaps", (code, lang),
                       lambda: analyses.sector_gaps(code, lang))
