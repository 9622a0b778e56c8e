"""The list that is served is the list that is measured; a backtest by date reads no later record;
a fitted model survives a restart."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from stores import build_sample_db

import graphsvc
from graphsvc.analysis.seek import TieRecommender
from graphsvc.analysis.seek.backtest import (
    date_split,
    evaluate_split,
    records_before,
    sector_codes,
    training_graph,
)
from graphsvc.analysis.seek.candidates import Adjacency
from graphsvc.analysis.seek.indices import candidate_features, pair_features
from graphsvc.analysis.seek.scorer import split_edges
from graphsvc.config import Settings
from graphsvc.model.network import build_graph
from graphsvc.store import open_store

CUTOFF = "2024-01-01"


def _split(G: nx.Graph, seed: int) -> tuple[Adjacency, Adjacency, np.ndarray, np.ndarray]:
    full = Adjacency.from_graph(G)
    hu, hv, keep = split_edges(full, 0.1, seed=seed)
    eu, ev = full.edges()
    train = Adjacency.from_edges(full.nodes, eu[keep], ev[keep], index=full.index)
    return full, train, hu, hv


@pytest.mark.parametrize("method", ["auto", "learned"])
def test_served_list_equals_the_list_the_backtest_scores(method: str) -> None:
    G = nx.les_miserables_graph()
    full, train, hu, hv = _split(G, seed=4)
    rows = evaluate_split(full, train, hu, hv, methods=[method], k=30, seed=4, keep_lists=True)
    # serving: a recommender built, as the service builds one, on the training graph alone
    served = TieRecommender(training_graph(train, None), method=method, seed=4)
    listed = [(r.source, r.target) for r in served.recommend(top=30, rank="likely")]
    assert rows[0]["served"] == listed and len(listed) == 30
    n = full.n
    hidden = set((np.minimum(hu, hv) * n + np.maximum(hu, hv)).tolist())
    idx = full.index
    hits = sum(min(idx[a], idx[b]) * n + max(idx[a], idx[b]) in hidden for a, b in listed)
    assert rows[0]["precision_at_k"] == hits / 30


def test_network_wide_serving_counts_three_step_paths_the_model_was_fitted_on() -> None:
    G = nx.les_miserables_graph()
    rec = TieRecommender(G, method="learned", seed=1)
    assert rec.three
    near = rec.candidates(None, max_distance=2)  # distance-2 pairs only, features in full
    assert near.a3.any() and set(np.unique(near.dist)) == {2.0}
    # the same pairs' features computed one by one, as the fit computes them
    again = pair_features(rec.adj, near.u, near.v, three=True)
    np.testing.assert_array_equal(near.a3, again.a3)
    assert len(candidate_features(rec.adj, three=True, max_distance=3)) > len(near)


def _dated_sample(tmp_path) -> graphsvc.model.records.RecordBatch:
    store = open_store(f"sqlite:///{build_sample_db(tmp_path / 'sample.db')}")
    try:
        return store.read_records()
    finally:
        store.close()


def test_a_backtest_before_a_date_never_sees_a_later_record(tmp_path) -> None:
    records = _dated_sample(tmp_path)
    past = records_before(records, CUTOFF)
    starts = set(past.events["event_id"])
    assert (past.events["start_date"] < CUTOFF).all()
    assert set(past.attendance["event_id"]) <= starts
    dated = past.collaborations["start_date"].fillna("")
    assert ((dated == "") | (dated < CUTOFF)).all()
    # attendance at a later event is in the records but not in what the backtest trains on
    later = set(records.events.loc[records.events["start_date"] >= CUTOFF, "event_id"])
    assert later and records.attendance["event_id"].isin(later).any()
    assert not past.attendance["event_id"].isin(later).any()
    # the training graph is exactly the graph of the earlier records, whatever came later
    full, train, hu, hv, _ = date_split(records, CUTOFF)
    G_past = build_graph(past)
    eu, ev = train.edges()
    trained = {frozenset((train.nodes[a], train.nodes[b]))
               for a, b in zip(eu.tolist(), ev.tolist(), strict=True)}
    assert trained == {frozenset(e) for e in G_past.edges()}
    changed = records.attendance.copy()
    swap = changed["event_id"].isin(later)
    changed.loc[swap, "org_id"] = changed.loc[swap, "org_id"].sample(
        frac=1.0, random_state=0).to_numpy()
    records2 = type(records)(organisations=records.organisations, events=records.events,
                             attendance=changed, collaborations=records.collaborations,
                             sectors=records.sectors)
    _, train2, *_ = date_split(records2, CUTOFF)
    e2u, e2v = train2.edges()
    assert {frozenset((train2.nodes[a], train2.nodes[b]))
            for a, b in zip(e2u.tolist(), e2v.tolist(), strict=True)} == trained


def test_an_undated_collaboration_is_known_before_and_never_a_test_positive(tmp_path) -> None:
    records = _dated_sample(tmp_path)
    collabs = records.collaborations.copy()
    first = collabs.index[0]
    collabs.loc[first, "start_date"] = None
    undated = frozenset((collabs.loc[first, "org_a_id"], collabs.loc[first, "org_b_id"]))
    batch = type(records)(organisations=records.organisations, events=records.events,
                          attendance=records.attendance, collaborations=collabs,
                          sectors=records.sectors)
    full, train, hu, hv, _ = date_split(batch, CUTOFF)
    hidden = {frozenset((full.nodes[a], full.nodes[b]))
              for a, b in zip(hu.tolist(), hv.tolist(), strict=True)}
    assert undated not in hidden
    assert train.has_edge(np.array([full.index[x] for x in sorted(undated)][:1]),
                          np.array([full.index[x] for x in sorted(undated)][1:]))[0]


def test_a_fitted_model_is_saved_and_read_back_after_a_restart(tmp_path) -> None:
    url = f"sqlite:///{build_sample_db(tmp_path / 'sample.db')}"
    settings = Settings(store_url=url, model_cache=str(tmp_path / "models"))
    first = graphsvc.open(url, settings=settings)
    shelf = first._analyses().seek.shelf
    ties = first.tie_list(top=20, lang="en")
    assert (shelf.saves, shelf.loads) == (1, 0)
    assert len(list((tmp_path / "models").glob("*.npz"))) == 1
    again = graphsvc.open(url, settings=settings)  # nothing in memory, as after a restart
    assert again.tie_list(top=20, lang="en") == ties
    assert (shelf.saves, shelf.loads) == (1, 1)  # read back, not fitted and saved again


def test_model_bytes_round_trip_gives_the_same_scores() -> None:
    G = nx.les_miserables_graph()
    rec = TieRecommender(G, seed=2)
    copy = TieRecommender(G, seed=2, model=rec.model_bytes())
    a = [(r.source, r.target, r.score, r.likelihood, r.method) for r in rec.recommend(top=15)]
    b = [(r.source, r.target, r.score, r.likelihood, r.method) for r in copy.recommend(top=15)]
    assert a == b
    assert copy.selection == rec.selection


def test_sector_codes_and_training_graph_keep_the_sectors() -> None:
    G = nx.path_graph(4)
    for u, s in zip(G, ["GOV", "GOV", "MED", None], strict=True):
        if s:
            G.nodes[u]["sector"] = s
    adj = Adjacency.from_graph(G)
    codes = sector_codes(G, adj.nodes)
    H = training_graph(adj, codes)
    assert pd.Series([H.nodes[u].get("sector") for u in H]).nunique() == 2


def test_calibration_is_monotone_and_matches_the_observed_shares() -> None:
    from graphsvc.analysis.seek.select import Calibration

    rng = np.random.default_rng(0)
    score = rng.random(20_000)
    hit = rng.random(20_000) < score**2  # the true share of ties is score²
    cal = Calibration.fit(score, hit)
    assert np.all(np.diff(cal.y) >= 0)
    for s in (0.2, 0.5, 0.9):
        assert cal(np.array([s]))[0] == pytest.approx(s**2, abs=0.05)


def test_inner_precision_breaks_ties_at_the_cut_at_random_but_counts_exactly() -> None:
    from graphsvc.analysis.seek.select import _precision

    scores = np.array([3.0, 2.0, 2.0, 2.0, 1.0])
    hits = np.array([True, True, False, False, True])
    assert _precision(scores, hits, 1, 0) == 1.0
    got = {_precision(scores, hits, 2, seed) for seed in range(20)}
    assert got == {0.5, 1.0}
    assert _precision(scores, hits, 4, 0) == 0.5


def test_default_names_its_choice_and_the_inner_figures_behind_it() -> None:
    rec = TieRecommender(nx.les_miserables_graph(), seed=0)
    sel = rec.selection
    assert sel["by"] == "inner backtest" and sel["method"] in sel["precision_at_k"]
    assert {"learned", "common_neighbours", "learned+common_neighbours"} <= set(
        sel["precision_at_k"])
    for r in rec.recommend(top=20):
        assert r.method in ("learned", sel["method"]) and r.selection == sel
