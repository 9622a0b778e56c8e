"""Planner pages (server-rendered, Thai by default, ``?lang=en``): home, search, province,
organisation; and the recommendation downloads for meetings (XLSX, CSV)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from graphsvc.api import views
from graphsvc.api.deps import AnalysesDep, StoreDep
from graphsvc.api.downloads import recommendation_rows, to_csv, to_xlsx
from graphsvc.api.pageerrors import HTMLErrorRoute
from graphsvc.api.rendering import province_name, render_page, sector_name
from graphsvc.errors import InvalidInput, NotFound
from graphsvc.model.records import GraphFilter
from graphsvc.model.selection import parse_province
from graphsvc.model.text import thai_sort_key

__all__ = ["router"]

router = APIRouter(include_in_schema=False, route_class=HTMLErrorRoute)

Lang = Annotated[Literal["th", "en"], Query()]
#: Organisations with more partners than this get a radius-1 ego map on their page (else 2).
EGO_WIDE_DEGREE = 30
ProvinceCode = Annotated[str, Path(max_length=200, examples=["TH-21"])]


def _data(analyses: AnalysesDep) -> dict[str, Any]:
    """Which data a page shows: the store revision and when it was written."""
    return {"revision": analyses.revision, "written_at": analyses.written_at()}


def _known_province(code: str) -> str:
    """The ISO code of a province written as a code or a name; 404 for anything else."""
    try:
        found = parse_province(code)
    except InvalidInput:
        found = None
    if found is None:
        raise NotFound(f"unknown province {code!r}", [{"province": code}])
    return found


@router.get("/", response_class=HTMLResponse)
def home(request: Request, analyses: AnalysesDep, lang: Lang = "th") -> HTMLResponse:
    counts = analyses.province_counts()
    rows: list[dict[str, Any]] = [{"code": code, "name": province_name(code, lang), **c}
                                  for code, c in counts.items()]
    rows.sort(key=lambda r: thai_sort_key(r["name"]) if lang == "th" else (False, r["name"]))
    return render_page(request, "home.html", lang, provinces=rows, **_data(analyses))


def _namer(analyses: AnalysesDep, lang: str) -> views.Namer:
    return views.Namer(analyses.graph().nodes, lang)


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, analyses: AnalysesDep, lang: Lang = "th",
           q: Annotated[str, Query(max_length=200)] = "") -> HTMLResponse:
    """Exact name first, then names starting with ``q``, then a word starting with it
    (:mod:`graphsvc.model.namesearch`); the store finds the candidates."""
    found = analyses.search(q.strip()) if q.strip() else []
    return render_page(request, "search.html", lang, q=q, items=found[:200], total=len(found),
                       name=_namer(analyses, lang), **_data(analyses))


@router.get("/provinces/{code}", response_class=HTMLResponse)
def province_page(request: Request, code: ProvinceCode, analyses: AnalysesDep,
                  lang: Lang = "th") -> HTMLResponse:
    code = _known_province(code)
    page = views.province_page(analyses, code, lang)
    name = _namer(analyses, lang)
    actions = views.next_actions(page, name, lambda c: sector_name(c, lang), lang)
    return render_page(request, "province.html", lang, code=code,
                       province=province_name(code, lang), name=name, actions=actions, **page,
                       **_data(analyses))


@router.get("/organisations/{org_id}", response_class=HTMLResponse)
def organisation_page(request: Request, org_id: Annotated[str, Path(max_length=100)],
                      store: StoreDep, analyses: AnalysesDep, lang: Lang = "th") -> HTMLResponse:
    org = store.get_organisation(org_id)
    detail = analyses.organisation_detail(org)
    introductions = analyses.tie_recommendations_for(org, top=10, lang=lang)
    flt = GraphFilter(province=org.province_code) if org.province_code else GraphFilter()
    rows = analyses.metrics(flt)[0] if detail["metrics"] else []
    community = detail["community"]
    return render_page(request, "organisation.html", lang, org=detail["organisation"],
                       cards=views.metric_cards(detail["metrics"], rows, lang),
                       community=views.community_card(community, lang),
                       neighbours=views.neighbour_rows(detail["neighbours"][:30], lang),
                       introductions=views.scored(introductions, lang),
                       name=_namer(analyses, lang),
                       radius=1 if detail["metrics"].get("degree", 0) > EGO_WIDE_DEGREE else 2,
                       **_data(analyses))


def _download_rows(analyses: AnalysesDep, code: str, lang: str) -> list[dict]:
    code = _known_province(code)
    return recommendation_rows(views.province_page(analyses, code, lang), lang)


@router.get("/provinces/{code}/recommendations.csv")
def recommendations_csv(code: ProvinceCode, analyses: AnalysesDep,
                        lang: Lang = "th") -> Response:
    code = _known_province(code)
    body = to_csv(_download_rows(analyses, code, lang))
    return Response(body, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="recommendations-{code}.csv"'})


@router.get("/provinces/{code}/recommendations.xlsx")
def recommendations_xlsx(code: ProvinceCode, analyses: AnalysesDep,
                         lang: Lang = "th") -> Response:
    code = _known_province(code)
    body = to_xlsx(_download_rows(analyses, code, lang), lang)
    return Response(
        body,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition":
                 f'attachment; filename="recommendations-{code}.xlsx"'})
