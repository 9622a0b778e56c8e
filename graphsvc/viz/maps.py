"""Network maps: self-contained HTML pages (pyvis / vis-network) that work with no internet.

:func:`network_map` draws a whole network, :func:`ego_map` the neighbourhood of one
organisation; both return a :class:`MapPage`, which displays inline in Jupyter and saves to a file.

How the page is made (DESIGN.md, "Maps (pyvis)"):

- ``pyvis.network.Network(cdn_resources="in_line")`` holds the nodes, edges and options, and
  its bundled vis-network 9.1.2 is inlined into the page; the page is rendered from our own
  template (``assets/map.html``) instead of pyvis's, whose chrome links bootstrap from a CDN.
  :func:`strip_remote_resources` removes any ``<script src=http…>`` / ``<link href=http…>`` left,
  so no request leaves the page.
- Nodes and edges are added in bulk as plain dicts: pyvis's ``from_nx`` is quadratic, its
  ``add_edge`` scans every existing edge, and its ``add_nodes`` turns numeric string ids into ints.
  The caller's graph is never given to pyvis, and never modified.
- Titles and labels are user data and stay plain text: they reach the page as JSON inside a
  ``<script type="application/json">`` block (``<``, ``>``, ``&`` and ``'`` escaped), vis-network
  9 puts a string title into the tooltip with ``innerText`` and draws labels on a canvas, and the
  search box sets option values as properties, never as markup.
- Positions come from :func:`graphsvc.viz.layout.seeded_layout` and physics is off: the same
  data and seed give the same picture, and 10,000 organisations draw without simulation.
- The page (``assets/map.js``) fits the drawing to its screen at first draw (a wide network
  stands upright on a phone) and names the most important organisations that fit, at 13 px
  (12 on a phone) whatever the zoom; no node carries a ``label`` from Python
  (:mod:`graphsvc.viz.mapnodes` sends the name as ``nm`` and an importance rank ``r``). Its
  options recolour, resize and filter the nodes and show the recommended ties without a round
  trip; a click opens the organisation's panel; a table lists the organisations as text.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import networkx as nx

from graphsvc.errors import InvalidInput, UnknownOrganisation
from graphsvc.model.records import Sector
from graphsvc.model.reference import default_sectors
from graphsvc.model.reference import province as find_province
from graphsvc.model.text import ABBREVIATIONS
from graphsvc.viz import palette
from graphsvc.viz.layout import seeded_layout
from graphsvc.viz.legend import legend_entries
from graphsvc.viz.mapnodes import community_index, map_nodes, metric_rows, node_id, size_choices
from graphsvc.viz.page import render_page
from graphsvc.viz.wording import TEXT, check_lang, collab_name, metric_name, node_label

__all__ = [
    "FONT_STACK",
    "MapPage",
    "default_title",
    "ego_map",
    "network_map",
    "strip_remote_resources",
]

#: Thai-capable fonts for the page and the node labels: Sarabun / Noto Sans Thai where installed
#: (web and desktop), then the TLWG fonts of Debian's ``fonts-thai-tlwg-otf``.
FONT_STACK = '"Sarabun", "Noto Sans Thai", "Loma", "Garuda", "Tlwg Typist", sans-serif'

_HEIGHT = re.compile(r"^\d{1,5}(\.\d{1,3})?(px|vh|%|em|rem)$")


@dataclass(frozen=True, slots=True)
class MapPage:
    """A finished map: one self-contained HTML document.

    Attributes
    ----------
    html : str
        The whole page; serve it as ``text/html; charset=utf-8`` or save it.
    title : str
        The page title (plain text).
    n_nodes, n_edges : int
        Organisations and ties drawn (proposed ties not counted).
    """

    html: str
    title: str
    n_nodes: int
    n_edges: int
    frame_height: int = 640

    def _repr_html_(self) -> str:
        """Inline display in Jupyter (Lab, classic, VS Code): the page in an ``<iframe srcdoc>``."""
        doc = html_lib.escape(self.html, quote=True)
        label = html_lib.escape(self.title, quote=True)
        return (f'<iframe srcdoc="{doc}" title="{label}" sandbox="allow-scripts" '
                f'style="width:100%;height:{self.frame_height}px;border:0"></iframe>')

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` (UTF-8) and return the path."""
        out = Path(path)
        out.write_text(self.html, encoding="utf-8")
        return out

    def __str__(self) -> str:
        return self.html


