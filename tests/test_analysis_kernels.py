"""The vectorised shortest-path and cut-point code for small graphs gives the compiled kernels'
numbers (graphsvc.analysis.paths against graphsvc.analysis.brandes and the compiled DFS)."""

from __future__ import annotations

import networkx as nx
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphsvc.analysis import brandes, cutpoints, kernels, paths
from graphsvc.analysis.indexed import index_graph

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
# Equal lengths along different routes make ties, which is where the two could part.
LENGTHS = [0.5, 1.0, 1.5, 2.0, 1 / 3, 0.25, 2 / 3, 0.1, 0.2, 0.3]


@st.composite
def indexed_graphs(draw, max_nodes: int = 30):
    n = draw(st.integers(1, max_nodes))
    G = nx.gnp_random_graph(n, draw(st.floats(0.0, 0.5)), seed=draw(st.integers(0, 10_000)))
    for u, v in G.edges():
        G[u][v]["distance"] = draw(st.sampled_from(LENGTHS))
    return index_graph(G)


@SETTINGS
@given(indexed_graphs(), st.booleans(), st.integers(0, 10_000), st.booleans())
def test_vectorised_paths_equal_the_compiled_kernels(ig, weighted, seed, sampled):
    rng = np.random.default_rng(seed)
    sources = (np.sort(rng.choice(ig.n, size=max(1, ig.n // 3), replace=False)) if sampled
               else np.arange(ig.n))
    args = (ig.indptr, ig.indices, ig.csr_length(), sources)
    dep, inv = paths.paths_from_sources(*args, weighted=weighted)
    dep_c, inv_c = brandes.paths_from_sources(*args, weighted=weighted)
    np.testing.assert_allclose(dep, dep_c, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(inv, inv_c, rtol=1e-12, atol=1e-12)


@SETTINGS
@given(indexed_graphs())
def test_hop_distance_sums_equal_the_compiled_kernel(ig):
    sources = np.arange(ig.n)
    total, pairs, far = paths.hop_distance_sums(ig.indptr, ig.indices, sources)
    total_c, pairs_c, far_c, _ = brandes.hop_distances(ig.indptr, ig.indices, sources)
    assert (total, pairs) == (total_c, pairs_c)
    np.testing.assert_array_equal(far, far_c)


@SETTINGS
@given(indexed_graphs())
def test_plain_cut_points_equal_the_compiled_search(ig):
    plain = cutpoints._dfs(ig.indptr, ig.indices)
    compiled = cutpoints.compiled_dfs()(ig.indptr, ig.indices)
    for a, b in zip(plain, compiled, strict=True):
        np.testing.assert_array_equal(a, b)


def test_the_compiled_kernels_serve_large_graphs_only():
    assert not kernels.use_compiled(kernels.COMPILED_MIN_NODES - 1)
    assert kernels.use_compiled(kernels.COMPILED_MIN_NODES)


@SETTINGS
@given(indexed_graphs(), st.booleans())
def test_vectorised_distances_are_dijkstras_to_the_last_bit(ig, weighted):
    from scipy.sparse.csgraph import dijkstra

    lengths = ig.csr_length() if weighted else np.ones(len(ig.indices))
    sources = np.arange(ig.n)
    expected = dijkstra(ig.adjacency("length") if weighted else ig.adjacency("weight"),
                        directed=True, indices=sources, unweighted=not weighted)
    got = paths._bellman_ford(ig.indptr, ig.indices, lengths, sources)
    np.testing.assert_array_equal(got, np.atleast_2d(expected))


@SETTINGS
@given(indexed_graphs())
def test_small_graph_components_are_scipys(ig):
    from scipy.sparse.csgraph import connected_components

    _, expected = connected_components(ig.adjacency(), directed=False)
    np.testing.assert_array_equal(ig.components, expected)
