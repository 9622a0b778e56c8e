"""``/maps/network``, ``/maps/ego/{org_id}`` (self-contained pyvis HTML, embeddable) and
``/maps/embed`` (the ``<iframe>`` code for the current view)."""

from __future__ import annotations

from html import escape
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from graphsvc.api.deps import AnalysesDep, SettingsDep, StoreDep
from graphsvc.api.filters import FilterDep
from graphsvc.api.rendering import render_page

__all__ = ["router"]

# Errors are JSON even though the pages are HTML (FastAPI would document a ``model`` under the
# route's text/html); ErrorBody is in the components because the JSON routes use it.
_JSON_ERROR = {"description": "the one JSON error shape", "content": {
    "application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}}

router = APIRouter(prefix="/maps", tags=["maps"],
                   responses={404: _JSON_ERROR, 422: _JSON_ERROR})

Lang = Annotated[Literal["th", "en"], Query()]
Color = Annotated[Literal["sector", "community"], Query(description="what colours the nodes")]
Size = Annotated[Literal["pagerank", "betweenness", "degree", "strength", "eigenvector",
                         "effective_size"], Query(description="what sizes the nodes")]
Flag = Annotated[int, Query(ge=0, le=1)]
Highlight = Annotated[str | None, Query(max_length=100, description="an org_id to highlight")]


@router.get("/network", response_class=HTMLResponse)
def network_map(
    analyses: AnalysesDep,
    flt: FilterDep,
    color: Color = "sector",
    size: Size = "pagerank",
    highlight: Highlight = None,
    recommended: Annotated[int, Query(ge=0, le=1, description="1: draw recommended ties "
                                      "dashed")] = 0,
    embed: Annotated[int, Query(ge=0, le=1, description="1: no page chrome (for an "
                                "iframe)")] = 0,
    lang: Lang = "th",
) -> HTMLResponse:
    """The network map of the selection: colour by sector or community, size by a metric,
    optionally a highlighted organisation and the recommended ties drawn dashed."""
    html = analyses.network_map(flt, color=color, size=size, highlight=highlight,
                                recommended=bool(recommended), embed=bool(embed), lang=lang)
    return HTMLResponse(html)


@router.get("/ego/{org_id}", response_class=HTMLResponse)
def ego_map(
    org_id: Annotated[str, Path(max_length=100)],
    store: StoreDep,
    analyses: AnalysesDep,
    radius: Annotated[int, Query(ge=1, le=3)] = 1,
    embed: Flag = 0,
    lang: Lang = "th",
) -> HTMLResponse:
    """The organisations within ``radius`` steps of one organisation."""
    store.get_organisation(org_id)  # 404 for an unknown id, before any work
    html = analyses.ego_map(org_id, radius=radius, embed=bool(embed), lang=lang)
    return HTMLResponse(html)


@router.get("/embed", response_class=HTMLResponse)
def embed_snippet(
    request: Request,
    settings: SettingsDep,
    flt: FilterDep,
    color: Color = "sector",
    size: Size = "pagerank",
    highlight: Highlight = None,
    recommended: Flag = 0,
    lang: Lang = "th",
) -> HTMLResponse:
    """A page with the ``<iframe>`` code that embeds the current map view in another site."""
    params = {"province": flt.province, "sector": ",".join(flt.sectors or ()) or None,
              "fy": f"{flt.fy_from}-{flt.fy_to}" if flt.fy_from else None, "color": color,
              "size": size, "highlight": highlight, "recommended": recommended or None,
              "embed": 1, "lang": lang}
    query = urlencode({k: v for k, v in params.items() if v is not None})
    map_path = f"/maps/network?{query}"
    # The public address comes from GRAPHSVC_PUBLIC_URL, never from the request's Host header
    # (which the client writes); without it the code names the map by its path only.
    base = settings.public_url or ""
    snippet = (f'<iframe src="{escape(base + map_path)}" width="100%" height="600" '
               f'style="border:0" loading="lazy" title="graphsvc map"></iframe>')
    return render_page(request, "embed.html", lang, snippet=snippet, map_url=map_path,
                       public_url=base)