_REMOTE_TAG = re.compile(
    r"<script\b[^>]*\bsrc\s*=\s*[\"']?\s*(?:https?:)?//[^>]*>\s*</script\s*>"
    r"|<link\b[^>]*\bhref\s*=\s*[\"']?\s*(?:https?:)?//[^>]*>",
    re.IGNORECASE,
)


def strip_remote_resources(page: str) -> str:
    """Remove ``<script src=…>`` and ``<link href=…>`` tags that point off the page's host.

    >>> strip_remote_resources('<link rel="stylesheet" href="https://cdn.example/b.css"><p>x</p>')
    '<p>x</p>'
    """
    return _REMOTE_TAG.sub("", page)


def _proposed(G: nx.Graph, proposed_ties: Iterable[Any]) -> list[tuple[Any, Any, str]]:
    out = []
    for tie in proposed_ties:
        if isinstance(tie, Mapping):
            u, v = tie.get("source"), tie.get("target")
            reasons = tie.get("reasons") or ()
            note = "\n".join(map(str, reasons)) if not isinstance(reasons, str) else reasons
        else:
            try:
                u, v = tie[0], tie[1]
            except (TypeError, IndexError, KeyError) as exc:
                raise InvalidInput(f"a proposed tie must be a pair, not {tie!r}") from exc
            note = ""
        for end in (u, v):
            if end not in G:
                raise UnknownOrganisation(str(end))
        out.append((u, v, note))
    return out


