"""Classic link-prediction indices: exact values against networkx's own generators."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest

from graphsvc.analysis.seek.candidates import Adjacency, candidate_pairs, walk_counts
from graphsvc.analysis.seek.indices import INDEX_METHODS, score_pairs
from graphsvc.errors import InvalidInput

NX_INDEX = {
    "resource_allocation": nx.resource_allocation_index,
    "adamic_adar": nx.adamic_adar_index,
    "jaccard": nx.jaccard_coefficient,
    "preferential_attachment": nx.preferential_attachment,
    "common_neighbours": lambda G, ebunch: ((u, v, len(list(nx.common_neighbors(G, u, v))))
                                           for u, v in ebunch),
}


def _graphs() -> list[nx.Graph]:
    kite = nx.krackhardt_kite_graph()
    florentine = nx.florentine_families_graph()
    return [kite, florentine, nx.karate_club_graph(), nx.path_graph(5)]


@pytest.mark.parametrize("method", sorted(NX_INDEX))
@pytest.mark.parametrize("G", _graphs(), ids=["kite", "florentine", "karate", "P5"])
def test_indices_equal_networkx_on_every_untied_pair(G: nx.Graph, method: str) -> None:
    pairs = list(nx.non_edges(G))
    ours = {(u, v): s for u, v, s in score_pairs(G, pairs, method)}
    theirs = {(u, v): s for u, v, s in NX_INDEX[method](G, pairs)}
    assert ours.keys() == theirs.keys()
    for pair, value in theirs.items():
        assert ours[pair] == pytest.approx(value, abs=1e-12), pair


@pytest.mark.parametrize("G", _graphs(), ids=["kite", "florentine", "karate", "P5"])
def test_local_path_counts_paths_of_length_two_and_three(G: nx.Graph) -> None:
    pairs = list(nx.non_edges(G))
    ours = {(u, v): s for u, v, s in score_pairs(G, pairs, "local_path")}
    for u, v in pairs:
        two = sum(1 for _ in nx.all_simple_paths(G, u, v, cutoff=2))
        three = sum(1 for p in nx.all_simple_paths(G, u, v, cutoff=3) if len(p) == 4)
        assert ours[(u, v)] == pytest.approx(two + 0.01 * three), (u, v)


def test_resource_allocation_on_k5_minus_an_edge() -> None:
    G = nx.complete_graph(5)
    G.remove_edge(0, 1)
    # three common neighbours of degree 4 each: 3 * 1/4
    assert score_pairs(G, [(0, 1)], "resource_allocation") == [(0, 1, 0.75)]
    assert score_pairs(G, [(0, 1)], "preferential_attachment") == [(0, 1, 9.0)]


def test_candidates_are_the_untied_pairs_two_or_three_steps_apart() -> None:
    G = nx.krackhardt_kite_graph()
    adj = Adjacency.from_graph(G)
    ps = candidate_pairs(adj, walk_counts(adj))
    got = {(adj.nodes[u], adj.nodes[v]): int(d) for u, v, d in zip(ps.u, ps.v, ps.dist,
                                                                     strict=True)}
    lengths = dict(nx.all_pairs_shortest_path_length(G))
    want = {(u, v): lengths[u][v] for u, v in itertools.combinations(G, 2)
            if lengths[u][v] in (2, 3)}
    assert got == want


def test_per_row_candidates_equal_the_network_wide_ones() -> None:
    G = nx.karate_club_graph()
    adj = Adjacency.from_graph(G)
    everything = candidate_pairs(adj, walk_counts(adj))
    one = candidate_pairs(adj, walk_counts(adj, np.array([5])))
    want = {(u, v) for u, v in zip(everything.u.tolist(), everything.v.tolist(), strict=True)
            if 5 in (u, v)}
    got = {tuple(sorted(p)) for p in zip(one.u.tolist(), one.v.tolist(), strict=True)}
    assert got == want


def test_unknown_index_and_node_are_refused() -> None:
    G = nx.path_graph(3)
    with pytest.raises(InvalidInput):
        score_pairs(G, [(0, 2)], "katz")
    with pytest.raises(InvalidInput):
        score_pairs(G, [(0, 9)], "jaccard")
    assert set(INDEX_METHODS) >= set(NX_INDEX)


def test_candidates_in_blocks_of_rows_are_the_network_wide_ones_each_once() -> None:
    from graphsvc.analysis.seek.indices import candidate_blocks, candidate_features

    adj = Adjacency.from_graph(nx.les_miserables_graph())
    whole = candidate_features(adj, three=True)
    blocks = list(candidate_blocks(adj, three=True, block_walks=500))
    assert len(blocks) > 3
    key = np.concatenate([b.u * adj.n + b.v for b in blocks])
    assert len(np.unique(key)) == len(key) == len(whole)
    order, want = np.argsort(key), np.argsort(whole.u * adj.n + whole.v)
    for name in ("u", "v", "cn", "ra", "aa", "a3", "dist"):
        got = np.concatenate([getattr(b, name) for b in blocks])[order]
        np.testing.assert_array_equal(got, getattr(whole, name)[want])


def test_features_of_many_pairs_read_a_block_of_rows_at_a_time_are_the_same(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import graphsvc.analysis.seek.indices as indices

    adj = Adjacency.from_graph(nx.les_miserables_graph())
    rng = np.random.default_rng(0)
    u, v = rng.integers(0, adj.n, 300), rng.integers(0, adj.n, 300)
    whole = indices.pair_features(adj, u, v, three=True)
    monkeypatch.setattr(indices, "BLOCK_WALKS", 200)
    assert len(indices._row_blocks(adj, np.unique(u), three=True)) > 5
    blocks = indices.pair_features(adj, u, v, three=True)
    for name in ("u", "v", "cn", "ra", "aa", "a3", "du", "dv", "dist"):
        np.testing.assert_array_equal(getattr(blocks, name), getattr(whole, name))
