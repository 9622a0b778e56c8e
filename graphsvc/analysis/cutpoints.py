"""Compiled depth-first search for articulation points, bridges and who each cut-point cuts off.

One iterative DFS per component (Hopcroft & Tarjan 1973) records discovery times, low points
and subtree sizes. A child subtree with ``low >= disc[v]`` falls away from the rest when ``v``
leaves; so, removing ``v`` from a component of ``T`` nodes leaves pieces of those subtree sizes
and the rest, and everything outside the largest remaining piece is cut off from it. A tree edge
``(v, c)`` is a bridge when ``low[c] > disc[v]``. ``O(n + m)`` time and memory.

The search is compiled by numba (cached on disk) for graphs of
:data:`~graphsvc.analysis.kernels.COMPILED_MIN_NODES` nodes or more; smaller graphs run the same
function as plain Python, which takes milliseconds there while loading numba takes far longer.

References
----------
.. [1] J. Hopcroft and R. Tarjan, "Algorithm 447: efficient algorithms for graph manipulation",
   Communications of the ACM 16(6), 372–378, 1973.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

from graphsvc.analysis.kernels import use_compiled

__all__ = ["compiled_dfs", "cut_structure"]


def _dfs(indptr, indices):
    n = indptr.shape[0] - 1
    disc = np.full(n, -1, np.int64)
    low = np.zeros(n, np.int64)
    parent = np.full(n, -1, np.int64)
    size = np.ones(n, np.int64)
    sep = np.zeros(n, np.int64)
    maxpiece = np.zeros(n, np.int64)
    comp_size = np.zeros(n, np.int64)
    cut_off = np.zeros(n, np.int64)
    bridge_child = np.zeros(n, np.bool_)
    nxt = indptr[:-1].copy()
    stack = np.empty(n, np.int64)
    members = np.empty(n, np.int64)
    t = 0
    for r in range(n):
        if disc[r] != -1:
            continue
        top = 0
        stack[0] = r
        disc[r] = t
        low[r] = t
        t += 1
        count = 0
        members[count] = r
        count += 1
        while top >= 0:
            v = stack[top]
            if nxt[v] < indptr[v + 1]:
                x = indices[nxt[v]]
                nxt[v] += 1
                if disc[x] == -1:
                    parent[x] = v
                    disc[x] = t
                    low[x] = t
                    t += 1
                    top += 1
                    stack[top] = x
                    members[count] = x
                    count += 1
                elif x != parent[v] and disc[x] < low[v]:
                    low[v] = disc[x]
            else:
                top -= 1
                p = parent[v]
                if p >= 0:
                    size[p] += size[v]
                    if low[v] < low[p]:
                        low[p] = low[v]
                    if low[v] >= disc[p]:
                        sep[p] += size[v]
                        if size[v] > maxpiece[p]:
                            maxpiece[p] = size[v]
                    if low[v] > disc[p]:
                        bridge_child[v] = True
        total = count
        for j in range(count):
            v = members[j]
            comp_size[v] = total
            if sep[v] > 0:
                if v == r:
                    children = 0
                    for e in range(indptr[r], indptr[r + 1]):
                        if parent[indices[e]] == r:
                            children += 1
                    if children < 2:
                        continue
                rest = total - 1 - sep[v]
                largest = maxpiece[v] if maxpiece[v] > rest else rest
                cut_off[v] = total - 1 - largest
    return cut_off, comp_size, bridge_child, parent


@functools.cache
def compiled_dfs() -> Callable:
    from numba import njit

    return njit(cache=True, nogil=True)(_dfs)


def cut_structure(indptr: np.ndarray, indices: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Cut-off counts, component sizes and bridges of a symmetric CSR graph.

    Returns
    -------
    cut_off : numpy.ndarray
        For each node, how many others of its component would be separated from the largest
        remaining piece if it left (0 unless it is an articulation point).
    component_size : numpy.ndarray
        Size of each node's connected component.
    bridge_child, parent : numpy.ndarray
        ``(parent[c], c)`` is a bridge for every ``c`` with ``bridge_child[c]``.
    """
    dfs = compiled_dfs() if use_compiled(len(indptr) - 1) else _dfs
    return dfs(np.ascontiguousarray(indptr, dtype=np.int64),
               np.ascontiguousarray(indices, dtype=np.int64))
