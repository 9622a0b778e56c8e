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
from graphsvc.viz import palette
from graphsvc.viz.layout import seeded_layout
from graphsvc.viz.legend import legend_entries
from graphsvc.viz.page import render_page
from graphsvc.viz.wording import (
    TEXT,
    TOOLTIP_METRICS,
    check_lang,
    metric_name,
    node_label,
    tooltip,
)

__all__ = [
    "FONT_STACK",
    "LABELLED",
    "LABEL_ALL_UP_TO",
    "MapPage",
    "ego_map",
    "network_map",
    "strip_remote_resources",
]

#: Thai-capable fonts for the page and the node labels: Sarabun / Noto Sans Thai where installed
#: (web and desktop), then the TLWG fonts of Debian's ``fonts-thai-tlwg-otf``.
FONT_STACK = '"Sarabun", "Noto Sans Thai", "Loma", "Garuda", "Tlwg Typist", sans-serif'

_HEIGHT = re.compile(r"^\d{1,5}(\.\d{1,3})?(px|vh|%|em|rem)$")
_MIN_SIZE, _MAX_SIZE, _PLAIN_SIZE = 7.0, 30.0, 12.0
#: Beyond this many organisations only the largest :data:`LABELLED` (and the highlighted one)
#: carry a label on the canvas; the rest show their name on hover and when found by the search
#: box. vis-network measures every label before the first draw: at 2,000 nodes that halves the
#: time to first draw, and at the overview zoom the labels are too small to read anyway.
LABEL_ALL_UP_TO = 1_000
LABELLED = 300


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


def _node_id(v: Any) -> int | str:
    """The id vis-network gets: strings and ints as they are, anything else as text."""
    return v if isinstance(v, str) or (isinstance(v, int) and not isinstance(v, bool)) else str(v)


def _rows(metrics: Any) -> dict[Any, dict[str, Any]]:
    """Per-node metric rows from a DataFrame (index or ``org_id`` column) or a mapping."""
    if metrics is None:
        return {}
    if hasattr(metrics, "columns") and hasattr(metrics, "to_dict"):
        frame = metrics.set_index("org_id") if "org_id" in metrics.columns else metrics
        return {k: dict(v) for k, v in frame.to_dict(orient="index").items()}
    if isinstance(metrics, Mapping):
        return {k: dict(v) for k, v in metrics.items()}
    raise InvalidInput("metrics must be a DataFrame or a mapping org_id -> {metric: value}")


def _sizes(G: nx.Graph, size_by: Any, rows: Mapping[Any, Mapping[str, Any]]
           ) -> tuple[dict[Any, float], str | None]:
    if size_by is None:
        return {v: _PLAIN_SIZE for v in G}, None
    if isinstance(size_by, str):
        if not any(size_by in r for r in rows.values()):
            raise InvalidInput(f"size_by {size_by!r} is not a column of metrics",
                               [{"size_by": size_by}])
        values = {v: rows.get(v, {}).get(size_by) for v in G}
        name = size_by
    elif isinstance(size_by, Mapping):
        values = {v: size_by.get(v) for v in G}
        name = None
    else:
        raise InvalidInput("size_by must be a metrics column name or a mapping org_id -> value")
    nums = {v: float(x) for v, x in values.items()
            if isinstance(x, int | float) and not isinstance(x, bool) and x == x}
    if not nums:
        return {v: _PLAIN_SIZE for v in G}, name
    lo, hi = min(nums.values()), max(nums.values())
    span = hi - lo
    out = {}
    for v in G:
        x = nums.get(v)
        frac = 0.0 if x is None or span == 0 else ((x - lo) / span) ** 0.5  # area ∝ value
        out[v] = round(_MIN_SIZE + (_MAX_SIZE - _MIN_SIZE) * frac, 1) if span else _PLAIN_SIZE
    return out, name


