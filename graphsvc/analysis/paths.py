"""Shortest-path measures for small graphs: the compiled kernels' results, in numpy and scipy.

Below :data:`~graphsvc.analysis.kernels.COMPILED_MIN_NODES` organisations, loading the numba
kernels of :mod:`.brandes` costs more than the whole computation (:mod:`.kernels`), so these
functions give the same numbers with vectorised numpy alone (not even scipy, whose import costs
more than this whole computation on a province).

Distances from a block of sources at once (``k × n``) come from Bellman–Ford rounds: every
node's distance becomes the least of ``d(s, v) + w(v, x)`` over its neighbours ``v`` (one
``minimum.reduceat`` over the CSR rows) until nothing changes. With positive lengths that fixed
point is exactly what Dijkstra computes, sum for sum, so ties compare as in the kernels. A CSR
entry ``x -> v`` lies on a shortest path from ``s`` when ``d(s, v) + w(v, x) == d(s, x)`` in
floating point (the comparison the kernels and networkx make); path counts ``sigma`` are summed
rank by rank in order of distance, and dependencies ``delta`` flow back in the reverse order.
Path counts are whole numbers, so they are exact; dependencies may differ from the kernels' in
the last bits, as the kernels' own thread count makes them differ. Memory is
``O(block × (n + m))``.
"""

from __future__ import annotations

import sys

import numpy as np

__all__ = ["hop_distance_sums", "paths_from_sources"]

_BLOCK = 256  # sources per block: bounds memory at 256 x (n + 2m) numbers


def _distances(indptr: np.ndarray, indices: np.ndarray, lengths: np.ndarray,
               src: np.ndarray) -> np.ndarray:
    """Shortest-path distances from each of ``src`` to every node (``inf``: unreachable).

    When scipy is loaded already (for an eigenvector, or in a server), its Dijkstra gives them
    faster; the two agree to the last bit (``tests/test_analysis_kernels.py``).
    """
    n = len(indptr) - 1
    if "scipy.sparse" in sys.modules:
        from scipy.sparse import csr_array
        from scipy.sparse.csgraph import dijkstra

        A = csr_array((lengths, indices, indptr), shape=(n, n))
        return np.atleast_2d(dijkstra(A, directed=True, indices=src))
    return _bellman_ford(indptr, indices, lengths, src)


def _bellman_ford(indptr: np.ndarray, indices: np.ndarray, lengths: np.ndarray,
                  src: np.ndarray) -> np.ndarray:
    """:func:`_distances` in numpy alone (module docstring)."""
    n = len(indptr) - 1
    D = np.full((len(src), n), np.inf)
    D[np.arange(len(src)), src] = 0.0
    has = np.flatnonzero(np.diff(indptr) > 0)
    if len(has) == 0:
        return D
    starts = indptr[has]
    while True:
        # entry e of row x reaches x from v = indices[e]: d(s, v) + w(v, x)
        best = np.minimum.reduceat(D[:, indices] + lengths, starts, axis=1)
        current = D[:, has]
        better = best < current
        if not better.any():
            return D
        D[:, has] = np.where(better, best, current)