def network_map(
    G: nx.Graph,
    *,
    color_by: Literal["sector", "community"] = "sector",
    communities: Mapping[Any, Any] | Iterable[Iterable[Any]] | None = None,
    size_by: str | Mapping[Any, float] | None = None,
    metrics: Any = None,
    highlight: Any = None,
    proposed_ties: Iterable[Any] = (),
    sectors: Sequence[Sector] | None = None,
    lang: Literal["th", "en"] = "th",
    embed: bool = False,
    title: str | None = None,
    seed: int = 0,
    height: str = "100vh",
) -> MapPage:
    """A map of the network ``G`` as one self-contained HTML page.

    Parameters
    ----------
    G : networkx.Graph
        A graph with the attributes of :func:`graphsvc.model.network.build_graph` (node
        ``name``, ``name_th``, ``name_en``, ``sector``, ``province``, ``status``; edge
        ``weight``). Not modified.
    color_by : {"sector", "community"}
        Node colour: the sector palette of :mod:`graphsvc.viz.palette`, or one colour per
        community (largest first).
    communities : mapping node -> label, or iterable of node sets, optional
        For ``color_by="community"``; default: the ``community`` column of ``metrics`` if
        every node has one, else seeded Louvain (``networkx.community.louvain_communities``).
    size_by : str or mapping, optional
        A column of ``metrics`` (e.g. ``"betweenness"``) or ``org_id -> value``; node area grows
        with the value. Default: all nodes one size.
    metrics : pandas.DataFrame or mapping, optional
        Per-organisation metrics (index or ``org_id`` column); the known columns
        (degree, strength, betweenness, pagerank, …) appear in tooltips.
    highlight : org_id, optional
        An organisation drawn with a thick black border and a larger label.
    proposed_ties : iterable
        Recommended ties, as ``(source, target)`` pairs or ``{"source", "target", "reasons"}``
        dicts; drawn dashed in :data:`graphsvc.viz.palette.PROPOSED_TIE_COLOUR`.
    sectors : sequence of Sector, optional
        Sector names for the legend and tooltips; default
        :func:`graphsvc.model.reference.default_sectors`.
    lang : {"th", "en"}
        Language of labels, legend and page text.
    embed : bool
        For an ``<iframe>``: the map fills its frame under a compact title and search box, with
        its legend (folded below 600 px wide) and no options bar.
    title : str, optional
        Page heading; default :func:`default_title`: the province (and sector) when every
        organisation shares one, else the whole network.
    seed : int
        Seed of the layout (and of Louvain when communities are computed here).
    height : str
        CSS height of the page, e.g. ``"100vh"`` or ``"600px"``.

    Returns
    -------
    MapPage

    Raises
    ------
    InvalidInput
        A bad option value.
    UnknownOrganisation
        ``highlight`` or a proposed tie names an organisation not in ``G``.
    """
    check_lang(lang)
    if not isinstance(G, nx.Graph):
        raise InvalidInput("G must be a networkx graph")
    if color_by not in ("sector", "community"):
        raise InvalidInput(f"color_by must be 'sector' or 'community', not {color_by!r}")
    if not isinstance(height, str) or not _HEIGHT.match(height):
        raise InvalidInput(f"height must be a CSS length such as '100vh' or '600px': {height!r}")
    if highlight is not None and highlight not in G:
        raise UnknownOrganisation(str(highlight))
    rows = metric_rows(metrics)
    ties = _proposed(G, proposed_ties)
    sector_list = tuple(sectors) if sectors is not None else default_sectors()
    sector_by_code = {s.code: s for s in sector_list}
    present = {d.get("sector") for _, d in G.nodes(data=True)}
    colours = palette.sector_colours(
        [s.code for s in sector_list]
        + sorted(c for c in present if c and c not in sector_by_code))
    community = community_index(G, communities, rows, seed,
                                compute=color_by == "community")
    pos = seeded_layout(G, seed=seed)
    nodes, sizes_by = map_nodes(G, pos=pos, rows=rows, size_by=size_by, color_by=color_by,
                                community=community, sector_colours=colours,
                                sectors=sector_list, highlight=highlight, lang=lang)
    edges = _edges(G, ties, lang)
    has_candidates = any(d.get("status") == "candidate" for _, d in G.nodes(data=True))
    legend = legend_entries(G, color_by, community, sector_list, colours, lang,
                            has_candidates=has_candidates,
                            has_highlight=highlight is not None, has_proposed=bool(ties))
    heading = title if title is not None else default_title(G, sector_list, lang)
    subtitle = TEXT[lang]["counts"].format(nodes=G.number_of_nodes(), edges=G.number_of_edges())
    size_name = size_by if isinstance(size_by, str) else None
    if size_name:
        subtitle += " · " + TEXT[lang]["size_by"].format(metric=metric_name(size_name, lang))
    controls = {
        "color": color_by if community else None,
        "size": size_name if size_name in sizes_by else "",
        "sizes": size_choices(sizes_by, lang),
        "sectors": [i for i in legend["sectors"] if i["code"]] if len(legend["sectors"]) > 1
        else [],
        "proposed": bool(ties),
    }
    script_data = {"sizes": sizes_by, "abbreviations": [list(p) for p in ABBREVIATIONS],
                   "lang": lang, "embed": embed, "color": color_by}
    page = render_page(nodes=nodes, edges=edges, options=_options(len(nodes), seed),
                       lang=lang, title=heading, subtitle=subtitle, legend=legend, embed=embed,
                       height=height, font_stack=FONT_STACK, text=TEXT[lang],
                       controls=controls, script_data=script_data)
    return MapPage(html=strip_remote_resources(page), title=heading,
                   n_nodes=G.number_of_nodes(), n_edges=G.number_of_edges())


def default_title(G: nx.Graph, sectors: Sequence[Sector], lang: str) -> str:
    """The heading of a map with no title given: the province when every organisation is in
    one (and the sector when every one is in one), else the whole network."""
    text = TEXT[lang]
    provinces = {d.get("province") for _, d in G.nodes(data=True)}
    codes = {d.get("sector") for _, d in G.nodes(data=True)}
    code = next(iter(provinces)) if len(provinces) == 1 else None
    known = find_province(str(code)) if code else None
    if known is not None:
        heading = text["title_province"].format(
            province=known.name_th if lang == "th" else known.name_en)
    elif len(provinces) > 1:
        heading = text["title_all"]
    else:
        heading = text["title"]
    if len(codes) == 1 and G.number_of_nodes() > 1:
        sec = next((s for s in sectors if s.code == next(iter(codes))), None)
        if sec is not None:
            heading = text["title_sector"].format(
                title=heading, sector=sec.name_th if lang == "th" else sec.name_en)
    return heading


