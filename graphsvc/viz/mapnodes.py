"""The nodes of a map as plain data for the page's script: position, size for every metric that
can size a node, colour by sector and by community, the name (never a canvas ``label``: the page
labels the most important organisations itself, at a readable size), the search keys and the
tooltip text.

Node fields the page reads: ``id``, ``x``, ``y``, ``size``, ``color``, ``title`` (tooltip, plain
text), ``nm`` (the name in the page's language), ``th`` / ``en`` (the other names, for search),
``k`` and ``w`` (match key, when it is not the name itself, and its word starts, when there
is more than the first; :mod:`graphsvc.model.namesearch`), ``sec``
(sector code), ``cs`` / ``cm`` (sector and community colour), ``com`` (community number from 1),
``cand`` (not yet a partner), ``r`` (importance rank, 0 first: who is labelled first), ``g``
(its connected group, largest first; absent for the largest, which a phone turns upright).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx

from graphsvc.errors import InvalidInput
from graphsvc.model.namesearch import word_starts
from graphsvc.model.records import Sector
from graphsvc.model.text import match_key
from graphsvc.viz import palette
from graphsvc.viz.wording import (
    SIZE_METRICS,
    TOOLTIP_METRICS,
    metric_name,
    node_label,
    tooltip,
)

__all__ = ["community_index", "map_nodes", "metric_rows", "node_id", "node_sizes", "size_choices"]

MIN_SIZE, MAX_SIZE, PLAIN_SIZE = 7.0, 30.0, 12.0
#: Metrics a tooltip shows as ranks, in the order of :data:`graphsvc.viz.wording.TOOLTIP_METRICS`
#: (the community is named on its own line, the partners counted).
RANKED = tuple(m for m in TOOLTIP_METRICS if m not in ("community", "degree"))


def node_id(v: Any) -> int | str:
    """The id vis-network gets: strings and ints as they are, anything else as text."""
    return v if isinstance(v, str) or (isinstance(v, int) and not isinstance(v, bool)) else str(v)


def metric_rows(metrics: Any) -> dict[Any, dict[str, Any]]:
    """Per-node metric rows from a DataFrame (index or ``org_id`` column) or a mapping."""
    if metrics is None:
        return {}
    if hasattr(metrics, "columns") and hasattr(metrics, "to_dict"):
        frame = metrics.set_index("org_id") if "org_id" in metrics.columns else metrics
        return {k: dict(v) for k, v in frame.to_dict(orient="index").items()}
    if isinstance(metrics, Mapping):
        return {k: dict(v) for k, v in metrics.items()}
    raise InvalidInput("metrics must be a DataFrame or a mapping org_id -> {metric: value}")


def _number(x: Any) -> float | None:
    if isinstance(x, int | float) and not isinstance(x, bool) and x == x:
        return float(x)
    return None


def node_sizes(G: nx.Graph, values: Mapping[Any, Any]) -> dict[Any, float]:
    """Node radius from ``values`` (area grows with the value); one size when none differ."""
    nums = {v: n for v in G if (n := _number(values.get(v))) is not None}
    if not nums:
        return dict.fromkeys(G, PLAIN_SIZE)
    lo, hi = min(nums.values()), max(nums.values())
    span = hi - lo
    if not span:
        return dict.fromkeys(G, PLAIN_SIZE)
    out = {}
    for v in G:
        x = nums.get(v)
        frac = 0.0 if x is None else ((x - lo) / span) ** 0.5
        out[v] = round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * frac, 1)
    return out


def community_index(G: nx.Graph, communities: Any, rows: Mapping[Any, Mapping[str, Any]],
                    seed: int, *, compute: bool) -> dict[Any, int]:
    """Node -> community number from 1, largest community first (ties by smallest member id).
    Communities come from ``communities``, else the ``community`` column of the metrics (whose
    numbers, from 1, are kept, so the map, tables and pages name a community alike), else
    seeded Louvain when ``compute`` is true; ``{}`` when there are none."""
    if communities is None:
        if rows and all(isinstance(rows.get(v, {}).get("community"), int)
                        and rows[v]["community"] >= 1 for v in G):
            return {v: int(rows[v]["community"]) for v in G}
        if rows and all("community" in rows.get(v, {}) for v in G):
            communities = {v: rows[v]["community"] for v in G}
        elif compute:
            communities = nx.community.louvain_communities(G, weight="weight", seed=seed)
        else:
            return {}
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
    return {v: i for i, members in enumerate(ordered, start=1) for v in members}


def _ranks(G: nx.Graph, rows: Mapping[Any, Mapping[str, Any]]) -> dict[str, dict[Any, int]]:
    """Rank (1 = most) of each node on each tooltip metric; lowest constraint ranks first."""
    out: dict[str, dict[Any, int]] = {}
    for column in RANKED:
        vals = {v: n for v in G if (n := _number(rows.get(v, {}).get(column))) is not None}
        if not vals:
            continue
        sign = 1.0 if column == "constraint" else -1.0
        ordered = sorted(vals.items(), key=lambda kv: (sign * kv[1], str(kv[0])))
        out[column] = {v: i for i, (v, _) in enumerate(ordered, start=1)}
    return out


def map_nodes(
    G: nx.Graph,
    *,
    pos: Mapping[Any, tuple[float, float]],
    rows: Mapping[Any, Mapping[str, Any]],
    size_by: str | Mapping[Any, Any] | None,
    color_by: str,
    community: Mapping[Any, int],
    sector_colours: Mapping[str, str],
    sectors: Sequence[Sector],
    highlight: Any,
    lang: str,
) -> tuple[list[dict[str, Any]], dict[str, list[float]]]:
    """The node dicts of the page, and the size of every node for each metric that can size a
    node (in node order) so the page can switch sizes without a round trip."""
    sizes_by: dict[str, list[float]] = {}
    for column in SIZE_METRICS:
        if any(_number(r.get(column)) is not None for r in rows.values()):
            sized = node_sizes(G, {v: rows.get(v, {}).get(column) for v in G})
            sizes_by[column] = [sized[v] for v in G]
    if size_by is None:
        sizes = dict.fromkeys(G, PLAIN_SIZE)
    elif isinstance(size_by, str):
        if not any(size_by in r for r in rows.values()):
            raise InvalidInput(f"size_by {size_by!r} is not a column of metrics",
                               [{"size_by": size_by}])
        sizes = node_sizes(G, {v: rows.get(v, {}).get(size_by) for v in G})
    elif isinstance(size_by, Mapping):
        sizes = node_sizes(G, size_by)
    else:
        raise InvalidInput("size_by must be a metrics column name or a mapping org_id -> value")
    ranks = _ranks(G, rows)
    n = G.number_of_nodes()
    sector_by_code = {s.code: s for s in sectors}
    degree = dict(G.degree())
    nodes = []
    for v, d in G.nodes(data=True):
        cs = sector_colours.get(d.get("sector"), palette.UNKNOWN_SECTOR_COLOUR)
        com = community.get(v)
        cm = palette.community_colour(com - 1) if com else palette.UNKNOWN_SECTOR_COLOUR
        fill = cm if color_by == "community" else cs
        shown = {c: ranks[c][v] for c in RANKED if c in ranks and v in ranks[c]}
        x, y = pos[v]
        name = node_label(v, d, lang)
        node: dict[str, Any] = {
            "id": node_id(v), "nm": name,
            "title": tooltip(v, d, None, sector_by_code, lang, ranks=shown, total=n,
                             community=com,
                             partners=degree[v]),
            "x": int(x), "y": int(y), "size": sizes[v],
            "color": {"background": fill, "border": fill},
            "sec": d.get("sector") or "", "cs": cs, "cm": cm,
        }
        key, starts = match_key(name), list(word_starts(name))
        if key != name:  # else the page takes the name itself as its key
            node["k"] = key
        if starts != [0]:
            node["w"] = starts
        if com:
            node["com"] = com
        for key, attr in (("th", "name_th"), ("en", "name_en")):  # for the search box
            if d.get(attr) and d[attr] != name:
                node[key] = d[attr]
        if d.get("status") == "candidate":
            node["cand"] = 1
            node["color"] = {"background": "#FFFFFF", "border": fill}
            node["borderWidth"] = 3
            node["shapeProperties"] = {"borderDashes": [4, 3]}
        if v == highlight:
            node["color"] = {"background": node["color"]["background"],
                             "border": palette.HIGHLIGHT_COLOUR}
            node["borderWidth"] = 6
            node["size"] = max(sizes[v] * 1.4, 22.0)
            node["hl"] = 1
        nodes.append(node)
    if G.number_of_nodes() > 1:  # connected groups, largest first, as the layout packs them
        parts = sorted((sorted(c, key=str) for c in nx.connected_components(G)),
                       key=lambda c: (-len(c), str(c[0])))
        group = {v: i for i, members in enumerate(parts) for v in members}
        for node, v in zip(nodes, G, strict=True):
            if group[v]:
                node["g"] = group[v]
    degrees = [degree[v] for v in G]
    order = sorted(range(len(nodes)), key=lambda i: (
        -("hl" in nodes[i]), -nodes[i]["size"], -degrees[i], str(nodes[i]["id"])))
    for rank, i in enumerate(order):
        nodes[i]["r"] = rank
    return nodes, sizes_by


def size_choices(sizes_by: Mapping[str, Sequence[float]], lang: str) -> list[dict[str, str]]:
    """The size options the page offers: ``[{"id", "name"}]``."""
    return [{"id": c, "name": metric_name(c, lang)} for c in sizes_by]
