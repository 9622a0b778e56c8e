"""Tie recommendations: which organisations already in the network should work together next.

:class:`TieRecommender` builds the sparse adjacency (and, for the default ``"auto"`` scorer,
fits its model and chooses the head method by an inner backtest,
:mod:`graphsvc.analysis.seek.select`) once; each call then scores the candidate pairs of one
organisation, one province or the whole network with sparse products, through the one feature
path :func:`~graphsvc.analysis.seek.indices.candidate_features` that fitting and the backtest
use too.

Two rankings: ``rank="likely"`` orders by likelihood (what the backtest measures; the default
network-wide), ``rank="build"`` by likelihood × what the tie adds, diversified
(:mod:`graphsvc.analysis.seek.build`; the default for an organisation or a province).

Cross-sector preference: with ``cross_boost`` > 1 a pair's score is multiplied by
``cross_boost`` when the two organisations are in different (known) sectors or different
communities — a documented nudge towards ties that open the network up, not a new model.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from graphsvc.analysis.seek.build import (
    EXACT_POOL,
    PlaceContext,
    TieValue,
    adds_text,
    choose_diverse,
    tie_value,
)
from graphsvc.analysis.seek.candidates import DEFAULT_WALK_BUDGET, Adjacency, three_step_work
from graphsvc.analysis.seek.indices import (
    INDEX_METHODS,
    PairFeatures,
    candidate_blocks,
    candidate_features,
    index_scores,
)
from graphsvc.analysis.seek.reasons import (
    SectorNames,
    join_names,
    org_name,
    percent,
    place_name,
    say,
)
from graphsvc.analysis.seek.saved import load_model, model_bytes
from graphsvc.analysis.seek.scorer import (
    LearnedModel,
    community_labels,
    fit_learned,
    learned_scores,
)
from graphsvc.analysis.seek.select import DefaultModel, default_scores, fit_default
from graphsvc.errors import InvalidInput, UnknownOrganisation
from graphsvc.model.records import Sector
from graphsvc.model.text import thai_sort_key

__all__ = ["RANKS", "TIE_METHODS", "TieRecommendation", "TieRecommender", "recommend_ties"]

TIE_METHODS = ("auto", "learned", *INDEX_METHODS)
RANKS = ("likely", "build")


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
    method: str = ""  #: the method that placed this pair (e.g. "learned", "common_neighbours")
    likelihood: float | None = None  #: calibrated: share of such pairs that became ties
    rank: str = "likely"  #: "likely" or "build"
    adds: list[str] = field(default_factory=list)  #: what the tie adds (kinds, see build)
    value: float | None = None  #: the build value (rank "build")
    summary: dict[str, str] = field(default_factory=dict)  #: likelihood and adds, th and en
    selection: dict[str, Any] = field(default_factory=dict)  #: inner-backtest figures

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "target": self.target, "score": self.score,
                "reasons": list(self.reasons), "source_name": self.source_name,
                "target_name": self.target_name, "source_sector": self.source_sector,
                "target_sector": self.target_sector, "distance": self.distance,
                "shared": list(self.shared), "method": self.method,
                "likelihood": self.likelihood, "rank": self.rank, "adds": list(self.adds),
                "value": self.value, "summary": dict(self.summary),
                "selection": dict(self.selection)}


class TieRecommender:
    """Recommend new ties in ``G`` (the graph of :func:`graphsvc.model.network.build_graph`).

    Parameters
    ----------
    G : networkx.Graph
        Read, never changed. Node attributes ``name``, ``sector``, ``province`` are used for
        reasons; edge ``weight`` to pick the shared partners named first.
    method : str
        ``"auto"`` (default: per network, the learned model or the classic index that wins the
        inner backtest at the top, :mod:`~graphsvc.analysis.seek.select`), ``"learned"`` or a
        classic index of :data:`~graphsvc.analysis.seek.indices.INDEX_METHODS`.
    model : bytes, optional
        A model saved by :meth:`model_bytes` for this graph and method (no refit).
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

    def __init__(self, G: nx.Graph, *, method: str = "auto", seed: int = 0,
                 communities: bool = True, sectors: Sequence[Sector] | None = None,
                 walk_budget: float = DEFAULT_WALK_BUDGET, model: bytes | None = None) -> None:
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
        self.model: LearnedModel | DefaultModel | None = None
        if model is not None and method in ("auto", "learned"):
            loaded = load_model(model)
            if isinstance(loaded, DefaultModel) != (method == "auto"):
                raise InvalidInput(f"the saved model is not one of method {method!r}",
                                   [{"method": method}])
            self.model = loaded
        elif method == "learned":
            self.model = fit_learned(self.adj, sectors=self.sector_codes, seed=seed,
                                     communities=communities, walk_budget=walk_budget)
        elif method == "auto":
            self.model = fit_default(self.adj, sectors=self.sector_codes, seed=seed,
                                     communities=communities, walk_budget=walk_budget,
                                     labels=self.communities)
        self._sector_ties: Counter | None = None
        self._places: dict[Any, PlaceContext] = {}

    @property
    def three(self) -> bool | None:
        """Whether the fitted model counts paths of length three (``None`` for an index)."""
        return None if self.model is None else self.model.three

    @property
    def selection(self) -> dict[str, Any]:
        """The inner-backtest figures behind the ``"auto"`` choice (empty for other methods)."""
        return dict(self.model.selection) if isinstance(self.model, DefaultModel) else {}

    def model_bytes(self) -> bytes | None:
        """The fitted model as bytes (``TieRecommender(G, method=…, model=…)`` reloads it)."""
        return None if self.model is None else model_bytes(self.model)

    # -- scoring ---------------------------------------------------------------------------
    def score_features(self, f: PairFeatures, *, cross_boost: float = 1.0) -> np.ndarray:
        """Scores of the (untied) pairs of ``f``, with the optional cross-sector boost."""
        return self.scored(f, cross_boost=cross_boost)[0]

    def scored(self, f: PairFeatures, *, cross_boost: float = 1.0
               ) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """``(score, likelihood, method)`` of the pairs of ``f``; ``method`` names, per pair,
        the method that placed it (likelihood ``nan`` where no backtest calibrated it)."""
        names = [self.method] * len(f)
        like = np.full(len(f), np.nan)
        if isinstance(self.model, DefaultModel):
            s, like, head = default_scores(self.model, self.adj, f, communities=self.communities,
                                           sectors=self.sector_codes, seed=self.seed)
            names = [str(self.model.head_method) if h else "learned" for h in head.tolist()]
        elif self.model is not None:
            s = learned_scores(self.model, self.adj, f, communities=self.communities,
                               sectors=self.sector_codes, seed=self.seed)
            like = s.copy()
        else:
            s = index_scores(self.method, f)
        if cross_boost != 1.0:
            su, sv = self.sector_codes[f.u], self.sector_codes[f.v]
            cu, cv = self.communities[f.u], self.communities[f.v]
            cross = ((su >= 0) & (sv >= 0) & (su != sv)) | ((cu >= 0) & (cu != cv))
            s = np.where(cross, s * cross_boost, s)
        return s, like, names

    def candidates(self, rows: np.ndarray | None = None, max_distance: int | None = None
                   ) -> PairFeatures:
        """The candidate pairs of ``rows`` (all when ``None``) with the features the model was
        fitted on: paths of length three are counted whenever the model counts them, whatever
        ``max_distance`` (default: 3 where the model counts them, else 2)."""
        three = self.three
        if three is None:  # a classic index: count three-step paths where affordable
            three = max_distance != 2 and three_step_work(self.adj, rows) <= self.walk_budget
        if max_distance is None:
            max_distance = 3 if three else 2
        return candidate_features(self.adj, rows, three=three, max_distance=max_distance)

    def recommend(self, org: Hashable | None = None, *, top: int = 10,
                  province: str | None = None, cross_boost: float = 1.0, lang: str = "en",
                  reasons: bool = True, max_distance: int | None = None,
                  rank: str | None = None) -> list[TieRecommendation]:
        """The ``top`` best new ties for ``org`` (or within ``province``, or network-wide).

        ``province`` keeps pairs whose two organisations are both in that province.
        ``max_distance`` (2 or 3) bounds the candidates; by default 3 for one organisation or a
        province, and network-wide 3 where the model counts three-step paths (else 2).
        ``rank``: ``"likely"`` (default network-wide) or ``"build"`` (default for an
        organisation or a province; module docstring).
        """
        if top < 1:
            raise InvalidInput(f"top must be at least 1, not {top}", [{"top": top}])
        if lang not in ("th", "en"):
            raise InvalidInput(f"unknown language {lang!r}; use th or en", [{"lang": lang}])
        if rank is not None and rank not in RANKS:
            raise InvalidInput(f"unknown rank {rank!r}; use likely or build", [{"rank": rank}])
        rows = None
        if org is not None:
            if org not in self.adj.index:
                raise UnknownOrganisation(str(org))
            rows = np.array([self.adj.index[org]], dtype=np.int64)
        elif province is not None:
            inside = np.flatnonzero(np.array([p == province for p in self._province]))
            rows = inside
        if rank is None:
            rank = "likely" if rows is None else "build"
        if max_distance is None and rows is not None:
            max_distance = 3
        if rows is None:  # network-wide: the best pairs of each block of rows
            f, scores, like, methods = self._network_best(
                max_distance, cross_boost, top if rank == "likely" else self._pool_size(top))
        else:
            f = self.candidates(rows, max_distance)
            if province is not None:
                prov = np.array([p == province for p in self._province])
                f = f.take(prov[f.u] & prov[f.v])
            scores, like, methods = self.scored(f, cross_boost=cross_boost)
        if len(f) == 0:
            return []
        if rank == "build":
            return self._build(f, scores, like, methods, top, province, org, lang, reasons)
        k = min(top, len(f))
        # best first; equal scores in Thai order of the names, so the list is stable
        part = np.argpartition(-scores, k - 1)[:k] if k < len(f) else np.arange(len(f))
        order = self._ordered(f, scores, part.tolist())
        return [self._result(f, i, float(scores[i]), lang, reasons, like[i], methods[i])
                for i in order]

    def _network_best(self, max_distance: int | None, cross_boost: float, keep: int
                      ) -> tuple[PairFeatures, np.ndarray, np.ndarray, list[str]]:
        """The ``keep`` best-scored candidate pairs of the whole network (and any scoring the
        same as the last of them), scored block by block of rows so memory stays bounded."""
        three = self.three
        if three is None:
            three = max_distance != 2 and three_step_work(self.adj) <= self.walk_budget
        if max_distance is None:
            max_distance = 3 if three else 2
        parts, scores, likes, methods = [], [], [], []
        for f in candidate_blocks(self.adj, three=three, max_distance=max_distance):
            s, like, names = self.scored(f, cross_boost=cross_boost)
            if len(f) > keep:
                kth = np.partition(s, len(s) - keep)[len(s) - keep]
                sel = np.flatnonzero(s >= kth)
                f, s, like, names = f.take(sel), s[sel], like[sel], [names[i] for i in sel]
            parts.append(f)
            scores.append(s)
            likes.append(like)
            methods += names
        if not parts:
            none, z = np.zeros(0, dtype=np.int64), np.zeros(0)
            return PairFeatures(none, none, z, z, z, z, z, z, z), z, z, []
        return (PairFeatures.concat(parts), np.concatenate(scores), np.concatenate(likes),
                methods)

    @staticmethod
    def _pool_size(top: int) -> int:
        """How many of the most likely pairs the build ranking reads."""
        return max(20 * top, 200)

    def _ordered(self, f: PairFeatures, scores: np.ndarray, idx: list[int]) -> list[int]:
        names = self.adj.nodes
        return sorted(idx, key=lambda i: (-scores[i], thai_sort_key(
            str(self.G.nodes[names[f.u[i]]].get("name", names[f.u[i]]))), str(names[f.v[i]])))

    def place(self, province: str | None) -> PlaceContext:
        """The structure values are read from: the province's network, or the whole network."""
        if province not in self._places:
            H = self.G if province is None else self.G.subgraph(
                [u for u, p in zip(self.adj.nodes, self._province, strict=True) if p == province])
            comm = {u: int(c) for u, c in zip(self.adj.nodes, self.communities.tolist(),
                                               strict=True)}
            self._places[province] = PlaceContext(H, comm, seed=self.seed)
        return self._places[province]

    def _build(self, f: PairFeatures, scores: np.ndarray, like: np.ndarray, methods: list[str],
               top: int, province: str | None, org: Hashable | None, lang: str, reasons: bool
               ) -> list[TieRecommendation]:
        """Likelihood × value over the most likely pairs, chosen greedily and diversely."""
        pool_size = min(len(f), self._pool_size(top))
        pool = np.argpartition(-scores, pool_size - 1)[:pool_size] if pool_size < len(f) \
            else np.arange(len(f))
        pool = np.array(self._ordered(f, scores, pool.tolist()), dtype=np.int64)
        if org is not None and province is None:
            province = self.G.nodes[org].get("province")
        ctx = self.place(province)
        nodes = self.adj.nodes
        pairs = [(nodes[f.u[i]], nodes[f.v[i]]) for i in pool.tolist()]
        p = like[pool]
        if np.isnan(p).any():  # an uncalibrated index: its score relative to the best
            top_score = float(np.nanmax(scores[pool])) or 1.0
            p = np.where(np.isnan(p), scores[pool] / top_score, p)
        values = [tie_value(ctx, a, b, exact=j < EXACT_POOL) for j, (a, b) in enumerate(pairs)]
        # one organisation's list: every pair has it, so only the other side is capped (once)
        chosen = choose_diverse(pairs, p, values, top, max_per_org=top if org is not None else 2)
        out = []
        for j, build_score in chosen:
            i = int(pool[j])
            out.append(self._result(f, i, build_score, lang, reasons, like[i], methods[i],
                                    rank="build", value=values[j], ctx=ctx))
        return out

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
            # node attributes read once (a lookup per edge end costs seconds at 100,000 ties)
            sector = dict(zip(self.adj.nodes, self._sector, strict=True))
            province = dict(zip(self.adj.nodes, self._province, strict=True))
            keys: Counter = Counter()
            for a, b, collabs in self.G.edges(data="n_collabs", default=1):
                sa, sb = sector[a], sector[b]
                if collabs and sa and sb:
                    pa = province[a]
                    keys[(pa if pa and pa == province[b] else None, sa, sb)] += 1
            c: Counter = Counter()
            for (place, sa, sb), count in keys.items():
                key = frozenset((sa, sb))
                c[(None, key)] += count
                if place is not None:
                    c[(place, key)] += count
            self._sector_ties = c
        return self._sector_ties

    def _result(self, f: PairFeatures, i: int, score: float, lang: str, want: bool,
                likelihood: float = float("nan"), method: str = "", *, rank: str = "likely",
                value: TieValue | None = None, ctx: PlaceContext | None = None
                ) -> TieRecommendation:
        ui, vi = int(f.u[i]), int(f.v[i])
        u, v = self.adj.nodes[ui], self.adj.nodes[vi]
        dist = int(f.dist[i]) if f.dist[i] == f.dist[i] else 4
        shared = sorted(set(self.G[u]) & set(self.G[v]),
                        key=lambda x: (-(self._weight(u, x) + self._weight(v, x)),
                                       thai_sort_key(str(self.G.nodes[x].get("name", x)))))
        like = None if likelihood != likelihood else float(likelihood)
        out: list[str] = []
        summary: dict[str, str] = {}
        if want:
            out = self.reasons_for(u, v, shared, dist, lang)
            extra = {lg: adds_text(value, ctx, functools.partial(org_name, self.G, lang=lg), lg)
                     for lg in ("th", "en")}
            out += extra[lang]
            for lg in ("th", "en"):
                parts = ([say("likelihood", lg, pct=percent(like), method=method)]
                         if like is not None else []) + extra[lg]
                summary[lg] = "; ".join(parts)
            if like is not None:
                out.append(say("likelihood", lang, pct=percent(like), method=method))
        return TieRecommendation(u, v, score, out, self._name(ui), self._name(vi),
                                 self._sector[ui], self._sector[vi], dist, shared[:5],
                                 method=method, likelihood=like, rank=rank,
                                 adds=list(value.adds) if value else [],
                                 value=value.value() if value else None, summary=summary,
                                 selection=self.selection)

    def reasons_for(self, u: Hashable, v: Hashable, shared: list[Hashable], dist: int,
                    lang: str) -> list[str]:
        """The reasons, in ``lang``, for a tie between ``u`` and ``v``."""
        G = self.G
        name = functools.partial(org_name, G, lang=lang)
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
                   method: str = "auto", province: str | None = None,
                   cross_boost: float = 1.0, lang: str = "en", seed: int = 0,
                   sectors: Sequence[Sector] | None = None, rank: str | None = None
                   ) -> list[TieRecommendation]:
    """One-shot :meth:`TieRecommender.recommend` (build a :class:`TieRecommender` to reuse)."""
    rec = TieRecommender(G, method=method, seed=seed, sectors=sectors)
    return rec.recommend(org, top=top, province=province, cross_boost=cross_boost, lang=lang,
                         rank=rank)