def _ranges(starts: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """``concatenate([arange(a, a + l) for a, l in zip(starts, lens)])``, vectorised."""
    total = int(lens.sum())
    if total == 0:
        return np.zeros(0, np.int64)
    offsets = np.repeat(np.cumsum(lens) - lens, lens)
    return np.arange(total, dtype=np.int64) - offsets + np.repeat(starts, lens)


def _block(indptr: np.ndarray, indices: np.ndarray, lengths: np.ndarray, rows: np.ndarray,
           src: np.ndarray, weighted: bool) -> tuple[np.ndarray, np.ndarray]:
    """Dependencies and inverse distances summed over the sources ``src``."""
    n = len(indptr) - 1
    k = len(src)
    step = lengths if weighted else np.ones(len(indices))
    D = _distances(indptr, indices, step, src)
    reach = np.isfinite(D)
    with np.errstate(divide="ignore"):
        inv = np.where(reach & (D > 0), 1.0 / D, 0.0).sum(axis=0)
    # the shortest-path DAG: CSR entry e (row x = rows[e], column v = indices[e]) is an arc
    # v -> x of the DAG from s when d(s, v) + w(v, x) == d(s, x)
    on_path = (D[:, indices] + step == D[:, rows]) & reach[:, rows]
    order = np.argsort(D, axis=1, kind="stable")  # unreachable (inf) last
    counts = reach.sum(axis=1)
    deg = np.diff(indptr)
    # every (rank, source) pair with its node x = order[s, rank] and x's CSR entries, laid out
    # rank by rank, keeping only the DAG arcs
    ranks = np.arange(n)
    x_at = order.T  # (n, k)
    valid = ranks[:, None] < counts[None, :]
    lens = np.where(valid, deg[x_at], 0).ravel()
    s_of = np.tile(np.arange(k), n)
    ent = _ranges(indptr[x_at.ravel()], lens)
    pair = np.repeat(np.arange(n * k), lens)  # index into x_at.ravel() of each entry
    s_ent = s_of[pair]
    keep = on_path[s_ent, ent]
    ent, pair, s_ent = ent[keep], pair[keep], s_ent[keep]
    lin_v = s_ent * n + indices[ent]  # position of (s, v) in a (k, n) array
    lin_x = s_of * n + x_at.ravel()  # position of (s, x) for every (rank, source) pair
    bounds = np.searchsorted(pair, np.arange(0, n * k + 1, k))
    sigma = np.zeros(k * n)
    sigma[np.arange(k) * n + src] = 1.0
    last = int(counts.max())
    for r in range(1, last):
        a, b = bounds[r], bounds[r + 1]
        if a == b:
            continue
        sums = np.bincount(pair[a:b] - r * k, sigma[lin_v[a:b]], k)
        live = valid[r]
        sigma[lin_x[r * k:(r + 1) * k][live]] = sums[live]
    delta = np.zeros(k * n)
    for r in range(last - 1, 0, -1):
        a, b = bounds[r], bounds[r + 1]
        if a == b:
            continue
        xs = lin_x[r * k:(r + 1) * k]
        with np.errstate(divide="ignore", invalid="ignore"):
            coeff = (1.0 + delta[xs]) / sigma[xs]
        # within one rank each source has one x, whose neighbours are distinct: no collisions
        delta[lin_v[a:b]] += sigma[lin_v[a:b]] * coeff[pair[a:b] - r * k]
    delta[np.arange(k) * n + src] = 0.0
    return delta.reshape(k, n).sum(axis=0), inv


def paths_from_sources(
    indptr: np.ndarray,
    indices: np.ndarray,
    weights: np.ndarray,
    sources: np.ndarray,
    *,
    weighted: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Brandes dependencies and inverse distances summed over ``sources``.

    The same contract as :func:`graphsvc.analysis.brandes.paths_from_sources` (which see), for
    small graphs.
    """
    indptr = np.asarray(indptr, dtype=np.int64)
    indices = np.asarray(indices, dtype=np.int64)
    lengths = np.asarray(weights, dtype=np.float64)
    sources = np.asarray(sources, dtype=np.int64)
    n = len(indptr) - 1
    dep, inv = np.zeros(n), np.zeros(n)
    if n == 0 or len(sources) == 0:
        return dep, inv
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    for start in range(0, len(sources), _BLOCK):
        d, i = _block(indptr, indices, lengths, rows, sources[start:start + _BLOCK], weighted)
        dep += d
        inv += i
    return dep, inv


def hop_distance_sums(indptr: np.ndarray, indices: np.ndarray, sources: np.ndarray
                      ) -> tuple[float, int, np.ndarray]:
    """Breadth-first distances from ``sources``: their sum over reachable nodes, the number of
    such (source, node) pairs, and each source's eccentricity (as
    :func:`graphsvc.analysis.brandes.hop_distances`, without the farthest nodes)."""
    indptr = np.asarray(indptr, dtype=np.int64)
    indices = np.asarray(indices, dtype=np.int64)
    sources = np.asarray(sources, dtype=np.int64)
    if len(sources) == 0:
        return 0.0, 0, np.zeros(0, np.int64)
    ones = np.ones(len(indices))
    total, pairs = 0.0, 0
    far = np.zeros(len(sources), np.int64)
    for start in range(0, len(sources), _BLOCK):
        block = sources[start:start + _BLOCK]
        D = _distances(indptr, indices, ones, block)
        reach = np.isfinite(D)
        finite = np.where(reach, D, 0.0)
        total += float(finite.sum())
        pairs += int(reach.sum()) - len(block)
        far[start:start + len(block)] = finite.max(axis=1).astype(np.int64)
    return total, pairs, far
