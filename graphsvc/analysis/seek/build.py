"""Which ties should we build: what a new tie adds to the network, and a diverse short list.

The likelihood ranking answers "which ties will form?"; a planner asks "which ties should we
build?". A fragile network (one office carrying most shortest paths, a few cut-points) gains
little from yet another tie to its hub. So the **build** ranking scores a candidate pair by
``likelihood × value``, where the value counts what the tie adds, on the network of the place
(the province, or the whole network):

=========================  ==========================================================  ======
what it adds               when                                                        value
=========================  ==========================================================  ======
(any new tie)              always                                                        0.25
``sector_gap``             joins two sectors with no working tie (collaboration) yet     1.0
``thin_sectors``           joins two sectors with only one or two working ties           0.5
``communities``            joins two (Louvain) communities with no tie between them      0.75
``broker_bypass``          lowers the dominant broker's share of shortest paths (the     4 ×
                           organisation with the largest share, when it carries at       relief
                           least 10 %): exact up to 500 organisations, where ``relief``
                           is the relative fall of that share (for the 60 most likely
                           pairs of a list); beyond, when every path
                           of up to three steps between the two runs through it          0.75 +
                                                                                         1.5 ×
                                                                                         (share
                                                                                         − 0.1)
``cut_point``              a second path around a cut-point that now separates them      0.5 each,
                                                                                         up to 2
=========================  ==========================================================  ======

A tie that involves the dominant broker itself has its value multiplied by ``1 − share`` (at
least 0.25): it would make the hub more central still. The list is built greedily: after each
pick, a sector gap or community pair already joined and a broker or cut-point already bypassed
count half for the next pairs, and no organisation appears more than ``max_per_org`` times
(2 by default).

References
----------
.. [1] R. S. Burt, Structural Holes, Harvard University Press, 1992.
.. [2] S. P. Borgatti, "Identifying sets of key players in a social network", Computational and
   Mathematical Organization Theory 12 (2006) 21–34 (fragmentation by cut-points and brokers).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse import csgraph

from graphsvc.analysis.centrality import betweenness
from graphsvc.analysis.seek.reasons import join_names, percent, say

__all__ = ["BASE_VALUE", "EXACT_POOL", "PlaceContext", "TieValue", "adds_text", "choose_diverse",
           "tie_value"]

BASE_VALUE = 0.25
WEIGHTS = {"sector_gap": 1.0, "thin_sectors": 0.5, "communities": 0.75,
           "broker_bypass": 0.75, "cut_point": 0.5}
BROKER_FLOOR = 0.10  #: share of shortest paths from which the largest broker is "dominant"
MAX_CUT_POINTS = 60  #: cut-points examined (those with the most paths through them)
EXACT_LOAD_MAX = 500  #: up to this many organisations, the broker's relief is computed exactly
RELIEF_WEIGHT = 4.0  #: value per unit of relative relief of the dominant broker
EXACT_POOL = 60  #: the most likely pairs of a list whose broker relief is computed exactly


class BrokerLoad:
    """The dominant broker's share of shortest paths, before and after one new tie, exactly.

    All-pairs hop distances ``D`` and shortest-path counts ``S`` are computed once (breadth
    first, level by level as sparse products); a new tie ``u–v`` changes them in closed form —
    ``D' = min(D, D[:,u] + 1 + D[v,:], D[:,v] + 1 + D[u,:])`` and ``S'`` the counts of the
    paths of length ``D'`` that use it or not — so the broker's new load
    ``Σ_{s<t} [D'_sb + D'_bt = D'_st] S'_sb S'_bt / S'_st`` costs ``O(n²)`` per tie.
    """

    def __init__(self, H: nx.Graph, broker: Hashable) -> None:
        self.nodes = list(H)
        self.index = {u: i for i, u in enumerate(self.nodes)}
        n = len(self.nodes)
        A = nx.to_scipy_sparse_array(H, nodelist=self.nodes, weight=None, format="csr")
        A.data[:] = 1.0
        D = csgraph.shortest_path(A, directed=False, unweighted=True)
        S = np.zeros((n, n))
        np.fill_diagonal(S, 1.0)
        finite = D[np.isfinite(D)]
        for k in range(1, int(finite.max()) + 1 if len(finite) else 1):
            prev = np.where(D == k - 1, S, 0.0)
            S = np.where(D == k, np.asarray(sp.csr_array(A) @ prev.T).T, S)
        self.D, self.S = D, S
        self.b = self.index[broker]
        self.pairs = (n - 1) * (n - 2) / 2.0
        self.load = self._load(D[:, self.b], S[:, self.b], D, S)

    def _load(self, Db: np.ndarray, Sb: np.ndarray, D: np.ndarray, S: np.ndarray) -> float:
        b = self.b
        on = np.isfinite(D) & (Db[:, None] + Db[None, :] == D) & (S > 0)
        on[b, :] = False
        on[:, b] = False
        np.fill_diagonal(on, False)
        share = np.where(on, np.outer(Sb, Sb) / np.where(S > 0, S, 1.0), 0.0)
        return float(share.sum() / 2.0 / self.pairs) if self.pairs > 0 else 0.0

    def after(self, u: Hashable, v: Hashable) -> float:
        """The broker's share of shortest paths once ``u–v`` is tied."""
        i, j = self.index[u], self.index[v]
        D, S = self.D, self.S
        if D[i, j] <= 1:  # already tied (or the same organisation): nothing changes
            return self.load
        via1 = D[:, i][:, None] + 1.0 + D[j, :][None, :]
        via2 = D[:, j][:, None] + 1.0 + D[i, :][None, :]
        D2 = np.minimum(D, np.minimum(via1, via2))
        S2 = np.where(D == D2, S, 0.0) + np.where(via1 == D2, np.outer(S[:, i], S[j, :]), 0.0) \
            + np.where(via2 == D2, np.outer(S[:, j], S[i, :]), 0.0)
        return self._load(D2[:, self.b], S2[:, self.b], D2, S2)


@dataclass(slots=True)
class TieValue:
    """What one candidate tie adds (``adds``: kind → the thing it adds to, e.g. the sectors)."""

    adds: dict[str, Any] = field(default_factory=dict)
    hub: bool = False
    broker_share: float = 0.0
    relief: float | None = None  #: relative fall of the broker's share (exact, small places)

    def value(self, used: Counter | None = None) -> float:
        used = used or Counter()
        v = BASE_VALUE
        for kind, what in self.adds.items():
            w = WEIGHTS[kind]
            if kind == "broker_bypass":
                w = (RELIEF_WEIGHT * self.relief if self.relief is not None
                     else w + 1.5 * max(0.0, self.broker_share - BROKER_FLOOR))
            if kind == "cut_point":
                v += sum(w * 0.5 ** used[(kind, c)] for c in what[:2])
            else:
                v += w * 0.5 ** used[(kind, what)]
        return v * (max(0.25, 1.0 - self.broker_share) if self.hub else 1.0)

    def keys(self) -> list[tuple[str, Any]]:
        out = []
        for kind, what in self.adds.items():
            out += [(kind, c) for c in what[:2]] if kind == "cut_point" else [(kind, what)]
        return out


class PlaceContext:
    """The structure of one place's network that values are read from (built once)."""

    def __init__(self, H: nx.Graph, communities: dict[Hashable, int], *, seed: int = 0,
                 exact_max: int = 2000, samples: int = 200) -> None:
        self.H = H
        self.community = communities
        n = H.number_of_nodes()
        self.sector_ties: Counter = Counter()
        self.community_ties: Counter = Counter()
        for a, b, collabs in H.edges(data="n_collabs", default=1):
            sa, sb = H.nodes[a].get("sector"), H.nodes[b].get("sector")
            if collabs and sa and sb and sa != sb:
                self.sector_ties[frozenset((sa, sb))] += 1
            ca, cb = communities.get(a, -1), communities.get(b, -1)
            if ca >= 0 and cb >= 0 and ca != cb:
                self.community_ties[frozenset((ca, cb))] += 1
        self.broker: Hashable | None = None
        self.broker_share = 0.0
        bc: dict = {}
        if n >= 3 and H.number_of_edges():
            # the vectorised (or compiled) Brandes of graphsvc.analysis.centrality: the values
            # of networkx.betweenness_centrality, a thirtieth of the time on 1,300 organisations
            bc = betweenness(H, weighted=False, exact_max=exact_max, k=min(samples, n),
                             seed=seed).values
            b = max(bc, key=lambda u: (bc[u], str(u)))
            self.broker, self.broker_share = b, float(bc[b])
        self.exact: BrokerLoad | None = None
        if self.broker is not None and self.broker_share >= BROKER_FLOOR and n <= EXACT_LOAD_MAX:
            self.exact = BrokerLoad(H, self.broker)
        cuts = sorted(nx.articulation_points(H), key=lambda c: (-bc.get(c, 0.0), str(c)))
        self.cut_sides: dict[Hashable, dict[Hashable, int]] = {}
        for c in cuts[:MAX_CUT_POINTS]:
            comp = H.subgraph(set(nx.node_connected_component(H, c)) - {c})
            self.cut_sides[c] = {u: i for i, part in enumerate(nx.connected_components(comp))
                                 for u in part}

    def _only_through(self, u: Hashable, v: Hashable, b: Hashable) -> bool:
        """True when every path of at most three steps from ``u`` to ``v`` runs through ``b``."""
        H = self.H
        if b in (u, v) or u not in H or v not in H:
            return False
        nu, nv = set(H[u]) - {b}, set(H[v]) - {b}
        if nu & nv:
            return False
        if any(nv & set(H[a]) for a in nu):
            return False
        bu, bv = b in H[u], b in H[v]
        # some path of length ≤ 3 through b must exist
        return (bu and bv) or (bu and any(b in H[c] for c in nv)) or \
            (bv and any(b in H[a] for a in nu))


def tie_value(ctx: PlaceContext, u: Hashable, v: Hashable, *, exact: bool = True) -> TieValue:
    """What a new tie ``u–v`` adds in the place of ``ctx`` (table in the module docstring);
    ``exact=False`` reads the broker's relief from paths of up to three steps only."""
    H = ctx.H
    out = TieValue()
    su, sv = H.nodes[u].get("sector") if u in H else None, H.nodes[v].get("sector") if v in H \
        else None
    if su and sv and su != sv:
        pair = frozenset((su, sv))
        count = ctx.sector_ties[pair]
        if count == 0:
            out.adds["sector_gap"] = tuple(sorted(pair))
        elif count <= 2:
            out.adds["thin_sectors"] = tuple(sorted(pair))
    cu, cv = ctx.community.get(u, -1), ctx.community.get(v, -1)
    if cu >= 0 and cv >= 0 and cu != cv and ctx.community_ties[frozenset((cu, cv))] == 0:
        out.adds["communities"] = tuple(sorted((cu, cv)))
    b = ctx.broker
    if b is not None and ctx.broker_share >= BROKER_FLOOR:
        out.hub = b in (u, v)
        out.broker_share = ctx.broker_share
        if exact and ctx.exact is not None and u in ctx.exact.index and v in ctx.exact.index:
            before = ctx.exact.load
            out.relief = max(0.0, before - ctx.exact.after(u, v)) / before if before else 0.0
            if out.relief > 0.005:
                out.adds["broker_bypass"] = b
        elif ctx._only_through(u, v, b):
            out.adds["broker_bypass"] = b
    cuts = [c for c, side in ctx.cut_sides.items()
            if c not in (u, v) and u in side and v in side and side[u] != side[v]]
    if cuts:
        out.adds["cut_point"] = tuple(cuts)
    return out


def choose_diverse(pairs: Sequence[tuple[Hashable, Hashable]],
                   likelihood: Sequence[float] | np.ndarray,
                   values: Sequence[TieValue], top: int, *, max_per_org: int = 2
                   ) -> list[tuple[int, float]]:
    """Greedy build list: ``[(index into pairs, build score), …]`` (module docstring)."""
    used: Counter = Counter()
    per_org: Counter = Counter()
    left = set(range(len(pairs)))
    out: list[tuple[int, float]] = []
    while left and len(out) < top:
        best, best_score = -1, -1.0
        for i in sorted(left):
            u, v = pairs[i]
            if per_org[u] >= max_per_org or per_org[v] >= max_per_org:
                continue
            s = float(likelihood[i]) * values[i].value(used)
            if s > best_score:
                best, best_score = i, s
        if best < 0:
            break
        left.discard(best)
        out.append((best, best_score))
        u, v = pairs[best]
        per_org[u] += 1
        per_org[v] += 1
        for key in values[best].keys():
            used[key] += 1
    return out


def adds_text(value: TieValue | None, ctx: PlaceContext | None,
              name: Callable[[Hashable], str], lang: str) -> list[str]:
    """What a tie adds beyond the sector and community reasons of the likely ranking, in
    ``lang`` (communities with no tie, the broker's relief, cut-points, a tie to the hub)."""
    if value is None or ctx is None:
        return []
    out = []
    if "communities" in value.adds:
        out.append(say("no_community_tie", lang))
    if "broker_bypass" in value.adds:
        out.append(say("broker_bypass", lang, name=name(value.adds["broker_bypass"]),
                       share=percent(ctx.broker_share)))
    if "cut_point" in value.adds:
        cuts = value.adds["cut_point"]
        out.append(say("cut_point", lang, names=join_names([name(c) for c in cuts[:3]], lang,
                                                            total=len(cuts))))
    if value.hub and ctx.broker is not None:
        out.append(say("hub_tie", lang, name=name(ctx.broker), share=percent(ctx.broker_share)))
    return out
