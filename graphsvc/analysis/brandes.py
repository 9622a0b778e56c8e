"""Compiled shortest-path kernels: Brandes' betweenness and harmonic closeness in one pass.

From every source the kernel runs one single-source shortest-path search (breadth-first when
unweighted, Dijkstra with a binary heap when weighted), counts shortest paths (``sigma``) on the
way out and accumulates Brandes' dependencies on the way back; the same distances give the
source's contribution to every node's harmonic closeness. Sources are split over the available
threads, each with its own buffers and its own row of the result, so nothing is shared while
the threads run and memory stays ``O(threads × n + m)``: nothing here is ``n × n``.

Ties follow networkx exactly: a second shortest path counts when ``d[v] + w(v, x) == d[x]`` in
floating point, the same sum networkx compares.

The kernels take CSR arrays (see :class:`graphsvc.analysis.indexed.IndexedGraph`) and are
compiled by numba on first use (cached on disk afterwards); import this module lazily.

References
----------
.. [1] U. Brandes, "A faster algorithm for betweenness centrality", Journal of Mathematical
   Sociology 25(2):163–177, 2001.
.. [2] U. Brandes, "On variants of shortest-path betweenness centrality and their generic
   computation", Social Networks 30(2):136–145, 2008 (sampled sources).
.. [3] Y. Rochat, "Closeness centrality extended to unconnected graphs: the harmonic centrality
   index", ASNA 2009.
"""

from __future__ import annotations

import threading

import numba
import numpy as np
from numba import njit, prange

__all__ = ["hop_distances", "paths_from_sources"]

_LOCK = threading.Lock()  # numba's default thread pool must not be entered by two threads at once


@njit(cache=True, nogil=True)
def _heap_push(hk, hv, size, key, val):
    i = size
    hk[i] = key
    hv[i] = val
    while i > 0:
        p = (i - 1) >> 1
        if hk[p] <= hk[i]:
            break
        hk[p], hk[i] = hk[i], hk[p]
        hv[p], hv[i] = hv[i], hv[p]
        i = p
    return size + 1

@njit(cache=True, nogil=True)
def _heap_pop(hk, hv, size):
    key = hk[0]
    val = hv[0]
    size -= 1
    hk[0] = hk[size]
    hv[0] = hv[size]
    i = 0
    while True:
        left = 2 * i + 1
        if left >= size:
            break
        c = left
        if left + 1 < size and hk[left + 1] < hk[left]:
            c = left + 1
        if hk[i] <= hk[c]:
            break
        hk[c], hk[i] = hk[i], hk[c]
        hv[c], hv[i] = hv[i], hv[c]
        i = c
    return key, val, size

@njit(cache=True, nogil=True)
def _one_chunk(indptr, indices, wts, sources, weighted, bc, harm):
    n = indptr.shape[0] - 1
    dist = np.full(n, np.inf)
    sigma = np.zeros(n)
    delta = np.zeros(n)
    order = np.empty(n, np.int64)
    done = np.zeros(n, np.bool_)
    cap = indices.shape[0] + n + 1
    hk = np.empty(cap)
    hv = np.empty(cap, np.int64)
    for si in range(sources.shape[0]):
        s = sources[si]
        count = 0
        dist[s] = 0.0
        sigma[s] = 1.0
        if weighted:
            size = _heap_push(hk, hv, 0, 0.0, s)
            while size > 0:
                d, v, size = _heap_pop(hk, hv, size)
                if done[v]:
                    continue
                done[v] = True
                order[count] = v
                count += 1
                for e in range(indptr[v], indptr[v + 1]):
                    x = indices[e]
                    if done[x]:
                        continue
                    nd = d + wts[e]
                    if nd < dist[x]:
                        dist[x] = nd
                        sigma[x] = sigma[v]
                        size = _heap_push(hk, hv, size, nd, x)
                    elif nd == dist[x]:
                        sigma[x] += sigma[v]
        else:
            order[0] = s
            count = 1
            head = 0
            while head < count:
                v = order[head]
                head += 1
                dv = dist[v] + 1.0
                for e in range(indptr[v], indptr[v + 1]):
                    x = indices[e]
                    if dist[x] == np.inf:
                        dist[x] = dv
                        order[count] = x
                        count += 1
                    if dist[x] == dv:
                        sigma[x] += sigma[v]
        # back propagation of dependencies, predecessors found again from distances
        for j in range(count - 1, 0, -1):
            x = order[j]
            coeff = (1.0 + delta[x]) / sigma[x]
            dx = dist[x]
            for e in range(indptr[x], indptr[x + 1]):
                v = indices[e]
                step = wts[e] if weighted else 1.0
                if dist[v] + step == dx:
                    delta[v] += sigma[v] * coeff
            bc[x] += delta[x]
            harm[x] += 1.0 / dx
        for j in range(count):
            v = order[j]
            dist[v] = np.inf
            sigma[v] = 0.0
            delta[v] = 0.0
            done[v] = False

