"""``/api/organisations``: search and filter; one organisation with its metrics and neighbours."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from graphsvc.api.deps import AnalysesDep, StoreDep
from graphsvc.api.filters import ProvinceQuery
from graphsvc.api.responses import cached_json
from graphsvc.api.schemas import ErrorBody, OrganisationDetail, OrganisationOut, OrganisationPage
from graphsvc.errors import InvalidInput
from graphsvc.model.records import ORG_STATUSES
from graphsvc.model.selection import MAX_SELECTION_TEXT

__all__ = ["router"]

router = APIRouter(prefix="/api/organisations", tags=["organisations"])

OrgId = Annotated[str, Path(max_length=100, examples=["TH21-GOV-001"])]


@router.get("", response_model=OrganisationPage,
            responses={422: {"model": ErrorBody}})
def list_organisations(
    analyses: AnalysesDep,
    q: Annotated[str | None, Query(max_length=200, description="Thai or English name, alias "
                                   "or id (สนง. finds สำนักงาน)", examples=["วัฒนธรรม"])] = None,
    province: ProvinceQuery = None,
    sector: Annotated[str | None, Query(max_length=MAX_SELECTION_TEXT, examples=["GOV"])] = None,
    status: Annotated[Literal["member", "candidate"] | None, Query(examples=["candidate"])] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    """Organisations a name names (exact name first, then prefix, then word start; never a
    match inside a word), with filters, a page at a time."""
    flt = analyses.select(province, sector)  # 422 for an unknown province or sector
    province = flt.province
    sector = flt.sectors[0] if flt.sectors else None
    if status is not None and status not in ORG_STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(ORG_STATUSES)}",
                           [{"parameter": "status", "value": status}])

    def build() -> OrganisationPage:
        found = analyses.search(q, province=province, sector=sector, status=status)
        page = found[offset:offset + limit]
        return OrganisationPage(items=[OrganisationOut(**o) for o in page], total=len(found),
                                limit=limit, offset=offset)

    return cached_json(analyses, "organisations", (q, province, sector, status, limit, offset),
                       build)


@router.get("/{org_id}", response_model=OrganisationDetail,
            responses={404: {"model": ErrorBody, "description": "unknown org_id"}})
def get_organisation(org_id: OrgId, store: StoreDep, analyses: AnalysesDep) -> OrganisationDetail:
    """One organisation with its metrics (within its province), neighbours and community."""
    org = store.get_organisation(org_id)
    return OrganisationDetail(**analyses.organisation_detail(org))
