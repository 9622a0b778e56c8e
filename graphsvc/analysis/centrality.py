"""Centrality: degree, strength, betweenness, harmonic closeness, eigenvector, PageRank.

Every function takes an undirected NetworkX graph and returns plain data keyed by node. Path
measures read edge lengths from ``distance`` (``1 / weight`` in graphs from
:func:`graphsvc.model.network.build_graph`: a strong tie is a short one) when ``weighted``, and
count hops otherwise.

Betweenness and harmonic closeness are exact up to ``exact_max`` nodes (default 5,000) and
estimated from ``k`` source nodes sampled with ``seed`` above it (Brandes & Pich 2007); the
returned :class:`Estimate` says which in ``method`` (``"exact"`` or ``"sampled k=256 seed=0"``).
The sample is drawn exactly as networkx draws it (``random.Random(seed).sample(list(G), k)``),
so a sampled value equals ``networkx.betweenness_centrality(G, k=k, seed=seed)``.

Eigenvector centrality works on disconnected graphs: it is computed per connected component
(each component's Perron vector, unit Euclidean norm within the component) and scaled by
``sqrt(n_c / n)``, so the whole vector has unit norm and a connected graph gets exactly
networkx's values; isolated nodes get 0.
"""

from __future__ import annotations

import random
from collections.abc import Hashable
from typing import NamedTuple

import networkx as nx
import numpy as np

from graphsvc.analysis.indexed import IndexedGraph, index_graph
from graphsvc.errors import InvalidInput

__all__ = [
    "DEFAULT_EXACT_MAX",
    "DEFAULT_K",
    "Estimate",
    "betweenness",
    "degree",
    "eigenvector",
    "harmonic_closeness",
    "pagerank",
    "path_centralities",
    "strength",
    "two_mode_betweenness",
]

#: Largest graph (nodes) whose betweenness and closeness are computed exactly by default.
DEFAULT_EXACT_MAX = 5000
#: Sampled sources above that size.
DEFAULT_K = 256
#: Largest component whose eigenvector is solved densely (ARPACK above).
DENSE_EIGEN_MAX = 64


class Estimate(NamedTuple):
    """Values per node and how they were obtained (``"exact"`` or ``"sampled k=… seed=…"``)."""

    values: dict[Hashable, float]
    method: str


def _check_sampling(exact_max: int, k: int) -> None:
    if exact_max < 0:
        raise InvalidInput(f"exact_max must be 0 or more, not {exact_max}")
    if k < 1:
        raise InvalidInput(f"k must be at least 1, not {k}")


def degree(G: nx.Graph) -> dict[Hashable, int]:
    """Number of partners of each organisation."""
    return dict(G.degree())


def strength(G: nx.Graph, *, weight: str = "weight") -> dict[Hashable, float]:
    """Sum of tie weights of each organisation (Barrat et al., PNAS 101:3747, 2004)."""
    return dict(G.degree(weight=weight))


def path_centralities(
    ig: IndexedGraph,
    *,
    weighted: bool = True,
    exact_max: int = DEFAULT_EXACT_MAX,
    k: int = DEFAULT_K,
    seed: int = 0,
    normalized: bool = True,
) -> tuple[np.ndarray, np.ndarray, str]:
    """Betweenness and harmonic closeness from one Brandes pass (arrays over ``ig.nodes``).

    Returns ``(betweenness, harmonic, method)``. Betweenness is normalised as networkx does
    (``endpoints=False``; divided by ``(n-1)(n-2)``, or with sampled sources by ``k(n-2)``, and
    ``(k-1)(n-2)`` for the sampled nodes themselves). Harmonic closeness is the mean of
    ``1/d(s, v)`` over the ``n-1`` other nodes (over the sampled sources other than ``v`` when
    sampled); with ``normalized=False`` it is the sum over the other nodes, as networkx gives.
    """
    from graphsvc.analysis.kernels import use_compiled

    if use_compiled(ig.n):
        from graphsvc.analysis.brandes import paths_from_sources
    else:
        from graphsvc.analysis.paths import paths_from_sources
    _check_sampling(exact_max, k)
    n = ig.n
    if n <= exact_max or k >= n:
        sources = np.arange(n)
        method = "exact"
        in_sample = np.ones(n, bool)
    else:
        picked = random.Random(seed).sample(range(n), k)
        sources = np.asarray(picked, dtype=np.int64)
        method = f"sampled k={k} seed={seed}"
        in_sample = np.zeros(n, bool)
        in_sample[sources] = True
    lengths = ig.csr_length() if weighted else np.ones(len(ig.indices))
    dep, inv = paths_from_sources(ig.indptr, ig.indices, lengths, sources, weighted=weighted)
    ks = len(sources)
    others = np.where(in_sample, ks - 1, ks).astype(float)  # sampled sources other than v
    with np.errstate(divide="ignore", invalid="ignore"):
        if n <= 2:
            bc = np.zeros(n)
        elif normalized:
            bc = dep / (others * (n - 2))
        else:
            bc = dep * (n - 1) / (2 * others)
        harm = inv / others if normalized else inv * (n - 1) / others
    bc = np.nan_to_num(bc, nan=0.0, posinf=0.0)
    harm = np.nan_to_num(harm, nan=0.0, posinf=0.0)
    return bc, harm, method


