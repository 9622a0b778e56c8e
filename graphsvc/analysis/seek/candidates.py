"""Sparse adjacency and the candidate pairs a tie recommendation is drawn from.

A new tie is most often closed between organisations two or three steps apart (triadic closure);
the candidates are the untied pairs at distance 2 (``A²`` non-zero) and, where the work stays
bounded, distance 3 (``A³`` non-zero). Everything is computed with :mod:`scipy.sparse` for a set
of rows (one organisation, a province, or all of them), never pair by pair.

References
----------
.. [1] L. Lü and T. Zhou, "Link prediction in complex networks: A survey", Physica A 390 (2011)
   1150–1170.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse import csgraph

__all__ = [
    "Adjacency",
    "PairSet",
    "WalkCounts",
    "candidate_pairs",
    "lookup",
    "pair_distances",
    "walk_counts",
]

#: Above this many length-3 walk operations, distance-3 candidates are left out (network-wide).
DEFAULT_WALK_BUDGET = 30_000_000


@dataclass(frozen=True, slots=True)
class Adjacency:
    """A graph's 0/1 adjacency as CSR, with the node order and degrees. Built once, reused."""

    nodes: tuple[Hashable, ...]
    index: dict[Hashable, int]
    A: sp.csr_array
    deg: np.ndarray

    @property
    def n(self) -> int:
        return len(self.nodes)

    @classmethod
    def from_graph(cls, G: nx.Graph) -> Adjacency:
        """The adjacency of ``G`` (edge weights ignored, self-loops dropped)."""
        nodes = tuple(G)
        index = {u: i for i, u in enumerate(nodes)}
        m = G.number_of_edges()
        us = np.fromiter((index[u] for u, _ in G.edges()), dtype=np.int64, count=m)
        vs = np.fromiter((index[v] for _, v in G.edges()), dtype=np.int64, count=m)
        return cls.from_edges(nodes, us, vs, index=index)

    @classmethod
    def from_edges(cls, nodes: Sequence[Hashable], us: np.ndarray, vs: np.ndarray,
                   index: dict[Hashable, int] | None = None) -> Adjacency:
        """The adjacency of ``len(nodes)`` nodes with undirected edges ``us[i]–vs[i]``."""
        n = len(nodes)
        keep = us != vs
        us, vs = us[keep], vs[keep]
        rows = np.concatenate([us, vs])
        cols = np.concatenate([vs, us])
        A = sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(n, n))
        A.sum_duplicates()
        A.data[:] = 1.0
        A.sort_indices()
        deg = np.diff(A.indptr).astype(np.float64)
        index = index if index is not None else {u: i for i, u in enumerate(nodes)}
        return cls(tuple(nodes), index, A, deg)

    def edges(self) -> tuple[np.ndarray, np.ndarray]:
        """Every edge once, as index arrays ``u < v``."""
        coo = sp.triu(self.A, k=1).tocoo()
        return coo.row.astype(np.int64), coo.col.astype(np.int64)

    def without(self, us: np.ndarray, vs: np.ndarray) -> Adjacency:
        """The same nodes with the edges ``us–vs`` removed (the input is not changed)."""
        eu, ev = self.edges()
        n = self.n
        drop = np.minimum(us, vs).astype(np.int64) * n + np.maximum(us, vs)
        keep = ~np.isin(eu * n + ev, drop)
        return Adjacency.from_edges(self.nodes, eu[keep], ev[keep], index=self.index)

    def has_edge(self, us: np.ndarray, vs: np.ndarray) -> np.ndarray:
        return lookup(self.A, us, vs) > 0


@dataclass(frozen=True, slots=True)
class WalkCounts:
    """Walk counts from a set of rows: row ``i`` of each matrix belongs to node ``rows[i]``.

    ``cn`` = ``A²`` (common neighbours), ``ra`` = ``A D⁻¹ A``, ``aa`` = ``A (D log D)⁻¹ A``
    (restricted to common neighbours of degree ≥ 2), ``a3`` = ``A³`` (paths of length three
    between untied pairs) or ``None`` when not computed.
    """

    rows: np.ndarray
    cn: sp.csr_array
    ra: sp.csr_array
    aa: sp.csr_array
    a3: sp.csr_array | None


