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
from graphsvc.api.pageerrors import HTML_ERRORS, HTMLErrorRoute
from graphsvc.api.rendering import province_name, render_page
from graphsvc.errors import InvalidInput
from graphsvc.model.catalogue import metrics as catalogue_metrics
from graphsvc.viz.wording import TEXT

__all__ = ["router"]

# A map is opened by a person: unknown ids and bad parameters answer with an HTML page in the
# map's language (graphsvc.api.pageerrors), not the JSON error shape.
router = APIRouter(prefix="/maps", tags=["maps"], route_class=HTMLErrorRoute,
                   responses=HTML_ERRORS)

Lang = Annotated[Literal["th", "en"], Query()]
Color = Annotated[Literal["sector", "community"], Query(description="what colours the nodes")]
#: The catalogue's metrics that can size a node (graphsvc.model.catalogue).
SIZES = tuple(m.id for m in catalogue_metrics(sizes_nodes=True))
Size = Annotated[str, Query(description="what sizes the nodes: a metric of the catalogue that "
                            "can size a node", json_schema_extra={"enum": list(SIZES)})]


def _size(size: str) -> str:
    if size not in SIZES:
        raise InvalidInput(f"size must be one of {', '.join(SIZES)}, not {size!r}",
                           [{"size": size}])
    return size
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
    html = analyses.network_map(flt, color=color, size=_size(size), highlight=highlight,
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


#: Sizes the embed page offers: ``id -> (width attribute, height in px)``.
EMBED_SIZES = {"wide": ("100%", 600), "tall": ("100%", 800), "small": ("100%", 400),
               "box": ("640", 480)}
_COPY_SCRIPT = """
document.getElementById("copy").addEventListener("click", function () {
  var code = document.getElementById("snippet");
  code.select();
  var done = function () { document.getElementById("copied").hidden = false; };
  if (navigator.clipboard) { navigator.clipboard.writeText(code.value).then(done, function () {
    document.execCommand("copy"); done(); }); }
  else { document.execCommand("copy"); done(); }
});
"""


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
    frame: Annotated[Literal["wide", "tall", "small", "box"],
                     Query(description="size of the embedded map")] = "wide",
) -> HTMLResponse:
    """A page with the ``<iframe>`` code that embeds the current map view in another site: a
    copy button, size and view options, and the setting the host site must be listed in."""
    size = _size(size)
    params = {"province": flt.province, "sector": ",".join(flt.sectors or ()) or None,
              "fy": f"{flt.fy_from}-{flt.fy_to}" if flt.fy_from else None, "color": color,
              "size": size, "highlight": highlight, "recommended": recommended or None,
              "embed": 1, "lang": lang}
    query = urlencode({k: v for k, v in params.items() if v is not None})
    map_path = f"/maps/network?{query}"
    # The public address comes from GRAPHSVC_PUBLIC_URL, never from the request's Host header
    # (which the client writes); without it the code names the map by its path only.
    base = settings.public_url or ""
    width, height = EMBED_SIZES[frame]
    place = province_name(flt.province, lang) if flt.province else None
    title = (TEXT[lang]["title_province"].format(province=place) if place
             else TEXT[lang]["title_all"])
    snippet = (f'<iframe src="{escape(base + map_path)}" width="{width}" height="{height}" '
               f'style="border:0" loading="lazy" title="{escape(title)}"></iframe>')
    origins = settings.embed_origins
    return render_page(request, "embed.html", lang, snippet=snippet, map_url=map_path,
                       map_title=title, frame=frame, sizes=EMBED_SIZES, origins=origins,
                       view={"province": flt.province or "", "color": color, "size": size,
                             "recommended": recommended, "sector": params["sector"] or "",
                             "highlight": highlight or ""},
                       preview_height=height, public_url=base, script=_COPY_SCRIPT)
