"""The legend of a map as plain data (the page template escapes every string in it).

Sectors are listed in the order of the sector table, then codes the table lacks, then
"sector not recorded" when some organisation has none; communities largest first (at most 12);
then the marks in use: candidates, the highlighted organisation, recommended ties.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx

from graphsvc.model.records import Sector
from graphsvc.viz import palette
from graphsvc.viz.wording import TEXT

__all__ = ["legend_entries"]


def legend_entries(G: nx.Graph, color_by: str, community: Mapping[Any, int],
            sector_list: Sequence[Sector], colours: Mapping[str, str], lang: str, *,
            has_candidates: bool, has_highlight: bool, has_proposed: bool) -> dict[str, Any]:
    """Legend entries as plain data for the template (which escapes them)."""
    text = TEXT[lang]
    items = []
    if color_by == "sector":
        present = {d.get("sector") for _, d in G.nodes(data=True)}
        named = {s.code: s for s in sector_list}
        for code in [s.code for s in sector_list] + sorted(c for c in present
                                                           if c and c not in named):
            sec = named.get(code)
            first, second = ((sec.name_th, sec.name_en) if lang == "th" else
                             (sec.name_en, sec.name_th)) if sec else (code, "")
            items.append({"colour": colours.get(code, palette.UNKNOWN_SECTOR_COLOUR),
                          "name": first, "other": second, "code": code})
        if None in present or "" in present:
            items.append({"colour": palette.UNKNOWN_SECTOR_COLOUR, "name": text["unknown_sector"],
                          "other": "", "code": ""})
        heading = text["sectors"]
    else:
        sizes: dict[int, int] = {}
        for idx in community.values():
            sizes[idx] = sizes.get(idx, 0) + 1
        for idx in sorted(sizes)[:12]:
            items.append({"colour": palette.community_colour(idx), "code": "", "other": "",
                          "name": text["community"].format(n=idx + 1, size=sizes[idx])})
        heading = text["communities"]
    marks = []
    if has_candidates:
        marks.append({"kind": "candidate", "name": text["candidate"]})
    if has_highlight:
        marks.append({"kind": "highlight", "name": text["highlight"]})
    if has_proposed:
        marks.append({"kind": "proposed", "name": text["proposed"],
                      "colour": palette.PROPOSED_TIE_COLOUR})
    return {"heading": heading, "items": items, "marks": marks}