def walk_counts(adj: Adjacency, rows: np.ndarray | None = None, *, three: bool = True
                ) -> WalkCounts:
    """``A²``, resource-allocation and Adamic–Adar sums and (optionally) ``A³`` for ``rows``."""
    rows = np.arange(adj.n) if rows is None else np.asarray(rows, dtype=np.int64)
    A = adj.A
    Ar = A[rows] if len(rows) != adj.n else A
    inv = np.divide(1.0, adj.deg, out=np.zeros(adj.n), where=adj.deg > 0)
    logd = np.log(np.maximum(adj.deg, 1.0))
    inv_log = np.divide(1.0, logd, out=np.zeros(adj.n), where=logd > 0)
    cn = sp.csr_array(Ar @ A)
    ra = sp.csr_array((Ar @ sp.diags_array(inv)) @ A)
    aa = sp.csr_array((Ar @ sp.diags_array(inv_log)) @ A)
    a3 = sp.csr_array(cn @ A) if three else None
    for M in (cn, ra, aa, a3):
        if M is not None:
            M.sort_indices()
    return WalkCounts(rows, cn, ra, aa, a3)


def lookup(M: sp.csr_array, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Entries ``M[i[k], j[k]]`` of a CSR matrix with sorted indices (0 where absent)."""
    i = np.asarray(i, dtype=np.int64)
    j = np.asarray(j, dtype=np.int64)
    if len(i) == 0 or M.nnz == 0:
        return np.zeros(len(i))
    ncol = M.shape[1]
    row_of = np.repeat(np.arange(M.shape[0], dtype=np.int64), np.diff(M.indptr))
    keys = row_of * ncol + M.indices.astype(np.int64)
    q = i * ncol + j
    pos = np.searchsorted(keys, q)
    pos = np.minimum(pos, len(keys) - 1)
    hit = keys[pos] == q
    return np.where(hit, M.data[pos], 0.0)


@dataclass(frozen=True, slots=True)
class PairSet:
    """Pairs ``u[k]–v[k]`` (node indices) with ``local[k]``, the row of ``u`` in the walk counts."""

    u: np.ndarray
    v: np.ndarray
    local: np.ndarray
    dist: np.ndarray  # 2 or 3 for candidates

    def __len__(self) -> int:
        return len(self.u)


def three_step_work(adj: Adjacency, rows: np.ndarray | None = None) -> float:
    """Roughly how many multiply–adds ``A³`` costs for ``rows`` (for the bound on distance 3)."""
    deg = adj.deg
    r = slice(None) if rows is None else rows
    # every length-2 walk from a row is extended over the neighbours of its end
    return float((adj.A[r] @ (adj.A @ deg)).sum())


def candidate_pairs(adj: Adjacency, walks: WalkCounts, *, max_distance: int = 3,
                    upper_only: bool | None = None) -> PairSet:
    """Untied pairs at distance 2 (and 3 when ``max_distance`` is 3 and ``walks.a3`` exists).

    ``upper_only`` (default: when the walks cover every row) keeps each unordered pair once.
    """
    rows = walks.rows
    pattern = walks.cn
    if max_distance >= 3 and walks.a3 is not None:
        pattern = sp.csr_array(walks.cn + walks.a3)
    coo = pattern.tocoo()
    local = coo.row.astype(np.int64)
    v = coo.col.astype(np.int64)
    u = rows[local]
    if upper_only is None:
        upper_only = len(rows) == adj.n
    keep = u != v
    if upper_only:
        keep &= u < v
    local, u, v = local[keep], u[keep], v[keep]
    tied = adj.has_edge(u, v)
    local, u, v = local[~tied], u[~tied], v[~tied]
    dist = np.where(lookup(walks.cn, local, v) > 0, 2, 3).astype(np.int64)
    order = np.lexsort((v, u))
    return PairSet(u[order], v[order], local[order], dist[order])


def pair_distances(adj: Adjacency, u: np.ndarray, v: np.ndarray, *, max_sources: int = 4000,
                   seed: int = 0) -> np.ndarray:
    """Shortest-path lengths (hops) of arbitrary pairs; ``inf`` when not connected.

    Breadth-first search from each distinct source (at most ``max_sources`` of them; pairs from
    other sources get ``nan``, chosen with ``seed``).
    """
    u = np.asarray(u, dtype=np.int64)
    v = np.asarray(v, dtype=np.int64)
    out = np.full(len(u), np.nan)
    if len(u) == 0:
        return out
    sources = np.unique(u)
    if len(sources) > max_sources:
        sources = np.sort(np.random.default_rng(seed).choice(sources, max_sources, replace=False))
    chunk = max(1, 2_000_000 // max(adj.n, 1))
    for start in range(0, len(sources), chunk):
        src = sources[start:start + chunk]
        D = csgraph.shortest_path(adj.A, directed=False, unweighted=True, indices=src)
        sel = np.isin(u, src)
        pos = np.searchsorted(src, u[sel])
        out[sel] = D[pos, v[sel]]
    return out
