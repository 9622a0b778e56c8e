"""The legend of a map as plain data (the page template escapes every string in it).

It lists only what is on the map: the sectors of the organisations drawn, in the order of the
sector table, then codes the table lacks, then "sector not recorded" when some organisation has
none; every community, numbered from 1, largest first; then the marks in use (the band of
organisations with no tie, candidates, the highlighted organisation, recommended ties). Both
colour keys are given, so the page can switch between them; ``color_by`` says which one shows
first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx

from graphsvc.model.records import Sector
from graphsvc.model.text import english_counts
from graphsvc.viz import palette
from graphsvc.viz.wording import TEXT

__all__ = ["legend_entries"]


def legend_entries(G: nx.Graph, color_by: str, community: Mapping[Any, int],
                   sector_list: Sequence[Sector], colours: Mapping[str, str], lang: str, *,
                   has_candidates: bool, has_highlight: bool, has_proposed: bool
                   ) -> dict[str, Any]:
    """Legend entries as plain data for the template (which escapes them)."""
    text = TEXT[lang]
    counts: dict[Any, int] = {}
    for _, d in G.nodes(data=True):
        code = d.get("sector") or None
        counts[code] = counts.get(code, 0) + 1
    named = {s.code: s for s in sector_list}
    order = [s.code for s in sector_list] + sorted(c for c in counts if c and c not in named)
    sectors = []
    for code in order:
        if code not in counts:
            continue
        sec = named.get(code)
        first, second = ((sec.name_th, sec.name_en) if lang == "th" else
                         (sec.name_en, sec.name_th)) if sec else (code, "")
        sectors.append({"colour": colours.get(code, palette.UNKNOWN_SECTOR_COLOUR),
                        "name": first, "other": second, "code": code, "count": counts[code]})
    if None in counts:
        sectors.append({"colour": palette.UNKNOWN_SECTOR_COLOUR, "name": text["unknown_sector"],
                        "other": "", "code": "", "count": counts[None]})
    sizes: dict[int, int] = {}
    for idx in community.values():
        sizes[idx] = sizes.get(idx, 0) + 1
    communities = [{"colour": palette.community_colour(idx - 1), "code": str(idx), "other": "",
                    "name": english_counts(text["community"].format(n=idx, size=sizes[idx]))}
                   for idx in sorted(sizes)]
    marks = []
    if G.number_of_edges() and any(d == 0 for _, d in G.degree()):
        marks.append({"kind": "isolated", "name": text["isolated"]})
    if has_candidates:
        marks.append({"kind": "candidate", "name": text["candidate"]})
    if has_highlight:
        marks.append({"kind": "highlight", "name": text["highlight"]})
    if has_proposed:
        marks.append({"kind": "proposed", "name": text["proposed"],
                      "colour": palette.PROPOSED_TIE_COLOUR})
    return {"color_by": color_by, "sectors": sectors, "communities": communities,
            "sector_heading": text["sectors"], "community_heading": text["communities"],
            "marks": marks}