def _edges(G: nx.Graph, ties: list[tuple[Any, Any, str]], lang: str) -> list[dict[str, Any]]:
    max_w = max((w for _, _, w in G.edges(data="weight", default=1.0)
                 if isinstance(w, int | float)), default=1.0) or 1.0
    edges = []
    for u, v, d in G.edges(data=True):
        w = d.get("weight", 1.0)
        w = float(w) if isinstance(w, int | float) and w > 0 else 1.0
        edge = {"from": node_id(u), "to": node_id(v),
                "width": round(1.0 + 4.0 * (w / max_w) ** 0.5, 2)}
        kinds = [k for k in str(d.get("collab_types") or "").split("|") if k]
        if kinds:
            edge["title"] = ", ".join(collab_name(k, lang) for k in kinds)  # what they do together
        edges.append(edge)
    for u, v, note in ties:
        label = TEXT[lang]["proposed_tie"]
        edges.append({"from": node_id(u), "to": node_id(v), "dashes": [8, 6], "width": 3,
                      "color": {"color": palette.PROPOSED_TIE_COLOUR, "opacity": 1.0},
                      "title": f"{label}\n{note}" if note else label, "proposed": True})
    return edges


def _options(n: int, seed: int) -> dict[str, Any]:
    """vis-network options: fixed positions, no physics, straight edges (fast to draw)."""
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": seed},
        "nodes": {"shape": "dot", "borderWidth": 1.5, "borderWidthSelected": 4,
                  "font": {"face": FONT_STACK, "size": 14, "color": "#1F1F1F",
                           "strokeWidth": 3, "strokeColor": "#FFFFFF"}},
        "edges": {"smooth": False, "selectionWidth": 2,
                  "color": {"color": palette.EDGE_COLOUR, "highlight": "#333333",
                            "hover": "#333333", "opacity": 0.6}},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": n > 1000,
                        "hideEdgesOnZoom": n > 3000, "keyboard": False},
    }


def ego_map(G: nx.Graph, org_id: Any, radius: int = 1, **options: Any) -> MapPage:
    """A map of ``org_id`` and the organisations within ``radius`` ties (1–3) of it.

    The organisation is highlighted (unless ``highlight`` is given); proposed ties that touch
    it bring their other end onto the map, other proposed ties are drawn when both ends are on
    it. Other keyword options are those of :func:`network_map`; the default title is
    "เครือข่ายของ …" / "Network of …".

    Raises
    ------
    UnknownOrganisation
        ``org_id`` is not in ``G``.
    InvalidInput
        ``radius`` is not 1, 2 or 3, or another option is bad.
    """
    if not isinstance(G, nx.Graph):
        raise InvalidInput("G must be a networkx graph")
    if org_id not in G:
        raise UnknownOrganisation(str(org_id))
    if isinstance(radius, bool) or not isinstance(radius, int) or not 1 <= radius <= 3:
        raise InvalidInput(f"radius must be 1, 2 or 3, not {radius!r}", [{"radius": radius}])
    lang = check_lang(options.get("lang", "th"))
    ties = _proposed(G, options.pop("proposed_ties", ()))
    keep = set(nx.single_source_shortest_path_length(G, org_id, cutoff=radius))
    keep |= {w for u, v, _ in ties if org_id in (u, v) for w in (u, v)}
    H = G.subgraph(keep).copy()
    options["proposed_ties"] = [{"source": u, "target": v, "reasons": [note] if note else []}
                                for u, v, note in ties if u in keep and v in keep]
    options.setdefault("highlight", org_id)
    if options.get("title") is None:
        name = node_label(org_id, G.nodes[org_id], lang)
        options["title"] = TEXT[lang]["ego_title"].format(name=name)
    return network_map(H, **options)
