"""Recruit recommendations: which organisations outside the network would add the most, and
which members to re-engage.

Recruits are recruits: the pool holds only organisations whose status is not ``member``
(today: ``candidate``). Members with no working tie — none at all, or no collaboration in the
recent window the caller gives (the service uses the last two fiscal years with records) — are
a separate list, :func:`reengage_members`, labelled as such.

A candidate has few or no ties yet, so its **likely ties** are predicted first (the model):

- every member it already shares events or work with (its edges in the graph) is a likely tie;
- otherwise, and to fill up to ``n_ties``, members ranked by an affinity that encodes homophily
  (organisations work with their own province and sector; McPherson et al. 2001) and
  preferential attachment (well-connected members are more often joined; Barabási & Albert
  1999)::

      affinity(c, m) = 3·w(c, m) + 2·[same province] + 1·[same sector] + k_m / k_max

  where ``w`` is the existing tie weight (co-attendance or collaboration) and ``k`` degree.

Those members are also **the ones best placed to introduce** the candidate. With them the
candidate's gain is measured on the graph as if the ties existed:

- ``adds_sector``: its sector is missing (no member) or thin (fewer than ``thin``) in its province;
- ``communities``: how many distinct (Louvain) communities its likely ties belong to;
- ``new_reach``: organisations newly within two steps of it;
- ``effective_size``: Burt's effective size of its would-be neighbourhood (structural holes).

``score = 1.0·[missing] + 0.5·[thin] + 0.5·min(communities − 1, 2) + new_reach / max new_reach
+ 0.5·effective_size / max effective_size + 0.5·[warm]`` (maxima over the candidates ranked),
where ``warm`` says the candidate already attended events or worked with a member (a warm
lead: its likely ties are observed, not only predicted).

References
----------
.. [1] M. McPherson, L. Smith-Lovin and J. M. Cook, "Birds of a feather: homophily in social
   networks", Annual Review of Sociology 27 (2001) 415–444.
.. [2] R. S. Burt, Structural Holes, Harvard University Press, 1992 (effective size).
.. [3] S. P. Borgatti, "Identifying sets of key players in a social network" (2006): KPP-Pos.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graphsvc.analysis.seek.candidates import Adjacency
from graphsvc.analysis.seek.keyplayer import greedy_cover
from graphsvc.analysis.seek.reasons import (
    SectorNames,
    join_names,
    org_name,
    place_name,
    say,
    state_text,
)
from graphsvc.analysis.seek.scorer import community_labels
from graphsvc.errors import InvalidInput
from graphsvc.model.records import Sector
from graphsvc.model.text import thai_sort_key

__all__ = [
    "RecruitRecommendation",
    "is_member",
    "recruit_key_players",
    "recruit_pool",
    "recommend_recruits",
    "reengage_members",
]


@dataclass(frozen=True, slots=True)
class RecruitRecommendation:
    """One organisation to recruit, what it would add, and who should make the introduction."""

    org_id: Hashable
    name: str
    sector: str | None
    province: str | None
    score: float
    likely_ties: list[Hashable]
    introducers: list[Hashable]
    adds_sector: str | None  # "missing", "thin" or None
    communities: int
    new_reach: int
    effective_size: float
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {f: (list(v) if isinstance(v, list) else v)
                for f in self.__slots__ for v in [getattr(self, f)]}


def is_member(G: nx.Graph, u: Hashable) -> bool:
    """A member of the network: status ``member`` (an organisation without a status is one)."""
    return (G.nodes[u].get("status") or "member") == "member"


def recruit_pool(G: nx.Graph, province: str | None = None) -> list[Hashable]:
    """Organisations that are not members (status other than ``member``), optionally of one
    province. Members are never recruits: see :func:`reengage_members`."""
    return [u for u, d in G.nodes(data=True)
            if not is_member(G, u) and (province is None or d.get("province") == province)]


@dataclass(frozen=True, slots=True)
class ReengageRecommendation:
    """A member with no working tie: ``kind`` is ``"isolated"`` (no tie at all) or ``"dormant"``
    (ties, but no collaboration in the recent window)."""

    org_id: Hashable
    name: str
    sector: str | None
    province: str | None
    kind: str
    past_partners: list[Hashable]
    reasons: list[str] = field(default_factory=list)
    list: str = "re-engage"

    def as_dict(self) -> dict[str, Any]:
        return {f: (list(v) if isinstance(v, list) else v)
                for f in self.__slots__ for v in [getattr(self, f)]}


def reengage_members(G: nx.Graph, recent: nx.Graph | None = None, *,
                     province: str | None = None, window: str = "", top: int | None = None,
                     lang: str = "en") -> list[ReengageRecommendation]:
    """Members of ``province`` (or all) with no working tie: isolated in ``G``, or — when
    ``recent`` (the graph of the recent window, named ``window`` in the reasons) is given —
    without a collaboration (``n_collabs`` > 0) in it. Isolated members first, then dormant
    members with the most past partners (the easiest to bring back)."""
    if top is not None and top < 1:
        raise InvalidInput("top must be at least 1", [{"top": top}])
    name = lambda u: str(G.nodes[u].get("name", u))  # noqa: E731
    rows: list[Any] = []
    for u, d in G.nodes(data=True):
        if not is_member(G, u) or (province is not None and d.get("province") != province):
            continue
        if G.degree(u) == 0:
            rows.append((0, 0, u, "isolated", []))
            continue
        if recent is None:
            continue
        working = u in recent and any(c for _, _, c in recent.edges(u, data="n_collabs",
                                                                      default=1))
        if not working:
            partners = sorted(G[u], key=lambda m: (-G.edges[u, m].get("weight", 1.0),
                                                   thai_sort_key(name(m)), str(m)))
            rows.append((1, -G.degree(u), u, "dormant", partners))
    rows.sort(key=lambda r: (r[0], r[1], thai_sort_key(name(r[2])), str(r[2])))
    out = []
    for _, _, u, kind, partners in rows[:top]:
        d = G.nodes[u]
        reasons = [say("isolated", lang) if kind == "isolated"
                   else say("dormant", lang, window=window or say("recently", lang))]
        if partners:
            reasons.append(say("past_partners", lang, names=join_names(
                [name(m) for m in partners[:3]], lang, total=len(partners))))
        out.append(ReengageRecommendation(u, name(u), d.get("sector"), d.get("province"), kind,
                                          list(partners[:5]), reasons))
    return out


class _Context:
    """What ranking many candidates shares: members by province and sector, communities."""

    def __init__(self, G: nx.Graph, seed: int) -> None:
        self.G = G
        members = [u for u in G if is_member(G, u) and G.degree(u) > 0]
        self.kmax = max((G.degree(u) for u in members), default=1) or 1
        by_prov: dict[Any, list] = defaultdict(list)
        by_prov_sector: dict[tuple, list] = defaultdict(list)
        by_sector: dict[Any, list] = defaultdict(list)
        for u in members:
            d = G.nodes[u]
            by_prov[d.get("province")].append(u)
            by_prov_sector[(d.get("province"), d.get("sector"))].append(u)
            by_sector[d.get("sector")].append(u)
        top = lambda xs: sorted(xs, key=lambda u: (-G.degree(u), str(u)))[:10]  # noqa: E731
        self.top_prov = {k: top(v) for k, v in by_prov.items()}
        self.top_prov_sector = {k: top(v) for k, v in by_prov_sector.items()}
        self.top_sector = {k: top(v) for k, v in by_sector.items()}
        self.coverage: Counter = Counter((G.nodes[u].get("province"), G.nodes[u].get("sector"))
                                         for u in G if is_member(G, u))
        adj = Adjacency.from_graph(G)
        labels = community_labels(adj, seed=seed)
        self.community = {u: int(labels[i]) if G.degree(u) > 0 else -1
                          for i, u in enumerate(adj.nodes)}

    def affinity(self, c: Hashable, m: Hashable) -> float:
        G = self.G
        dc, dm = G.nodes[c], G.nodes[m]
        w = G.edges[c, m].get("weight", 1.0) if G.has_edge(c, m) else 0.0
        same_p = bool(dc.get("province")) and dc.get("province") == dm.get("province")
        same_s = bool(dc.get("sector")) and dc.get("sector") == dm.get("sector")
        return 3.0 * w + 2.0 * same_p + 1.0 * same_s + G.degree(m) / self.kmax

    def likely_ties(self, c: Hashable, n_ties: int) -> list[Hashable]:
        G = self.G
        d = G.nodes[c]
        prov, sec = d.get("province"), d.get("sector")
        existing = [m for m in G[c] if is_member(G, m)]
        pool = set(existing)
        if len(existing) < n_ties:
            pool.update(self.top_prov_sector.get((prov, sec), []))
            pool.update(self.top_prov.get(prov, []) if prov else self.top_sector.get(sec, []))
        pool.discard(c)
        ranked = sorted(pool, key=lambda m: (-self.affinity(c, m), str(m)))
        return sorted(existing, key=lambda m: -self.affinity(c, m)) + \
            [m for m in ranked if m not in set(existing)][: max(0, n_ties - len(existing))]


def _effective_size(G: nx.Graph, ties: Sequence[Hashable]) -> float:
    n = len(ties)
    if n == 0:
        return 0.0
    inside = sum(1 for i, a in enumerate(ties) for b in ties[i + 1:] if G.has_edge(a, b))
    return n - 2.0 * inside / n


def recommend_recruits(G: nx.Graph, *, province: str | None = None, top: int = 10,
                       candidates: Iterable[Hashable] | None = None, n_ties: int = 3,
                       thin: int = 2, lang: str = "en", seed: int = 0,
                       sectors: Sequence[Sector] | None = None) -> list[RecruitRecommendation]:
    """Rank candidate organisations by what they would add (model in the module docstring).

    ``candidates`` defaults to :func:`recruit_pool` of ``province``. ``G`` is not changed.
    """
    if top < 1 or n_ties < 1:
        raise InvalidInput("top and n_ties must be at least 1", [{"top": top, "n_ties": n_ties}])
    pool = recruit_pool(G, province) if candidates is None else list(candidates)
    if not pool:
        return []
    ctx = _Context(G, seed)
    names = SectorNames(sectors)
    rows = []
    for c in pool:
        d = G.nodes[c]
        ties = ctx.likely_ties(c, n_ties)
        before = set(nx.single_source_shortest_path_length(G, c, cutoff=2))
        after = set(ties)
        for m in ties:
            after.update(G[m])
        new_reach = len(after - before - {c})
        comms = {ctx.community[m] for m in ties if ctx.community.get(m, -1) >= 0}
        count = ctx.coverage[(d.get("province"), d.get("sector"))]
        adds = None
        if d.get("sector"):
            adds = "missing" if count <= 0 else ("thin" if count < thin else None)
        rows.append((c, ties, adds, max(count, 0), len(comms), new_reach,
                     _effective_size(G, ties)))
    max_reach = max((r[5] for r in rows), default=0) or 1
    max_eff = max((r[6] for r in rows), default=0.0) or 1.0
    scored = []
    for c, ties, adds, count, ncomm, new_reach, eff in rows:
        score = (1.0 * (adds == "missing") + 0.5 * (adds == "thin")
                 + 0.5 * min(max(ncomm - 1, 0), 2) + new_reach / max_reach + 0.5 * eff / max_eff
                 + 0.5 * any(G.has_edge(c, m) for m in ties))
        scored.append((score, c, ties, adds, count, ncomm, new_reach, eff))
    name = lambda u: str(G.nodes[u].get("name", u))  # noqa: E731
    scored.sort(key=lambda r: (-r[0], thai_sort_key(name(r[1])), str(r[1])))
    out = []
    for score, c, ties, adds, count, ncomm, new_reach, eff in scored[:top]:
        d = G.nodes[c]
        reasons = []
        if adds:
            reasons.append(say("adds_sector", lang, sector=names.name(d.get("sector"), lang),
                               place=place_name(d.get("province"), lang),
                               state=state_text(count, lang)))
        elif d.get("sector"):
            reasons.append(say("sector_more", lang, sector=names.name(d.get("sector"), lang),
                               place=place_name(d.get("province"), lang), count=count))
        attended = [m for m in ties if G.has_edge(c, m)]
        said = functools.partial(org_name, G, lang=lang)
        if attended:
            reasons.append(say("co_attended", lang,
                               names=join_names([said(m) for m in attended[:3]], lang,
                                                total=len(attended))))
        if ncomm >= 2:
            reasons.append(say("bridges_communities", lang, count=ncomm))
        if new_reach:
            reasons.append(say("reach", lang, count=new_reach))
        if eff >= 2:
            reasons.append(say("spans_holes", lang, value=eff))
        if ties:
            reasons.append(say("introducers", lang, names=join_names([said(m) for m in ties[:3]],
                                                                     lang)))
        out.append(RecruitRecommendation(c, name(c), d.get("sector"), d.get("province"),
                                         float(score), list(ties), list(ties[:3]), adds, ncomm,
                                         new_reach, float(eff), reasons))
    return out


def recruit_key_players(G: nx.Graph, k: int, *, province: str | None = None,
                        candidates: Iterable[Hashable] | None = None, distance: int = 2,
                        n_ties: int = 3, seed: int = 0) -> list[tuple[Hashable, int]]:
    """Greedy KPP-Pos over recruits: ``k`` candidates that, with their likely ties, together
    bring the most organisations within ``distance`` (1 or 2) steps. ``[(org, gain), …]``."""
    if k < 1 or distance not in (1, 2):
        raise InvalidInput("k must be at least 1 and distance 1 or 2",
                           [{"k": k, "distance": distance}])
    pool = recruit_pool(G, province) if candidates is None else list(candidates)
    ctx = _Context(G, seed)
    balls = {}
    for c in pool:
        ties = ctx.likely_ties(c, n_ties)
        covered = {c, *ties, *G[c]}
        if distance == 2:
            for m in list(covered):
                covered.update(G[m])
        balls[c] = covered
    gains = greedy_cover(balls, k, {u: G.nodes[u].get("name", u) for u in pool})
    return [(u, int(g)) for u, g in gains]

