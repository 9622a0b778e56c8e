"""The classic local link-prediction indices, vectorised over many pairs at once.

==========================  =====================================================  ==========
name                        score of an untied pair ``u, v``                       reference
==========================  =====================================================  ==========
``common_neighbours``       ``|N(u) ∩ N(v)|``                                       [1]_
``jaccard``                 ``|N(u) ∩ N(v)| / |N(u) ∪ N(v)|``                       [1]_
``adamic_adar``             ``Σ_{w ∈ N(u) ∩ N(v)} 1 / log k_w``                     [2]_
``resource_allocation``     ``Σ_{w ∈ N(u) ∩ N(v)} 1 / k_w``                         [3]_
``preferential_attachment`` ``k_u k_v``                                             [1]_
``local_path``              ``(A²)_uv + ε (A³)_uv`` (``ε`` = 0.01)                  [3]_
==========================  =====================================================  ==========

They agree with :func:`networkx.resource_allocation_index` and its siblings on untied pairs,
but come from sparse products (:mod:`graphsvc.analysis.seek.candidates`), not per-pair loops.

References
----------
.. [1] D. Liben-Nowell and J. Kleinberg, "The link-prediction problem for social networks",
   J. Am. Soc. Inf. Sci. Technol. 58 (2007) 1019–1031.
.. [2] L. A. Adamic and E. Adar, "Friends and neighbors on the Web", Social Networks 25 (2003)
   211–230.
.. [3] T. Zhou, L. Lü and Y.-C. Zhang, "Predicting missing links via local information",
   Eur. Phys. J. B 71 (2009) 623–630; L. Lü, C.-H. Jin and T. Zhou, "Similarity index based on
   local paths for link prediction of complex networks", Phys. Rev. E 80 (2009) 046122.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass

import networkx as nx
import numpy as np

from graphsvc.analysis.seek.candidates import (
    Adjacency,
    WalkCounts,
    candidate_pairs,
    lookup,
    walk_counts,
)
from graphsvc.errors import InvalidInput

__all__ = [
    "INDEX_METHODS",
    "LOCAL_PATH_EPSILON",
    "PairFeatures",
    "BLOCK_WALKS",
    "candidate_blocks",
    "candidate_features",
    "index_scores",
    "pair_features",
    "score_pairs",
]

INDEX_METHODS = (
    "resource_allocation",
    "adamic_adar",
    "common_neighbours",
    "jaccard",
    "preferential_attachment",
    "local_path",
)
LOCAL_PATH_EPSILON = 0.01


@dataclass(frozen=True, slots=True)
class PairFeatures:
    """Local structure of pairs ``u[k]–v[k]`` (node indices): walk counts, degrees, distance.

    ``dist`` is 2 or 3 where ``A²``/``A³`` show it, else ``nan`` (farther, or not computed).
    """

    u: np.ndarray
    v: np.ndarray
    cn: np.ndarray
    ra: np.ndarray
    aa: np.ndarray
    a3: np.ndarray
    du: np.ndarray
    dv: np.ndarray
    dist: np.ndarray

    def __len__(self) -> int:
        return len(self.u)

    def take(self, sel: np.ndarray) -> PairFeatures:
        return PairFeatures(*(getattr(self, f)[sel] for f in self.__slots__))

    @classmethod
    def concat(cls, parts: list[PairFeatures]) -> PairFeatures:
        """The pairs of ``parts`` one after the other."""
        return cls(*(np.concatenate([getattr(p, f) for p in parts]) for f in cls.__slots__))


def pair_features(adj: Adjacency, u: np.ndarray, v: np.ndarray, *,
                  walks: WalkCounts | None = None, local: np.ndarray | None = None,
                  three: bool = True) -> PairFeatures:
    """Features of the pairs ``u–v`` from ``walks`` (computed here for the rows ``u`` if absent)."""
    u = np.asarray(u, dtype=np.int64)
    v = np.asarray(v, dtype=np.int64)
    if walks is None:
        rows = np.unique(u)
        blocks = _row_blocks(adj, rows, three=three)
        if len(blocks) > 1:  # thousands of rows near hubs: their walks, a block at a time
            parts, at = [], []
            for block in blocks:
                sel = np.flatnonzero(np.isin(u, block))
                parts.append(pair_features(adj, u[sel], v[sel], three=three,
                                           walks=walk_counts(adj, block, three=three)))
                at.append(sel)
            order = np.argsort(np.concatenate(at))
            return PairFeatures.concat(parts).take(order)
        walks = walk_counts(adj, rows, three=three)
        local = np.searchsorted(rows, u)
    elif local is None:
        local = np.searchsorted(walks.rows, u)
    cn = lookup(walks.cn, local, v)
    ra = lookup(walks.ra, local, v)
    aa = lookup(walks.aa, local, v)
    a3 = lookup(walks.a3, local, v) if walks.a3 is not None else np.zeros(len(u))
    dist = np.where(cn > 0, 2.0, np.where(a3 > 0, 3.0, np.nan))
    return PairFeatures(u, v, cn, ra, aa, a3, adj.deg[u], adj.deg[v], dist)


def candidate_features(adj: Adjacency, rows: np.ndarray | None = None, *, three: bool,
                       max_distance: int = 3, upper_only: bool | None = None) -> PairFeatures:
    """The candidate pairs of ``rows`` (untied, two or three steps apart) with their features.

    The one feature path of the tie recommender: fitting, the backtest, the benchmark and serving
    all call it, so a model is always scored on the features it was trained on. ``three`` says
    whether paths of length three are counted (a property of the fitted model, never of the
    request); ``max_distance`` (2 or 3) only bounds which pairs are listed.
    """
    walks = walk_counts(adj, rows, three=three)
    ps = candidate_pairs(adj, walks, max_distance=max_distance if three else 2,
                         upper_only=upper_only)
    return pair_features(adj, ps.u, ps.v, walks=walks, local=ps.local)


#: A network-wide candidate list is built in blocks of rows of about this many walks of
#: length two and three (the pairs listed are fewer): the features of every candidate pair of
#: 40,000 organisations at once take gigabytes.
BLOCK_WALKS = 2_000_000


def _walk_cost(adj: Adjacency, *, three: bool) -> np.ndarray:
    """Walks of length two (and three) from each row: what its walk counts cost."""
    walks2 = adj.A @ adj.deg
    return walks2 + (adj.A @ walks2 if three else 0.0)


def _row_blocks(adj: Adjacency, rows: np.ndarray, *, three: bool,
                block_walks: float | None = None) -> list[np.ndarray]:
    """``rows`` (sorted) cut into consecutive blocks of about ``block_walks`` walks each."""
    block_walks = BLOCK_WALKS if block_walks is None else block_walks
    cost = np.cumsum(_walk_cost(adj, three=three)[rows])
    if len(rows) == 0 or cost[-1] <= block_walks:
        return [rows]
    cut = np.searchsorted(cost, np.arange(1, int(cost[-1] // block_walks) + 1) * block_walks)
    return [b for b in np.split(rows, np.unique(cut.clip(1, len(rows) - 1))) if len(b)]


def candidate_blocks(adj: Adjacency, *, three: bool, max_distance: int = 3,
                     block_walks: float | None = None) -> Iterator[PairFeatures]:
    """The candidate pairs of the whole network (each once, as :func:`candidate_features`
    gives them) in blocks of consecutive rows of about ``block_walks`` (default
    :data:`BLOCK_WALKS`) walks each."""
    for rows in _row_blocks(adj, np.arange(adj.n, dtype=np.int64), three=three,
                            block_walks=block_walks):
        if len(rows) == adj.n:
            yield candidate_features(adj, three=three, max_distance=max_distance)
        else:
            yield candidate_features(adj, rows, three=three, max_distance=max_distance,
                                     upper_only=True)


def index_scores(method: str, f: PairFeatures, *, epsilon: float = LOCAL_PATH_EPSILON
                 ) -> np.ndarray:
    """The scores of ``method`` (one of :data:`INDEX_METHODS`) for the pairs of ``f``."""
    if method == "resource_allocation":
        return f.ra.copy()
    if method == "adamic_adar":
        return f.aa.copy()
    if method == "common_neighbours":
        return f.cn.copy()
    if method == "jaccard":
        union = f.du + f.dv - f.cn
        return np.divide(f.cn, union, out=np.zeros(len(f)), where=union > 0)
    if method == "preferential_attachment":
        return f.du * f.dv
    if method == "local_path":
        return f.cn + epsilon * f.a3
    raise InvalidInput(f"unknown index {method!r}; choose one of {', '.join(INDEX_METHODS)}",
                       [{"method": method, "expected": list(INDEX_METHODS)}])


def score_pairs(G: nx.Graph, pairs: Iterable[tuple[Hashable, Hashable]], method: str
                ) -> list[tuple[Hashable, Hashable, float]]:
    """``(u, v, score)`` for each pair, like :func:`networkx.resource_allocation_index`.

    Examples
    --------
    >>> G = nx.complete_graph(5)
    >>> G.remove_edge(0, 1)
    >>> score_pairs(G, [(0, 1)], "resource_allocation")
    [(0, 1, 0.75)]
    """
    if method not in INDEX_METHODS:
        index_scores(method, pair_features(Adjacency.from_graph(nx.empty_graph(1)),
                                           np.zeros(0), np.zeros(0)))
    pairs = list(pairs)
    adj = Adjacency.from_graph(G)
    missing = [p for pair in pairs for p in pair if p not in adj.index]
    if missing:
        raise InvalidInput(f"not in the graph: {missing[0]!r}", [{"node": str(m)} for m in missing])
    u = np.array([adj.index[a] for a, _ in pairs], dtype=np.int64)
    v = np.array([adj.index[b] for _, b in pairs], dtype=np.int64)
    scores = index_scores(method, pair_features(adj, u, v))
    return [(a, b, float(s)) for (a, b), s in zip(pairs, scores, strict=True)]