def betweenness(
    G: nx.Graph,
    *,
    weighted: bool = True,
    distance: str = "distance",
    exact_max: int = DEFAULT_EXACT_MAX,
    k: int = DEFAULT_K,
    seed: int = 0,
    normalized: bool = True,
) -> Estimate:
    """Shortest-path betweenness of every node, exact or from sampled sources.

    Parameters
    ----------
    G : networkx.Graph
    weighted : bool
        Shortest paths over edge ``distance`` if true, over hops if false.
    distance : str
        Edge length attribute (missing lengths are ``1 / weight``, or 1).
    exact_max : int
        Exact for graphs of at most this many nodes; above, ``k`` sampled sources.
    k, seed : int
        Sample size and seed for large graphs (networkx's own sampling).
    normalized : bool
        Divide by the number of node pairs, as networkx does.

    Returns
    -------
    Estimate
        Values equal to ``networkx.betweenness_centrality(G, k=None or k, weight=distance or
        None, seed=seed)`` and the method used.

    References
    ----------
    .. [1] U. Brandes, "A faster algorithm for betweenness centrality", J. Math. Sociol. 25,
       163–177, 2001.
    .. [2] U. Brandes and C. Pich, "Centrality estimation in large networks", Int. J.
       Bifurcation and Chaos 17(7), 2303–2318, 2007.

    Examples
    --------
    >>> round(betweenness(nx.florentine_families_graph()).values["Medici"], 3)
    0.522
    """
    ig = index_graph(G, distance=distance)
    bc, _, method = path_centralities(ig, weighted=weighted, exact_max=exact_max, k=k,
                                      seed=seed, normalized=normalized)
    return Estimate(ig.to_dict(bc), method)


def harmonic_closeness(
    G: nx.Graph,
    *,
    weighted: bool = True,
    distance: str = "distance",
    exact_max: int = DEFAULT_EXACT_MAX,
    k: int = DEFAULT_K,
    seed: int = 0,
    normalized: bool = True,
) -> Estimate:
    """Harmonic closeness: the mean (or, unnormalised, the sum) of ``1/d(v, u)`` over others.

    Unreachable organisations contribute 0, so the measure works on disconnected graphs.
    Unnormalised exact values equal ``networkx.harmonic_centrality(G, distance=...)``; sampled
    values average over ``k`` sampled sources (Eppstein & Wang's estimator).

    References
    ----------
    .. [1] M. Marchiori and V. Latora, "Harmony in the small-world", Physica A 285, 539–546, 2000.
    .. [2] D. Eppstein and J. Wang, "Fast approximation of centrality", J. Graph Algorithms and
       Applications 8(1), 39–45, 2004.

    Examples
    --------
    >>> harmonic_closeness(nx.path_graph(3), weighted=False, normalized=False).values[1]
    2.0
    """
    ig = index_graph(G, distance=distance)
    _, harm, method = path_centralities(ig, weighted=weighted, exact_max=exact_max, k=k,
                                        seed=seed, normalized=normalized)
    return Estimate(ig.to_dict(harm), method)


