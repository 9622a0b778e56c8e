"""Seek more networks: ``/api/recommendations/ties``, ``/api/recommendations/recruits``,
``POST /api/whatif``."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from graphsvc.api.deps import AnalysesDep
from graphsvc.api.filters import ProvinceQuery
from graphsvc.api.responses import cached_json
from graphsvc.api.schemas import (
    ErrorBody,
    RecruitRecommendation,
    ReengageRecommendation,
    TieRecommendation,
    WhatIfRequest,
    WhatIfResult,
)
from graphsvc.model import defaults

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["recommendations"],
                   responses={404: {"model": ErrorBody}, 422: {"model": ErrorBody}})

Lang = Annotated[Literal["th", "en"], Query(description="language of the reasons")]


@router.get("/recommendations/ties", response_model=list[TieRecommendation])
def tie_recommendations(
    analyses: AnalysesDep,
    province: ProvinceQuery = None,
    org: Annotated[str | None, Query(max_length=100, description="recommend for this org_id",
                                     examples=["TH21-GOV-001"])] = None,
    top: Annotated[int, Query(ge=1, le=500)] = defaults.TIES_TOP,
    method: Annotated[str | None, Query(max_length=40, description="default (auto: the "
                                        "learned model or the classic index that wins the "
                                        "network's inner backtest), learned, or a classic "
                                        "index: resource_allocation, adamic_adar, …")] = None,
    rank: Annotated[Literal["likely", "build"] | None, Query(
        description="likely: which ties will form (default network-wide); build: likelihood x "
                    "what the tie adds, diversified (default for a province or an org)")] = None,
    lang: Lang = "th",
) -> Response:
    """New ties worth building, best first, each with reasons a planner can read, the method
    that placed it and its calibrated likelihood (the list of ``graphsvc recommend`` and
    ``net.recommend_ties()`` for the same question)."""
    flt = analyses.select(province)
    if org is not None:
        analyses.store.get_organisation(org)  # 404 for an unknown org, before any work

    def build() -> list[TieRecommendation]:
        rows = analyses.tie_recommendations(flt, org=org, top=top, method=method, lang=lang,
                                            rank=rank)
        return [TieRecommendation(**r) for r in rows]

    return cached_json(analyses, "ties", (flt, org, top, method, lang, rank), build)


@router.get("/recommendations/recruits", response_model=list[RecruitRecommendation])
def recruit_recommendations(
    analyses: AnalysesDep,
    province: ProvinceQuery = None,
    top: Annotated[int, Query(ge=1, le=500)] = defaults.RECRUITS_TOP,
    lang: Lang = "th",
) -> Response:
    """Candidate organisations ranked by what they would add, with reasons and the members best
    placed to introduce them."""
    flt = analyses.select(province)

    def build() -> list[RecruitRecommendation]:
        rows = analyses.recruit_recommendations(flt, top=top, lang=lang)
        return [RecruitRecommendation(**r) for r in rows]

    return cached_json(analyses, "recruits", (flt, top, lang), build)


@router.get("/recommendations/reengage", response_model=list[ReengageRecommendation])
def reengage_recommendations(
    analyses: AnalysesDep,
    province: ProvinceQuery = None,
    top: Annotated[int, Query(ge=1, le=500)] = defaults.RECRUITS_TOP,
    lang: Lang = "th",
) -> Response:
    """Members with no working tie (none at all, or none in the last two fiscal years with
    records) to re-engage; the recruit list never holds a member."""
    flt = analyses.select(province)

    def build() -> list[ReengageRecommendation]:
        rows = analyses.reengage_recommendations(flt, top=top, lang=lang)
        return [ReengageRecommendation(**r) for r in rows]

    return cached_json(analyses, "reengage", (flt, top, lang), build)


@router.post("/whatif", response_model=WhatIfResult, responses={
    400: {"model": ErrorBody, "description": "the body is not readable JSON (bad_request)"}})
def whatif(analyses: AnalysesDep, proposal: WhatIfRequest) -> WhatIfResult:
    """The network before and after a proposed set of new ties and recruits."""
    flt = analyses.select(proposal.province)
    ties = tuple((t.source, t.target) for t in proposal.ties)
    recruits = tuple((r.org_id, tuple(r.partners)) for r in proposal.recruits)
    result = analyses.whatif(flt, ties=ties, recruits=recruits, weight=proposal.weight)
    return WhatIfResult(**result)
