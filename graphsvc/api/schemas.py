"""Response and request models of the JSON API (what /docs shows, with examples)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from graphsvc.model.catalogue import NODE_METRICS

__all__ = [
    "BetweennessNote",
    "ErrorBody",
    "ErrorInfo",
    "Health",
    "IngestReport",
    "MetricOut",
    "MetricsTable",
    "Neighbour",
    "OrganisationDetail",
    "OrganisationOut",
    "OrganisationPage",
    "RecruitProposal",
    "RecruitRecommendation",
    "ReengageRecommendation",
    "TieProposal",
    "TieRecommendation",
    "WhatIfRequest",
    "WhatIfResult",
]


class ErrorInfo(BaseModel):
    code: str = Field(examples=["unknown_organisation"])
    message: str = Field(examples=["no organisation with org_id 'XX-999'"])
    details: list[dict[str, Any]] = Field(default_factory=list, examples=[[{"org_id": "XX-999"}]])


class ErrorBody(BaseModel):
    """The one error shape of every 4xx and 5xx response."""

    error: ErrorInfo


class Health(BaseModel):
    status: str = Field(examples=["ok"])
    store: str = Field(examples=["sqlite"])
    revision: int = Field(examples=[7])
    counts: dict[str, int] = Field(
        examples=[{"organisations": 290, "events": 40, "attendance": 900, "collaborations": 300}]
    )


class OrganisationOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "org_id": "TH21-GOV-001", "name": "สำนักงานวัฒนธรรมจังหวัดระยอง",
        "name_th": "สำนักงานวัฒนธรรมจังหวัดระยอง", "name_en": "Rayong Provincial Culture Office",
        "sector": "GOV", "province_code": "TH-21", "org_type": "provincial_office",
        "aliases": ["สนง.วัฒนธรรม จ.ระยอง"], "status": "member", "joined_date": "2022-10-01"}]})

    org_id: str
    name: str
    name_th: str | None = None
    name_en: str | None = None
    sector: str | None = None
    province_code: str | None = None
    org_type: str | None = None
    aliases: list[str] = Field(default_factory=list)
    status: str = "member"
    joined_date: str | None = None


class OrganisationPage(BaseModel):
    items: list[OrganisationOut]
    total: int = Field(description="how many organisations match, over all pages", examples=[123])
    limit: int = Field(examples=[50])
    offset: int = Field(examples=[0])


class Neighbour(BaseModel):
    org_id: str
    name: str
    sector: str | None = None
    weight: float = Field(description="tie weight (collaborations + co-attendance)")
    collab_types: list[str] = Field(default_factory=list, examples=[["mou", "joint_project"]])
    n_events: int = Field(0, description="events both attended")


class OrganisationDetail(BaseModel):
    organisation: OrganisationOut
    metrics: dict[str, Any] = Field(
        default_factory=dict,
        description="this organisation's row of the metrics table of its province",
        examples=[{"degree": 12, "strength": 20.5, "betweenness": 0.31, "pagerank": 0.04}],
    )
    community: Any = Field(None, description="its Louvain community label", examples=[2])
    neighbours: list[Neighbour] = Field(default_factory=list)


class BetweennessNote(BaseModel):
    method: str = Field(description="exact, or sampled above GRAPHSVC_EXACT_BETWEENNESS_MAX",
                        examples=["exact"])
    k: int | None = Field(None, description="pivots sampled (sampled method only)")
    seed: int | None = None


def _metric_columns() -> str:
    return "; ".join(f"`{m.id}`: {m.explain_en}" for m in NODE_METRICS)


class MetricsTable(BaseModel):
    organisations: list[dict[str, Any]] = Field(
        description="One row per organisation, best broker first, with `org_id`, `name`, "
                    "`sector`, `province`, `status` and every metric of the catalogue "
                    "(`GET /api/catalogue`): " + _metric_columns(),
        examples=[[{
            "org_id": "TH21-GOV-001", "name": "สำนักงานวัฒนธรรมจังหวัดระยอง", "sector": "GOV",
            "province": "TH-21", "degree": 31, "strength": 40.2, "betweenness": 0.38,
            "pagerank": 0.05, "eigenvector": 0.41, "constraint": 0.09, "effective_size": 27.1,
            "community": 1}]])
    betweenness: BetweennessNote
    revision: int


class MetricOut(BaseModel):
    id: str = Field(examples=["betweenness"])
    label_th: str = Field(examples=["บทบาทตัวกลาง"])
    label_en: str = Field(examples=["Go-between role (betweenness)"])
    explain_th: str
    explain_en: str
    format: str = Field(description="count, decimal, share (a fraction shown as per cent), "
                                    "rank or id", examples=["share"])
    sizes_nodes: bool = Field(description="whether a map can size its nodes by it")
    level: str = Field(description="node (one value per organisation) or network",
                       examples=["node"])


class TieRecommendation(BaseModel):
    model_config = ConfigDict(extra="allow")

    source: str = Field(examples=["TH21-EDU-004"])
    target: str = Field(examples=["TH21-MED-002"])
    score: float = Field(examples=[0.82])
    reasons: list[str] = Field(examples=[["both already work with สำนักงานวัฒนธรรมจังหวัดระยอง"]])
    source_name: str | None = None
    target_name: str | None = None
    method: str | None = Field(default=None, examples=["learned"],
                               description="the method that placed this pair")
    likelihood: float | None = Field(
        default=None, examples=[0.42],
        description="share of such pairs that became ties in the backtest's hidden part")
    rank: str | None = Field(default=None, examples=["build"])
    summary: dict[str, str] = Field(default_factory=dict,
                                    description="likelihood and what it adds, th and en")


class ReengageRecommendation(BaseModel):
    model_config = ConfigDict(extra="allow")

    org_id: str = Field(examples=["TH21-MED-003"])
    name: str | None = None
    kind: str = Field(examples=["dormant"], description="isolated or dormant")
    reasons: list[str] = Field(default_factory=list)


class RecruitRecommendation(BaseModel):
    model_config = ConfigDict(extra="allow")

    org_id: str = Field(examples=["TH21-MED-009"])
    name: str | None = None
    score: float = Field(examples=[3.5])
    reasons: list[str] = Field(examples=[["would be the first MED organisation in Rayong"]])


class TieProposal(BaseModel):
    source: str = Field(max_length=100, examples=["TH21-EDU-004"])
    target: str = Field(max_length=100, examples=["TH21-MED-002"])


class RecruitProposal(BaseModel):
    org_id: str = Field(max_length=100, examples=["TH21-MED-009"])
    partners: list[str] = Field(
        default_factory=list, max_length=50,
        description="members it would work with; empty: its likely ties (as recommended)")


class WhatIfRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "province": "TH-21", "ties": [{"source": "TH21-EDU-004", "target": "TH21-MED-002"}],
        "recruits": [{"org_id": "TH21-MED-009"}], "weight": 1.0}]})

    province: str | None = Field(None, max_length=8)
    ties: list[TieProposal] = Field(default_factory=list, max_length=500)
    recruits: list[RecruitProposal] = Field(default_factory=list, max_length=500)
    weight: float = Field(1.0, gt=0, le=1000, description="weight of every proposed tie")


class WhatIfResult(BaseModel):
    model_config = ConfigDict(extra="allow")

    before: dict[str, Any]
    after: dict[str, Any]
    change: dict[str, Any] = Field(default_factory=dict)
    constraint: list[dict[str, Any]] = Field(default_factory=list)
    recruits: list[dict[str, Any]] = Field(default_factory=list)


class IngestReport(BaseModel):
    model_config = ConfigDict(extra="allow")

    dry_run: bool
    revision_before: int
    revision_after: int
    tables: dict[str, dict[str, int]] = Field(examples=[{
        "organisations": {"inserted": 120, "updated": 0, "unchanged": 0}}])
    warnings: list[Any] = Field(default_factory=list)