def eigenvector_array(ig: IndexedGraph, *, weighted: bool = True) -> np.ndarray:
    """Per-component eigenvector centrality over ``ig.nodes`` (see the module docstring).

    Components of up to 64 nodes are solved densely (LAPACK), larger ones by ARPACK to
    ``tol=1e-10``: a dense solver's last digits depend on how many threads BLAS runs, ARPACK's
    do not at these sizes, and every surface must give the same numbers.
    """
    from graphsvc.analysis.kernels import use_compiled

    n = ig.n
    x = np.zeros(n)
    if n == 0 or ig.m == 0:
        return x
    labels = ig.components
    sizes = np.bincount(labels)
    if use_compiled(n) or sizes.max() > DENSE_EIGEN_MAX:
        A = ig.adjacency("weight")
        if not weighted:
            A.data[:] = 1.0
    else:  # small components only: one dense matrix, numpy only (no scipy import)
        A = np.zeros((n, n))
        rows = np.repeat(np.arange(n), np.diff(ig.indptr))
        A[rows, ig.indices] = ig.csr_weight() if weighted else 1.0
    order = np.argsort(labels, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    for c in np.flatnonzero(sizes >= 2):
        members = order[bounds[c]:bounds[c + 1]]
        size = len(members)
        if size == 2:
            vec = np.full(2, np.sqrt(0.5))
        else:
            if isinstance(A, np.ndarray):
                _, vecs = np.linalg.eigh(A[np.ix_(members, members)])
                vec = vecs[:, -1]
            elif size <= DENSE_EIGEN_MAX:
                _, vecs = np.linalg.eigh(A[members][:, members].toarray())
                vec = vecs[:, -1]
            else:
                from scipy.sparse.linalg import eigsh

                sub = A[members][:, members]
                _, vecs = eigsh(sub.astype(float), k=1, which="LA", v0=np.ones(size), tol=1e-10)
                vec = vecs[:, 0]
            vec = np.abs(vec) / np.linalg.norm(vec)
        x[members] = vec * np.sqrt(size / n)
    return x


def eigenvector(G: nx.Graph, *, weight: str | None = "weight") -> dict[Hashable, float]:
    """Eigenvector centrality, per connected component (see the module docstring).

    References
    ----------
    .. [1] P. Bonacich, "Power and centrality: a family of measures", American Journal of
       Sociology 92(5), 1170–1182, 1987.

    Examples
    --------
    >>> x = eigenvector(nx.complete_graph(4))
    >>> [round(v, 3) for v in x.values()]
    [0.5, 0.5, 0.5, 0.5]
    """
    ig = index_graph(G, weight=weight, distance=None)
    return ig.to_dict(eigenvector_array(ig, weighted=weight is not None))


def pagerank_array(ig: IndexedGraph, *, alpha: float = 0.85, weighted: bool = True) -> np.ndarray:
    """PageRank over ``ig.nodes`` (igraph's PRPACK solver; dangling nodes teleport uniformly)."""
    if ig.n == 0:
        return np.zeros(0)
    if ig.m == 0:
        return np.full(ig.n, 1.0 / ig.n)
    g = ig.igraph
    values = g.pagerank(damping=alpha, weights="weight" if weighted else None, directed=False)
    return np.asarray(values)


def pagerank(G: nx.Graph, *, alpha: float = 0.85, weight: str | None = "weight"
             ) -> dict[Hashable, float]:
    """PageRank with damping ``alpha``, equal to ``networkx.pagerank`` within its tolerance.

    References
    ----------
    .. [1] S. Brin and L. Page, "The anatomy of a large-scale hypertextual Web search engine",
       Computer Networks and ISDN Systems 30, 107–117, 1998.

    Examples
    --------
    >>> round(pagerank(nx.star_graph(2))[0], 3)
    0.486
    """
    if not 0 < alpha < 1:
        raise InvalidInput(f"alpha must lie between 0 and 1, not {alpha}")
    ig = index_graph(G, weight=weight, distance=None)
    return ig.to_dict(pagerank_array(ig, alpha=alpha, weighted=weight is not None))


def two_mode_betweenness(B: nx.Graph, nodes: set[Hashable] | None = None) -> dict[Hashable, float]:
    """Betweenness in a two-mode (organisation × event) graph, two-mode normalised.

    Each node's raw betweenness is divided by the largest value a node of its mode can reach
    in a bipartite graph of the same mode sizes (Borgatti & Everett 1997), which is what
    ``networkx.algorithms.bipartite.betweenness_centrality`` does. ``nodes`` is one mode; by
    default the nodes with ``bipartite == 0`` (organisations in
    :func:`graphsvc.model.network.bipartite_graph`).

    References
    ----------
    .. [1] S. P. Borgatti and M. G. Everett, "Network analysis of 2-mode data", Social Networks
       19(3), 243–269, 1997.
    .. [2] S. P. Borgatti and D. S. Halgin, "Analyzing affiliation networks", in The SAGE
       Handbook of Social Network Analysis, 417–433, 2011.
    """
    from networkx.algorithms import bipartite

    if nodes is None:
        nodes = {v for v, d in B.nodes(data=True) if d.get("bipartite") == 0}
    if not nodes:
        raise InvalidInput("two-mode betweenness needs the nodes of one mode")
    return bipartite.betweenness_centrality(B, nodes)
