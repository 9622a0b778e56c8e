"""Sector gaps per province, and who could close each one.

For one province (or every province in the graph):

- ``coverage``: members per sector (the default six sectors plus any the graph uses);
- ``missing``: sectors with no member; ``thin``: sectors with fewer than ``thin`` members or
  less than ``thin_share`` of the province's members (5 of 120 is thin, 2 of 10 is not);
- ``unlinked``: pairs of present sectors with no working tie between them inside the province.
  A working tie is a collaboration (edge attribute ``n_collabs`` > 0 in the graph of
  :func:`graphsvc.model.network.build_graph`): meeting at the same events is not working
  together, and at provincial meetings every sector meets every other, so co-attendance alone
  would hide every gap. Graphs without that attribute count every edge;
- for a missing or thin sector, the **candidates** of that sector in the province (most
  connected first); for an unlinked pair, the **brokers**: members already tied to organisations
  of both sectors (Gould & Fernandez's liaisons and coordinators, read undirected), ranked by
  their smaller number of ties to either side.

References
----------
.. [1] R. V. Gould and R. M. Fernandez, "Structures of mediation: A formal approach to brokerage
   in transaction networks", Sociological Methodology 19 (1989) 89–126.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from typing import Any

import networkx as nx

from graphsvc.analysis.seek.reasons import SectorNames, place_name, say
from graphsvc.errors import InvalidInput
from graphsvc.model.records import Sector
from graphsvc.model.reference import default_sectors
from graphsvc.model.text import thai_sort_key

__all__ = ["sector_gaps"]


def _name(G: nx.Graph, u: Hashable) -> str:
    return str(G.nodes[u].get("name", u))


def sector_gaps(G: nx.Graph, province: str | None = None, *, thin: int = 2,
                thin_share: float = 0.05, top: int = 3, lang: str = "en",
                sectors: Sequence[Sector] | None = None) -> list[dict[str, Any]]:
    """Sector gaps of ``province`` (or of each province in ``G``), as plain data.

    Returns one dict per province: ``province``, ``province_name``, ``coverage`` {sector: members},
    ``missing`` and ``thin`` (lists of ``{"sector", "sector_name", "members", "candidates"}``),
    ``unlinked`` (``{"sectors": [a, b], "names", "brokers": [{"org_id", "name", "ties"}],
    "reason"}``). ``G`` is not changed.
    """
    if thin < 1:
        raise InvalidInput(f"thin must be at least 1, not {thin}", [{"thin": thin}])
    if not 0 <= thin_share < 1:
        raise InvalidInput(f"thin_share must be in [0, 1), not {thin_share}",
                           [{"thin_share": thin_share}])
    names = SectorNames(sectors)
    codes = [s.code for s in default_sectors()] + [s.code for s in sectors or ()]
    used = {d.get("sector") for _, d in G.nodes(data=True) if d.get("sector")}
    codes = list(dict.fromkeys(codes + sorted(used - set(codes))))
    provinces = [province] if province else sorted(
        {d.get("province") for _, d in G.nodes(data=True) if d.get("province")})
    return [_province_gaps(G, p, codes, thin, thin_share, top, lang, names) for p in provinces]


def _province_gaps(G: nx.Graph, prov: str, codes: list[str], thin: int, thin_share: float,
                   top: int, lang: str, names: SectorNames) -> dict[str, Any]:
    inside = [u for u, d in G.nodes(data=True) if d.get("province") == prov]
    members = [u for u in inside if (G.nodes[u].get("status") or "member") == "member"]
    coverage = Counter(G.nodes[u].get("sector") for u in members if G.nodes[u].get("sector"))
    candidates: dict[str, list] = defaultdict(list)
    for u in inside:
        if (G.nodes[u].get("status") or "member") != "member" and G.nodes[u].get("sector"):
            candidates[G.nodes[u]["sector"]].append(u)

    def sector_row(code: str) -> dict[str, Any]:
        cands = sorted(candidates.get(code, []),
                       key=lambda u: (-G.degree(u), thai_sort_key(_name(G, u)), str(u)))[:top]
        return {"sector": code, "sector_name": names.name(code, lang),
                "members": coverage.get(code, 0),
                "candidates": [{"org_id": u, "name": _name(G, u)} for u in cands]}

    missing = [sector_row(c) for c in codes if coverage.get(c, 0) == 0]
    floor = max(thin, thin_share * len(members))
    thin_rows = [sector_row(c) for c in codes if 0 < coverage.get(c, 0) < floor]

    member_set = set(members)
    tied: Counter = Counter()
    # per member, ties to each sector inside the province
    reach: dict[Hashable, Counter] = {u: Counter() for u in members}
    for a, b, collabs in G.edges(members, data="n_collabs", default=1):
        if collabs and a in member_set and b in member_set:
            sa, sb = G.nodes[a].get("sector"), G.nodes[b].get("sector")
            if sa and sb:
                tied[frozenset((sa, sb))] += 1
                reach[a][sb] += 1
                reach[b][sa] += 1
    present = [c for c in codes if coverage.get(c, 0) > 0]
    unlinked = []
    for s1, s2 in itertools.combinations(present, 2):
        if tied[frozenset((s1, s2))]:
            continue
        brokers = [(min(reach[u][s1], reach[u][s2]), u) for u in members
                   if reach[u][s1] and reach[u][s2]]
        brokers.sort(key=lambda t: (-t[0], thai_sort_key(_name(G, t[1])), str(t[1])))
        n1, n2 = names.name(s1, lang), names.name(s2, lang)
        unlinked.append({
            "sectors": [s1, s2], "names": [n1, n2],
            "brokers": [{"org_id": u, "name": _name(G, u), "ties": reach[u][s1] + reach[u][s2]}
                        for _, u in brokers[:top]],
            "reason": say("first_sector_tie", lang, s1=n1, s2=n2, place=place_name(prov, lang)),
        })
    return {"province": prov, "province_name": place_name(prov, lang),
            "coverage": {c: coverage.get(c, 0) for c in codes}, "missing": missing,
            "thin": thin_rows, "unlinked": unlinked}
