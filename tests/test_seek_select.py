"""The default scorer's choice of head: a near tie is the rank sum of the tied methods, a clear
winner leads alone, and what the head serves is the rank sum the inner backtest measured."""

from __future__ import annotations

import dataclasses

import networkx as nx
import numpy as np
import pytest

from graphsvc.analysis.seek import TieRecommender
from graphsvc.analysis.seek.indices import candidate_features, index_scores
from graphsvc.analysis.seek.saved import load_model, model_bytes
from graphsvc.analysis.seek.scorer import learned_scores
from graphsvc.analysis.seek.select import (
    InnerSplit,
    _network_head,
    _rank_share,
    choose_head,
    default_scores,
)

METHODS = ("resource_allocation", "adamic_adar", "common_neighbours", "local_path")
PAIRS, K, SPLITS = 5000, 200, 6


def _ranked(rng: np.random.Generator, hits: np.ndarray, found: int) -> np.ndarray:
    """Scores whose best ``K`` pairs hold exactly ``found`` hidden ties (the rest at random)."""
    pos, neg = np.flatnonzero(hits), np.flatnonzero(~hits)
    top = np.concatenate([rng.choice(pos, found, replace=False),
                          rng.choice(neg, K - found, replace=False)])
    scores = rng.random(len(hits))
    scores[top] += 1.0 + rng.random(K)
    return scores


def _splits(found: dict[str, int], seed: int = 0) -> list[InnerSplit]:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(SPLITS):
        hits = np.zeros(PAIRS, dtype=bool)
        hits[rng.choice(PAIRS, 1000, replace=False)] = True
        scores = {m: _ranked(rng, hits, n) for m, n in found.items()}
        out.append(InnerSplit(scores, hits, K, seed + i))
    return out


def test_a_near_tie_is_served_as_the_rank_sum_of_the_tied_methods() -> None:
    # resource allocation finds 100 of 200, Adamic-Adar 98: a gap far inside one standard
    # error (about 1.4 points over six splits); the others are far behind
    splits = _splits({"learned": 40, "resource_allocation": 100, "adamic_adar": 98,
                      "common_neighbours": 60, "local_path": 60})
    sel = choose_head(splits, METHODS, ())
    assert sel["near_tie"] == ["resource_allocation", "adamic_adar"]
    assert sel["method"] == "resource_allocation+adamic_adar"
    mean = sel["precision_at_k"]
    # the figures behind the choice: each tied method's own, and their rank sum's
    assert abs(mean["resource_allocation"] - mean["adamic_adar"]) < sel["standard_error"]
    assert "resource_allocation+adamic_adar" in mean


def test_a_clear_winner_leads_alone_and_a_clearly_better_learned_model_wins() -> None:
    found = {"learned": 40, "resource_allocation": 100, "adamic_adar": 70,
             "common_neighbours": 60, "local_path": 60}
    sel = choose_head(_splits(found), METHODS, ())
    assert sel["method"] == "resource_allocation" and sel["near_tie"] == ["resource_allocation"]
    sel = choose_head(_splits({**found, "learned": 150}), METHODS, ())
    assert sel["method"] == "learned"


def test_a_fusion_must_beat_the_simpler_choice_by_a_standard_error() -> None:
    splits = _splits({"learned": 60, "resource_allocation": 100, "adamic_adar": 60,
                      "common_neighbours": 60, "local_path": 60})
    sel = choose_head(splits, METHODS, METHODS)
    mean, se = sel["precision_at_k"], sel["standard_error"]
    fusions = [m for m in mean if m.startswith("learned+") and m.count("+") == 1]
    assert len(fusions) == len(METHODS)
    best = max(fusions, key=mean.get)
    if sel["method"] == best:
        assert mean[best] >= mean["resource_allocation"] + se
    else:
        assert sel["method"] == "resource_allocation"
        assert mean[best] < mean["resource_allocation"] + np.sqrt(0.25 / (K * SPLITS))


def test_a_rank_sum_head_serves_the_rank_sum_and_survives_a_restart() -> None:
    G = nx.les_miserables_graph()
    rec = TieRecommender(G, seed=0)
    head = "learned+resource_allocation+adamic_adar"
    adj, model = rec.adj, rec.model
    full, grids = _network_head(model.learned, adj, head, three=model.three,
                                communities=rec.communities, sectors=rec.sector_codes)
    kth = np.sort(full)[-10]
    model = dataclasses.replace(model, head_method=head, head_threshold=float(kth),
                                head_scale=float(full.max()), grids=grids)
    f = candidate_features(adj, three=model.three)
    score, _, in_head = default_scores(model, adj, f, communities=rec.communities,
                                       sectors=rec.sector_codes)
    assert in_head.sum() >= 10
    # the head's order is the rank sum of the three parts among the network's candidates:
    # exact where lists are read (the quantile grids hold every value near the top)
    p = learned_scores(model.learned, adj, f, communities=rec.communities,
                       sectors=rec.sector_codes)
    ranks = (_rank_share(p) + _rank_share(index_scores("resource_allocation", f))
             + _rank_share(index_scores("adamic_adar", f)))
    head_pairs = np.flatnonzero(in_head)
    np.testing.assert_allclose(full[head_pairs], ranks[head_pairs] - 1.5 / len(f), atol=1e-9)
    by_score = head_pairs[np.argsort(-score[head_pairs], kind="stable")]
    assert np.all(np.diff(ranks[by_score]) <= 1e-9)
    again = load_model(model_bytes(model))
    assert again.head_method == head and set(again.grids) == set(head.split("+"))
    score2, _, _ = default_scores(again, adj, f, communities=rec.communities,
                                  sectors=rec.sector_codes)
    np.testing.assert_array_equal(score, score2)


@pytest.mark.parametrize("rank", ["likely", "build"])
def test_a_network_wide_list_scored_block_by_block_is_the_list_scored_at_once(
        monkeypatch: pytest.MonkeyPatch, rank: str) -> None:
    import graphsvc.analysis.seek.indices as indices

    rec = TieRecommender(nx.les_miserables_graph(), seed=1)
    at_once = [r.as_dict() for r in rec.recommend(top=25, rank=rank)]
    monkeypatch.setattr(indices, "BLOCK_WALKS", 300)  # a few dozen blocks of rows
    assert len(list(indices.candidate_blocks(rec.adj, three=rec.three))) > 10
    assert [r.as_dict() for r in rec.recommend(top=25, rank=rank)] == at_once


def test_a_near_tie_on_few_inner_splits_gets_more_splits_before_it_is_settled() -> None:
    from graphsvc.analysis.seek.candidates import Adjacency, candidate_pairs, walk_counts
    from graphsvc.analysis.seek.select import fit_default

    # distance-two candidates only (no budget for three steps), over 50,000 pairs: the fit
    # starts with fewer than six inner splits
    tied = Adjacency.from_graph(nx.random_geometric_graph(2500, 0.06, seed=1))
    clear = Adjacency.from_graph(nx.connected_watts_strogatz_graph(2500, 16, 0.1, seed=1))
    for adj in (tied, clear):
        assert len(candidate_pairs(adj, walk_counts(adj, three=False))) > 50_000
    sel = fit_default(tied, seed=0, walk_budget=0).selection
    assert len(sel["near_tie"]) > 1 and sel["rounds"] == 6
    assert sel["method"] == "+".join(sel["near_tie"])  # no fusion or learned beat the rank sum
    sel = fit_default(clear, seed=0, walk_budget=0).selection
    assert sel["near_tie"] == [sel["method"]] and sel["rounds"] < 6
