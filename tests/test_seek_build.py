"""Two rankings: "which ties will form" against "which ties should we build", on the sample."""

from __future__ import annotations

from collections import Counter

import networkx as nx
import pytest
from stores import build_sample_db

from graphsvc.analysis.seek import TieRecommender, what_if
from graphsvc.analysis.seek.build import BrokerLoad, PlaceContext, tie_value
from graphsvc.model.records import GraphFilter
from graphsvc.store import open_store

RAYONG = "TH-21"


@pytest.fixture(scope="module")
def rayong(tmp_path_factory) -> nx.Graph:
    path = build_sample_db(tmp_path_factory.mktemp("build") / "sample.db")
    store = open_store(f"sqlite:///{path}")
    try:
        return store.load_graph(GraphFilter(province=RAYONG))
    finally:
        store.close()


def test_build_list_is_diverse_and_relieves_the_hub_more_than_the_likely_list(rayong) -> None:
    rec = TieRecommender(rayong, seed=0)
    likely = rec.recommend(province=RAYONG, top=10, rank="likely")
    build = rec.recommend(province=RAYONG, top=10)  # a province list ranks "build" by default
    assert len(build) == 10 and {r.rank for r in build} == {"build"}
    seen = Counter(x for r in build for x in (r.source, r.target))
    assert len(seen) >= 8 and max(seen.values()) <= 2
    after = {name: what_if(rayong, ties=[(r.source, r.target) for r in recs])
             for name, recs in (("likely", likely), ("build", build))}
    for name, w in after.items():
        print(f"{name}: largest broker share {w['before']['largest_broker_share']:.4f} -> "
              f"{w['after']['largest_broker_share']:.4f}; cut-points "
              f"{w['before']['cut_points']} -> {w['after']['cut_points']}")
    assert after["build"]["change"]["largest_broker_share"] < \
        after["likely"]["change"]["largest_broker_share"]
    assert after["build"]["change"]["cut_points"] < after["likely"]["change"]["cut_points"]


def test_every_recommendation_says_how_likely_and_what_it_adds_in_both_languages(rayong) -> None:
    rec = TieRecommender(rayong, seed=0)
    for r in rec.recommend(province=RAYONG, top=10, lang="th"):
        assert 0.0 <= r.likelihood <= 1.0 and r.method
        assert "%" in r.summary["th"] and "%" in r.summary["en"]
        assert any("โอกาส" in x for x in r.reasons)
        assert r.selection["method"] in ("learned", *r.selection["precision_at_k"])


def test_broker_load_after_a_tie_equals_a_recomputed_betweenness() -> None:
    G = nx.les_miserables_graph()
    H = nx.Graph(G.edges())
    bc = nx.betweenness_centrality(H)
    hub = max(bc, key=bc.get)
    load = BrokerLoad(H, hub)
    assert load.load == pytest.approx(bc[hub])
    for u, v in [("Napoleon", "Fantine"), ("Child1", "Brujon"), ("Napoleon", "Child1")]:
        assert not H.has_edge(u, v)
        H2 = H.copy()
        H2.add_edge(u, v)
        assert load.after(u, v) == pytest.approx(nx.betweenness_centrality(H2)[hub])
    assert load.after("Cosette", "Valjean") == load.load  # an existing tie changes nothing


def test_value_names_a_sector_gap_and_a_cut_point() -> None:
    G = nx.path_graph(["a", "b", "c"])
    for u, s in zip("abc", ["GOV", "CIV", "MED"], strict=True):
        G.nodes[u]["sector"] = s
    ctx = PlaceContext(G, {u: 0 for u in G})
    v = tie_value(ctx, "a", "c")
    assert v.adds["sector_gap"] == ("GOV", "MED") and v.adds["cut_point"] == ("b",)