@njit(cache=True, parallel=True)
def _all_chunks(indptr, indices, wts, sources, bounds, weighted, bc_parts, harm_parts):
    for c in prange(bounds.shape[0] - 1):
        _one_chunk(indptr, indices, wts, sources[bounds[c]:bounds[c + 1]], weighted,
                   bc_parts[c], harm_parts[c])

def _run(indptr, indices, wts, sources, weighted):
    n = indptr.shape[0] - 1
    threads = max(1, min(numba.get_num_threads(), len(sources)))
    bounds = np.linspace(0, len(sources), threads + 1).astype(np.int64)
    bc_parts = np.zeros((threads, n))
    harm_parts = np.zeros((threads, n))
    _all_chunks(indptr, indices, wts, sources, bounds, weighted, bc_parts, harm_parts)
    return bc_parts.sum(axis=0), harm_parts.sum(axis=0)


def paths_from_sources(
    indptr: np.ndarray,
    indices: np.ndarray,
    weights: np.ndarray,
    sources: np.ndarray,
    *,
    weighted: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Brandes dependencies and inverse distances summed over ``sources``.

    Parameters
    ----------
    indptr, indices, weights : numpy.ndarray
        The symmetric CSR adjacency (each undirected edge stored both ways) and its lengths.
    sources : numpy.ndarray of int
        Source node indices (all nodes for exact values).
    weighted : bool
        Dijkstra over ``weights`` if true, breadth-first search (unit lengths) if false.

    Returns
    -------
    dependency : numpy.ndarray
        ``sum over s in sources of delta_s(v)`` (Brandes' dependency of ``s`` on ``v``): divide by
        2 for undirected betweenness when every node is a source.
    inverse_distance : numpy.ndarray
        ``sum over s in sources, s != v, of 1/d(s, v)`` (0 for unreachable pairs).
    """
    with _LOCK:
        return _run(
            np.ascontiguousarray(indptr, dtype=np.int64),
            np.ascontiguousarray(indices, dtype=np.int64),
            np.ascontiguousarray(weights, dtype=np.float64),
            np.asarray(sources, dtype=np.int64),
            bool(weighted),
        )


@njit(cache=True, nogil=True)
def _bfs_sums(indptr, indices, sources):
    n = indptr.shape[0] - 1
    dist = np.full(n, -1, np.int64)
    queue = np.empty(n, np.int64)
    total = 0.0
    pairs = 0
    far = np.zeros(sources.shape[0], np.int64)
    far_node = np.zeros(sources.shape[0], np.int64)
    for si in range(sources.shape[0]):
        s = sources[si]
        dist[s] = 0
        queue[0] = s
        count = 1
        head = 0
        while head < count:
            v = queue[head]
            head += 1
            for e in range(indptr[v], indptr[v + 1]):
                x = indices[e]
                if dist[x] < 0:
                    dist[x] = dist[v] + 1
                    queue[count] = x
                    count += 1
        last = queue[count - 1]
        far[si] = dist[last]
        far_node[si] = last
        for j in range(count):
            total += dist[queue[j]]
            dist[queue[j]] = -1
        pairs += count - 1
    return total, pairs, far, far_node


def hop_distances(indptr: np.ndarray, indices: np.ndarray, sources: np.ndarray
                  ) -> tuple[float, int, np.ndarray, np.ndarray]:
    """Breadth-first searches from ``sources``: summed hop distance to every reachable node,
    the number of such (source, node) pairs, and each source's eccentricity and farthest node.
    """
    return _bfs_sums(np.ascontiguousarray(indptr, dtype=np.int64),
                     np.ascontiguousarray(indices, dtype=np.int64),
                     np.asarray(sources, dtype=np.int64))
