"""Tie recommendations: which organisations already in the network should work together next.

:class:`TieRecommender` builds the sparse adjacency (and, for the default ``"learned"`` scorer,
fits its model, :mod:`graphsvc.analysis.seek.scorer`) once; each call then scores the candidate
pairs of one organisation, one province or the whole network with sparse products.

Cross-sector preference: with ``cross_boost`` > 1 a pair's score is multiplied by
``cross_boost`` when the two organisations are in different (known) sectors or different
communities — a documented nudge towards ties that open the network up, not a new model.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from graphsvc.analysis.seek.candidates import (
    DEFAULT_WALK_BUDGET,
    Adjacency,
    candidate_pairs,
    three_step_work,
    walk_counts,
)
from graphsvc.analysis.seek.indices import INDEX_METHODS, PairFeatures, index_scores, pair_features
from graphsvc.analysis.seek.reasons import SectorNames, join_names, place_name, say
from graphsvc.analysis.seek.scorer import (
    LearnedModel,
    community_labels,
    fit_learned,
    learned_scores,
)
from graphsvc.errors import InvalidInput, UnknownOrganisation
from graphsvc.model.records import Sector
from graphsvc.model.text import thai_sort_key

__all__ = ["TIE_METHODS", "TieRecommendation", "TieRecommender", "recommend_ties"]

TIE_METHODS = ("learned", *INDEX_METHODS)


@dataclass(frozen=True, slots=True)
class TieRecommendation:
    """One recommended new tie, with the reasons for it."""

    source: Hashable
    target: Hashable
    score: float
    reasons: list[str]
    source_name: str = ""
    target_name: str = ""
    source_sector: str | None = None
    target_sector: str | None = None
    distance: int = 2
    shared: list[Hashable] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "target": self.target, "score": self.score,
                "reasons": list(self.reasons), "source_name": self.source_name,
                "target_name": self.target_name, "source_sector": self.source_sector,
                "target_sector": self.target_sector, "distance": self.distance,
                "shared": list(self.shared)}


class TieRecommender:
    """Recommend new ties in ``G`` (the graph of :func:`graphsvc.model.network.build_graph`).

    Parameters
    ----------
    G : networkx.Graph
        Read, never changed. Node attributes ``name``, ``sector``, ``province`` are used for
        reasons; edge ``weight`` to pick the shared partners named first.
    method : str
        ``"learned"`` (default) or a classic index of
        :data:`~graphsvc.analysis.seek.indices.INDEX_METHODS`.
    seed : int
        Seeds the learned model's hidden ties and the Louvain communities.
    sectors : sequence of Sector, optional
        Sector names beyond the default six.

    Examples
    --------
    >>> G = nx.karate_club_graph()
    >>> rec = TieRecommender(G, method="resource_allocation")
    >>> [(r.source, r.target) for r in rec.recommend(top=2)]
    [(2, 33), (0, 33)]
    """

    def __init__(self, G: nx.Graph, *, method: str = "learned", seed: int = 0,
                 communities: bool = True, sectors: Sequence[Sector] | None = None,
                 walk_budget: float = DEFAULT_WALK_BUDGET) -> None:
        if method not in TIE_METHODS:
            raise InvalidInput(f"unknown method {method!r}; choose one of {', '.join(TIE_METHODS)}",
                               [{"method": method, "expected": list(TIE_METHODS)}])
        self.G = G
        self.method = method
        self.seed = seed
        self.walk_budget = walk_budget
        self.adj = Adjacency.from_graph(G)
        self.sector_names = SectorNames(sectors)
        nodes = self.adj.nodes
        self._sector = [G.nodes[u].get("sector") for u in nodes]
        self._province = [G.nodes[u].get("province") for u in nodes]
        codes = {s: i for i, s in enumerate(sorted({s for s in self._sector if s}))}
        self.sector_codes = np.array([codes.get(s, -1) if s else -1 for s in self._sector],
                                     dtype=np.int64)
        self.communities = (community_labels(self.adj, seed=seed) if communities
                            else np.full(self.adj.n, -1, dtype=np.int64))
        self.model: LearnedModel | None = None
        if method == "learned":
            self.model = fit_learned(self.adj, sectors=self.sector_codes, seed=seed,
                                     communities=communities, walk_budget=walk_budget)
        self._sector_ties: Counter | None = None
        self.sector_tie_counts()

    # -- scoring ---------------------------------------------------------------------------
    def score_features(self, f: PairFeatures, *, cross_boost: float = 1.0) -> np.ndarray:
        """Scores of the (untied) pairs of ``f``, with the optional cross-sector boost."""
        if self.model is not None:
            s = learned_scores(self.model, self.adj, f, communities=self.communities,
                               sectors=self.sector_codes, seed=self.seed)
        else:
            s = index_scores(self.method, f)
        if cross_boost != 1.0:
            su, sv = self.sector_codes[f.u], self.sector_codes[f.v]
            cu, cv = self.communities[f.u], self.communities[f.v]
            cross = ((su >= 0) & (sv >= 0) & (su != sv)) | ((cu >= 0) & (cu != cv))
            s = np.where(cross, s * cross_boost, s)
        return s

    def _candidates(self, rows: np.ndarray | None, max_distance: int = 3) -> PairFeatures:
        three = self.model.three if self.model is not None else None
        if three is None or three:
            three = max_distance >= 3 and three_step_work(self.adj, rows) <= self.walk_budget
        walks = walk_counts(self.adj, rows, three=three)
        ps = candidate_pairs(self.adj, walks, max_distance=3 if three else 2)
        return pair_features(self.adj, ps.u, ps.v, walks=walks, local=ps.local)

    def recommend(self, org: Hashable | None = None, *, top: int = 10,
                  province: str | None = None, cross_boost: float = 1.0, lang: str = "en",
                  reasons: bool = True, max_distance: int | None = None
                  ) -> list[TieRecommendation]:
        """The ``top`` best new ties for ``org`` (or within ``province``, or network-wide).

        ``province`` keeps pairs whose two organisations are both in that province.
        ``max_distance`` (2 or 3) bounds the candidates; by default 3 for one organisation or
        a province, and 2 network-wide (pairs three steps apart almost never reach the top of a
        network-wide list, and there are many of them).
        """
        if top < 1:
            raise InvalidInput(f"top must be at least 1, not {top}", [{"top": top}])
        if lang not in ("th", "en"):
            raise InvalidInput(f"unknown language {lang!r}; use th or en", [{"lang": lang}])
        rows = None
        if org is not None:
            if org not in self.adj.index:
                raise UnknownOrganisation(str(org))
            rows = np.array([self.adj.index[org]], dtype=np.int64)
        elif province is not None:
            inside = np.flatnonzero(np.array([p == province for p in self._province]))
            rows = inside
        if max_distance is None:
            max_distance = 2 if rows is None else 3
        f = self._candidates(rows, max_distance)
        if province is not None:
            prov = np.array([p == province for p in self._province])
            f = f.take(prov[f.u] & prov[f.v])
        if len(f) == 0:
            return []
        scores = self.score_features(f, cross_boost=cross_boost)
        k = min(top, len(f))
        # best first; equal scores in Thai order of the names, so the list is stable
        part = np.argpartition(-scores, k - 1)[:k] if k < len(f) else np.arange(len(f))
        names = self.adj.nodes
        order = sorted(part.tolist(), key=lambda i: (-scores[i], thai_sort_key(
            str(self.G.nodes[names[f.u[i]]].get("name", names[f.u[i]]))), str(names[f.v[i]])))
        return [self._result(f, i, float(scores[i]), lang, reasons) for i in order]

    # -- reasons ---------------------------------------------------------------------------
    def _name(self, i: int) -> str:
        u = self.adj.nodes[i]
        return str(self.G.nodes[u].get("name", u))

    def _weight(self, a: Hashable, b: Hashable) -> float:
        return float(self.G.edges[a, b].get("weight", 1.0))

    def sector_tie_counts(self) -> Counter:
        """Working ties (collaborations, as in :func:`~graphsvc.analysis.seek.gaps.sector_gaps`)
        per (province or ``None`` for network-wide, frozenset of two sectors)."""
        if self._sector_ties is None:
            c: Counter = Counter()
            for a, b, collabs in self.G.edges(data="n_collabs", default=1):
                if not collabs:
                    continue
                sa, sb = self.G.nodes[a].get("sector"), self.G.nodes[b].get("sector")
                if not sa or not sb:
                    continue
                key = frozenset((sa, sb))
                c[(None, key)] += 1
                pa, pb = self.G.nodes[a].get("province"), self.G.nodes[b].get("province")
                if pa and pa == pb:
                    c[(pa, key)] += 1
            self._sector_ties = c
        return self._sector_ties

    def _result(self, f: PairFeatures, i: int, score: float, lang: str, want: bool
                ) -> TieRecommendation:
        ui, vi = int(f.u[i]), int(f.v[i])
        u, v = self.adj.nodes[ui], self.adj.nodes[vi]
        dist = int(f.dist[i]) if f.dist[i] == f.dist[i] else 4
        shared = sorted(set(self.G[u]) & set(self.G[v]),
                        key=lambda x: (-(self._weight(u, x) + self._weight(v, x)),
                                       thai_sort_key(str(self.G.nodes[x].get("name", x)))))
        out: list[str] = []
        if want:
            out = self.reasons_for(u, v, shared, dist, lang)
        return TieRecommendation(u, v, score, out, self._name(ui), self._name(vi),
                                 self._sector[ui], self._sector[vi], dist, shared[:5])

    def reasons_for(self, u: Hashable, v: Hashable, shared: list[Hashable], dist: int,
                    lang: str) -> list[str]:
        """The reasons, in ``lang``, for a tie between ``u`` and ``v``."""
        G = self.G
        name = lambda x: str(G.nodes[x].get("name", x))  # noqa: E731
        out = []
        if shared:
            out.append(say("shared", lang, names=join_names([name(x) for x in shared[:3]], lang,
                                                            total=len(shared))))
        elif dist == 3:
            path = self._path3(u, v)
            if path:
                out.append(say("path3", lang, a=name(path[0]), b=name(path[1])))
        su, sv = G.nodes[u].get("sector"), G.nodes[v].get("sector")
        if su and sv and su != sv:
            pu, pv = G.nodes[u].get("province"), G.nodes[v].get("province")
            place = pu if pu and pu == pv else None
            count = self.sector_tie_counts()[(place, frozenset((su, sv)))]
            s1, s2 = (self.sector_names.name(s, lang) for s in (su, sv))
            if count == 0:
                out.append(say("first_sector_tie", lang, s1=s1, s2=s2,
                               place=place_name(place, lang)))
            elif count <= 2:
                out.append(say("thin_sector_tie", lang, s1=s1, s2=s2, count=count,
                               place=place_name(place, lang)))
            else:
                out.append(say("cross_sector", lang, s1=s1, s2=s2))
        cu, cv = (self.communities[self.adj.index[x]] for x in (u, v))
        if cu >= 0 and cv >= 0 and cu != cv:
            out.append(say("joins_communities", lang))
        if not out:
            out.append(say("well_connected", lang, du=G.degree(u), dv=G.degree(v)))
        return out

    def _path3(self, u: Hashable, v: Hashable) -> tuple[Hashable, Hashable] | None:
        G = self.G
        best = None
        for a in G[u]:
            for b in G[a]:
                if b != u and b in G[v] and b != v:
                    w = self._weight(u, a) + self._weight(a, b) + self._weight(b, v)
                    if best is None or w > best[0]:
                        best = (w, a, b)
        return None if best is None else (best[1], best[2])


def recommend_ties(G: nx.Graph, org: Hashable | None = None, *, top: int = 10,
                   method: str = "learned", province: str | None = None,
                   cross_boost: float = 1.0, lang: str = "en", seed: int = 0,
                   sectors: Sequence[Sector] | None = None) -> list[TieRecommendation]:
    """One-shot :meth:`TieRecommender.recommend` (build a :class:`TieRecommender` to reuse)."""
    rec = TieRecommender(G, method=method, seed=seed, sectors=sectors)
    return rec.recommend(org, top=top, province=province, cross_boost=cross_boost, lang=lang)