def _community_index(G: nx.Graph, communities: Any, rows: Mapping[Any, Mapping[str, Any]],
                     seed: int) -> dict[Any, int]:
    """Node -> community index, 0 for the largest community (ties by smallest member id).

    Communities of the metrics table (numbered from 1) keep their numbers: index = number - 1,
    so the legend, the tooltip and every table name a community alike."""
    if communities is None:
        if rows and all(isinstance(rows.get(v, {}).get("community"), int) for v in G):
            return {v: int(rows[v]["community"]) - 1 for v in G}
        else:
            communities = nx.community.louvain_communities(G, weight="weight", seed=seed)
    groups: dict[Any, list[Any]] = {}
    if isinstance(communities, Mapping):
        for v in G:
            groups.setdefault(communities.get(v, None), []).append(v)
    else:
        for i, members in enumerate(communities):
            for v in members:
                if v in G:
                    groups.setdefault(i, []).append(v)
        seen = {v for members in groups.values() for v in members}
        groups.update({None: [v for v in G if v not in seen]} if len(seen) < len(G) else {})
    ordered = sorted(groups.values(), key=lambda m: (-len(m), min(map(str, m))))
    return {v: i for i, members in enumerate(ordered) for v in members}


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
        Only the map, filling its frame (for ``<iframe>`` embedding): no header, search or legend.
    title : str, optional
        Page heading; default "แผนที่เครือข่ายภาคี" / "Partner network map".
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
    rows = _rows(metrics)
    sizes, size_name = _sizes(G, size_by, rows)
    ties = _proposed(G, proposed_ties)
    sector_list = tuple(sectors) if sectors is not None else default_sectors()
    sector_by_code = {s.code: s for s in sector_list}
    present = {d.get("sector") for _, d in G.nodes(data=True)}
    colours = palette.sector_colours(
        [s.code for s in sector_list]
        + sorted(c for c in present if c and c not in sector_by_code))
    community = _community_index(G, communities, rows, seed) if color_by == "community" else {}
    pos = seeded_layout(G, seed=seed)

    nodes = []
    for v, d in G.nodes(data=True):
        if color_by == "community":
            idx = community.get(v)
            fill = palette.community_colour(idx) if idx is not None \
                else palette.UNKNOWN_SECTOR_COLOUR
        else:
            fill = colours.get(d.get("sector"), palette.UNKNOWN_SECTOR_COLOUR)
        shown = {c: rows[v][c] for c in TOOLTIP_METRICS if c in rows.get(v, {})}
        x, y = pos[v]
        node: dict[str, Any] = {
            "id": _node_id(v),
            "label": node_label(v, d, lang),
            "title": tooltip(v, d, shown, sector_by_code, lang),
            "x": int(x), "y": int(y), "size": sizes[v],
            "color": {"background": fill, "border": fill},
        }
        for key, attr in (("th", "name_th"), ("en", "name_en")):  # for the search box
            if d.get(attr) and d[attr] != node["label"]:
                node[key] = d[attr]
        if d.get("status") == "candidate":
            node["color"] = {"background": "#FFFFFF", "border": fill}
            node["borderWidth"] = 3
            node["shapeProperties"] = {"borderDashes": [4, 3]}
        if v == highlight:
            node["color"] = {"background": node["color"]["background"],
                             "border": palette.HIGHLIGHT_COLOUR}
            node["borderWidth"] = 6
            node["size"] = max(sizes[v] * 1.4, 22.0)
            node["font"] = {"size": 22}
        nodes.append(node)

    if len(nodes) > LABEL_ALL_UP_TO:
        degree = {_node_id(v): k for v, k in G.degree()}
        ranked = sorted(nodes, key=lambda n: (-n["size"], -degree[n["id"]], str(n["id"])))
        keep = _node_id(highlight) if highlight is not None else None
        for node in ranked[LABELLED:]:
            if node["id"] != keep:
                node["nm"] = node.pop("label")
    max_w = max((w for _, _, w in G.edges(data="weight", default=1.0)
                 if isinstance(w, int | float)), default=1.0) or 1.0
    edges = []
    for u, v, d in G.edges(data=True):
        w = d.get("weight", 1.0)
        w = float(w) if isinstance(w, int | float) and w > 0 else 1.0
        edge = {"from": _node_id(u), "to": _node_id(v),
                "width": round(1.0 + 4.0 * (w / max_w) ** 0.5, 2)}
        if d.get("collab_types"):
            edge["title"] = f"{TEXT[lang]['tie'].format(weight=f'{w:.3g}')}\n{d['collab_types']}"
        edges.append(edge)
    for u, v, note in ties:
        label = TEXT[lang]["proposed_tie"]
        edges.append({"from": _node_id(u), "to": _node_id(v), "dashes": [8, 6], "width": 3,
                      "color": {"color": palette.PROPOSED_TIE_COLOUR, "opacity": 1.0},
                      "title": f"{label}\n{note}" if note else label, "proposed": True})

    has_candidates = any(d.get("status") == "candidate" for _, d in G.nodes(data=True))
    legend = legend_entries(G, color_by, community, sector_list, colours, lang,
                     has_candidates=has_candidates,
                     has_highlight=highlight is not None, has_proposed=bool(ties))
    heading = title if title is not None else TEXT[lang]["title"]
    subtitle = TEXT[lang]["counts"].format(nodes=G.number_of_nodes(), edges=G.number_of_edges())
    if size_name:
        subtitle += " · " + TEXT[lang]["size_by"].format(metric=metric_name(size_name, lang))
    page = render_page(nodes=nodes, edges=edges, options=_options(len(nodes), seed),
                       lang=lang, title=heading, subtitle=subtitle, legend=legend, embed=embed,
                       height=height, font_stack=FONT_STACK, text=TEXT[lang])
    return MapPage(html=strip_remote_resources(page), title=heading,
                   n_nodes=G.number_of_nodes(), n_edges=G.number_of_edges())


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
