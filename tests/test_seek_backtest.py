"""Backtest: splits, AUC and precision@k, determinism, and the learned scorer on a real graph."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from graphsvc.analysis.seek import backtest, backtest_by_date, summarise_backtest
from graphsvc.analysis.seek.backtest import auc_score, precision_at_k
from graphsvc.analysis.seek.candidates import Adjacency
from graphsvc.analysis.seek.scorer import fit_logistic, split_edges
from graphsvc.errors import InvalidInput
from graphsvc.model.records import RecordBatch


def test_auc_counts_ties_half() -> None:
    assert auc_score(np.array([1.0, 0.0]), np.array([0.0])) == 0.75
    assert auc_score(np.array([2.0, 3.0]), np.array([1.0, 0.0])) == 1.0
    assert auc_score(np.array([0.0]), np.array([1.0])) == 0.0


def test_precision_at_k() -> None:
    scores = np.array([0.9, 0.8, 0.7, 0.1])
    hits = np.array([True, False, True, True])
    assert precision_at_k(scores, hits, 2, seed=0) == 0.5
    assert precision_at_k(scores, hits, 3, seed=0) == pytest.approx(2 / 3)


def test_logistic_regression_recovers_a_known_slope() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=20_000)
    y = (rng.random(20_000) < 1 / (1 + np.exp(-(0.5 + 2.0 * x)))).astype(float)
    m = fit_logistic(x[:, None], y, l2=1e-6)
    assert m.coef[0] / m.scale[0] == pytest.approx(2.0, rel=0.05)
    assert m.intercept - m.coef[0] * m.mean[0] / m.scale[0] == pytest.approx(0.5, abs=0.05)


def test_connected_split_keeps_every_component_whole() -> None:
    G = nx.les_miserables_graph()
    adj = Adjacency.from_graph(G)
    hu, hv, keep = split_edges(adj, 0.2, seed=1, keep_connected=True)
    eu, ev = adj.edges()
    H = nx.Graph()
    H.add_nodes_from(range(adj.n))
    H.add_edges_from(zip(eu[keep].tolist(), ev[keep].tolist(), strict=True))
    assert nx.number_connected_components(H) == nx.number_connected_components(G)
    assert len(hu) == round(0.2 * G.number_of_edges())


def test_backtest_is_deterministic_for_a_seed() -> None:
    G = nx.les_miserables_graph()
    a = backtest(G, seeds=[3], methods=["learned", "resource_allocation", "random"])
    b = backtest(G, seeds=[3], methods=["learned", "resource_allocation", "random"])
    cols = ["seed", "method", "auc", "precision_at_k", "k", "hidden"]
    pd.testing.assert_frame_equal(a[cols], b[cols])


def test_learned_scorer_beats_random_by_a_wide_margin_on_karate() -> None:
    G = nx.karate_club_graph()
    df = backtest(G, share=0.1, seeds=5, methods=["learned", "random"])
    s = summarise_backtest(df).set_index("method")
    assert s.loc["learned", "auc_mean"] > 0.70
    assert s.loc["learned", "auc_mean"] - s.loc["random", "auc_mean"] > 0.2
    assert set(s.columns) >= {"auc_std", "precision_mean", "precision_std", "seconds_mean"}


def test_resource_allocation_auc_on_karate_matches_a_direct_computation() -> None:
    G = nx.karate_club_graph()
    df = backtest(G, seeds=[0], methods=["resource_allocation"])
    adj = Adjacency.from_graph(G)
    hu, hv, keep = split_edges(adj, 0.1, seed=0)
    eu, ev = adj.edges()
    train = nx.Graph()
    train.add_nodes_from(G)
    train.add_edges_from((adj.nodes[a], adj.nodes[b])
                         for a, b in zip(eu[keep].tolist(), ev[keep].tolist(), strict=True))
    pos = [s for *_, s in nx.resource_allocation_index(
        train, [(adj.nodes[a], adj.nodes[b]) for a, b in zip(hu, hv, strict=True)])]
    assert df["hidden"].iloc[0] == len(pos) == round(0.1 * 78)
    assert 0.5 < df["auc"].iloc[0] <= 1.0
    assert df["hidden_in_candidates"].iloc[0] == sum(1 for p in pos if p > 0) + sum(
        1 for a, b in zip(hu, hv, strict=True)
        if nx.has_path(train, adj.nodes[a], adj.nodes[b])
        and nx.shortest_path_length(train, adj.nodes[a], adj.nodes[b]) == 3)


def _dated_records() -> RecordBatch:
    G = nx.les_miserables_graph()
    names = {u: f"org{i:03d}" for i, u in enumerate(G)}
    orgs = pd.DataFrame({"org_id": list(names.values()), "name_en": list(names),
                         "status": "member"})
    rows = []
    for i, (a, b) in enumerate(sorted(G.edges())):
        x, y = sorted((names[a], names[b]))
        rows.append({"org_a_id": x, "org_b_id": y, "collab_type": "joint_project",
                     "weight": None, "start_date": "2022-01-01" if i % 5 else "2024-03-01",
                     "end_date": None})
    batch = RecordBatch()
    cols = list(batch.organisations.columns)
    batch.organisations = orgs.reindex(columns=cols)
    batch.collaborations = pd.DataFrame(rows).reindex(columns=list(batch.collaborations.columns))
    return batch


def test_backtest_by_date_hides_what_came_later() -> None:
    batch = _dated_records()
    df = backtest_by_date(batch, "2024-01-01", seeds=2,
                          methods=["learned", "common_neighbours", "random"])
    later = int((batch.collaborations["start_date"] >= "2024-01-01").sum())
    assert set(df["hidden"]) == {later}
    assert df["split"].iloc[0] == "before 2024-01-01"
    with pytest.raises(InvalidInput):
        backtest_by_date(batch, "2030-01-01", seeds=1, methods=["random"])


def test_backtest_refuses_bad_input() -> None:
    G = nx.karate_club_graph()
    with pytest.raises(InvalidInput):
        backtest(G, share=1.5)
    with pytest.raises(InvalidInput):
        backtest(G, methods=["katz"], seeds=1)
    with pytest.raises(InvalidInput):
        backtest(nx.path_graph(4))
