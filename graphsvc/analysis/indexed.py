"""One conversion of a NetworkX graph into arrays, shared by every fast path.

:func:`index_graph` walks the graph's edges once and returns an :class:`IndexedGraph`: the node
list, the edge list as integer arrays with their weights and lengths, and the symmetric CSR
adjacency (each undirected edge stored in both directions). igraph and scipy views are built
from these arrays on demand, never from the NetworkX graph again. Memory is ``O(n + m)``.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from graphsvc.errors import InvalidInput

__all__ = ["IndexedGraph", "import_igraph", "index_graph"]


#: Optional packages igraph imports that analysis never uses: ``matplotlib.pyplot`` (its
#: plotting, about 0.25 s) and ``wcwidth`` (the column widths of its text summaries, 0.03 s).
_IGRAPH_EXTRAS = ("matplotlib", "wcwidth")


def import_igraph() -> Any:
    """The ``igraph`` module, imported without the optional packages of :data:`_IGRAPH_EXTRAS`.

    Each of them not loaded yet is hidden while igraph loads (under the interpreter's import
    lock, so no other thread's import sees it hidden). igraph then does without them in this
    process: no matplotlib plotting backend (its Cairo plotting and everything else work), and
    plain Unicode widths in its text summaries. The packages themselves import normally
    afterwards.
    """
    if "igraph" in sys.modules:
        return sys.modules["igraph"]
    import _imp

    _imp.acquire_lock()
    try:
        hidden = [name for name in _IGRAPH_EXTRAS if name not in sys.modules]
        for name in hidden:
            sys.modules[name] = None  # type: ignore[assignment]  # reads as "not installed"
        try:
            import igraph
        finally:
            for name in hidden:
                if name in sys.modules and sys.modules[name] is None:
                    del sys.modules[name]
    finally:
        _imp.release_lock()
    return igraph


@dataclass(eq=False)
class IndexedGraph:
    """Array form of an undirected graph (see :func:`index_graph`).

    Attributes
    ----------
    nodes : list
        Node keys; node ``i`` of every array is ``nodes[i]``.
    u, v : numpy.ndarray
        Edge end points (``u < v`` is not guaranteed), one entry per undirected edge.
    weight, length : numpy.ndarray
        Each edge's weight (tie strength) and length (for shortest paths).
    indptr, indices, csr_edge : numpy.ndarray
        Symmetric CSR adjacency; ``csr_edge[j]`` is the edge id of CSR entry ``j``.
    """

    nodes: list[Hashable]
    u: np.ndarray
    v: np.ndarray
    weight: np.ndarray
    length: np.ndarray
    indptr: np.ndarray = field(init=False)
    indices: np.ndarray = field(init=False)
    csr_edge: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        n = len(self.nodes)
        src = np.concatenate([self.u, self.v])
        dst = np.concatenate([self.v, self.u])
        eid = np.concatenate([np.arange(len(self.u)), np.arange(len(self.u))])
        order = np.lexsort((dst, src))
        self.indices = dst[order].astype(np.int64)
        self.csr_edge = eid[order].astype(np.int64)
        self.indptr = np.concatenate([[0], np.cumsum(np.bincount(src, minlength=n))]).astype(
            np.int64
        )

    @property
    def n(self) -> int:
        return len(self.nodes)

    @property
    def m(self) -> int:
        return len(self.u)

    def degree(self) -> np.ndarray:
        return np.diff(self.indptr)

    def strength(self) -> np.ndarray:
        n = self.n
        return np.bincount(self.u, self.weight, n) + np.bincount(self.v, self.weight, n)

    def csr_weight(self) -> np.ndarray:
        """Weight of each CSR entry."""
        return self.weight[self.csr_edge]

    def csr_length(self) -> np.ndarray:
        """Length of each CSR entry."""
        return self.length[self.csr_edge]

    def adjacency(self, values: str = "weight") -> Any:
        """The symmetric ``scipy.sparse.csr_array`` of edge ``weight`` or ``length``."""
        from scipy import sparse

        data = self.csr_weight() if values == "weight" else self.csr_length()
        return sparse.csr_array((data, self.indices, self.indptr), shape=(self.n, self.n))

    @functools.cached_property
    def igraph(self) -> Any:
        """An ``igraph.Graph`` over the same node numbering, edge attrs ``weight``, ``length``."""
        ig = import_igraph()
        g = ig.Graph(n=self.n, edges=np.column_stack([self.u, self.v]).tolist())
        g.es["weight"] = self.weight.tolist()
        g.es["length"] = self.length.tolist()
        return g

    @functools.cached_property
    def components(self) -> np.ndarray:
        """Connected-component label of every node (labels by first node, 0-based)."""
        from graphsvc.analysis.kernels import use_compiled

        if use_compiled(self.n):  # a large graph: scipy's C search
            from scipy.sparse.csgraph import connected_components

            _, labels = connected_components(self.adjacency(), directed=False)
            return labels
        labels = np.full(self.n, -1, np.int64)  # a small one: no scipy import for this
        indptr, indices = self.indptr.tolist(), self.indices.tolist()
        label = 0
        for root in range(self.n):
            if labels[root] >= 0:
                continue
            labels[root] = label
            stack = [root]
            while stack:
                v = stack.pop()
                for x in indices[indptr[v]:indptr[v + 1]]:
                    if labels[x] < 0:
                        labels[x] = label
                        stack.append(x)
            label += 1
        return labels

    def to_dict(self, values: np.ndarray) -> dict[Hashable, float]:
        return dict(zip(self.nodes, values.tolist(), strict=True))


def index_graph(
    G: nx.Graph, *, weight: str | None = "weight", distance: str | None = "distance"
) -> IndexedGraph:
    """Array form of ``G`` for the fast paths.

    Parameters
    ----------
    G : networkx.Graph
        Undirected simple graph (self-loops are ignored).
    weight : str or None
        Edge attribute with the tie strength; ``None`` (or a missing attribute) means 1.
    distance : str or None
        Edge attribute with the edge length; where missing, ``1 / weight``.
    """
    if G.is_directed() or G.is_multigraph():
        raise InvalidInput("analysis takes an undirected simple graph (networkx.Graph)")
    nodes = list(G)
    index = {node: i for i, node in enumerate(nodes)}
    m = G.number_of_edges()
    u = np.empty(m, np.int64)
    v = np.empty(m, np.int64)
    w = np.ones(m)
    d = np.full(m, np.nan)
    e = 0
    for a, b, data in G.edges(data=True):
        if a == b:
            continue
        u[e] = index[a]
        v[e] = index[b]
        if weight is not None:
            w[e] = data.get(weight, 1.0)
        if distance is not None and distance in data:
            d[e] = data[distance]
        e += 1
    u, v, w, d = u[:e], v[:e], w[:e], d[:e]
    if np.any(w <= 0) or not np.all(np.isfinite(w)):
        raise InvalidInput(f"edge attribute {weight!r} must be positive and finite")
    d = np.where(np.isnan(d), 1.0 / w, d)
    if np.any(d <= 0):
        raise InvalidInput(f"edge attribute {distance!r} must be positive")
    return IndexedGraph(nodes=nodes, u=u, v=v, weight=w, length=d)
