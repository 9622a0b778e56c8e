"""Tie recommendations: candidates, scores, cross-sector preference and readable reasons."""

from __future__ import annotations

import networkx as nx
import pytest

from graphsvc.analysis.seek import TieRecommender, recommend_ties
from graphsvc.errors import InvalidInput, UnknownOrganisation


def rayong() -> nx.Graph:
    """A temple and a radio station that both work with the culture office and a school."""
    G = nx.Graph()
    orgs = {
        "GOV1": ("สำนักงานวัฒนธรรมจังหวัดระยอง", "GOV"),
        "EDU1": ("โรงเรียนวัดป่าประดู่", "EDU"),
        "REL1": ("วัดป่าประดู่", "REL"),
        "MED1": ("สถานีวิทยุกระจายเสียงระยอง", "MED"),
        "REL2": ("วัดลุ่มมหาชัยชุมพล", "REL"),
        "CIV1": ("ชมรมผู้สูงอายุบ้านเพ", "CIV"),
    }
    for org_id, (name, sector) in orgs.items():
        G.add_node(org_id, name=name, sector=sector, province="TH-21", status="member")
    for a, b in [("REL1", "GOV1"), ("REL1", "EDU1"), ("MED1", "GOV1"), ("MED1", "EDU1"),
                 ("REL2", "REL1"), ("CIV1", "GOV1"), ("GOV1", "EDU1")]:
        G.add_edge(a, b, weight=1.0, distance=1.0)
    return G


def test_reasons_name_the_shared_partners_and_the_first_sector_tie() -> None:
    G = rayong()
    recs = TieRecommender(G, method="resource_allocation").recommend("MED1", top=5, lang="en")
    first = recs[0]
    assert {first.source, first.target} == {"MED1", "REL1"}
    text = " | ".join(first.reasons)
    assert "สำนักงานวัฒนธรรมจังหวัดระยอง" in text and "โรงเรียนวัดป่าประดู่" in text
    assert "both already work with" in text
    assert "first tie between the Mass media and Religion sectors in Rayong" in text
    assert first.source_name == "สถานีวิทยุกระจายเสียงระยอง"


def test_reasons_in_thai() -> None:
    recs = recommend_ties(rayong(), "MED1", top=1, method="resource_allocation", lang="th")
    text = " ".join(recs[0].reasons)
    assert "ทั้งสองทำงานร่วมกับ" in text
    assert "ภาคสื่อมวลชนกับภาคศาสนาในจังหวัดระยอง" in text


def test_per_organisation_results_all_involve_it_and_are_untied() -> None:
    G = nx.karate_club_graph()
    rec = TieRecommender(G, method="adamic_adar")
    recs = rec.recommend(0, top=50, rank="likely")
    assert recs and all(0 in (r.source, r.target) for r in recs)
    assert all(not G.has_edge(r.source, r.target) for r in recs)
    scores = [r.score for r in recs]
    assert scores == sorted(scores, reverse=True)
    want = dict(((u, v), s) for u, v, s in nx.adamic_adar_index(G, [(0, r.target) for r in recs]))
    for r in recs:
        assert r.score == pytest.approx(want[(0, r.target)])


def test_network_wide_top_k_is_the_k_best_by_the_index() -> None:
    G = nx.karate_club_graph()
    recs = TieRecommender(G, method="resource_allocation").recommend(top=5)
    best = sorted(nx.resource_allocation_index(G), key=lambda t: -t[2])[:5]
    assert [round(r.score, 9) for r in recs] == [round(s, 9) for _, _, s in best]


def test_cross_sector_preference_lifts_the_cross_sector_pair() -> None:
    G = nx.Graph()
    for u, s in [("a", "GOV"), ("b", "GOV"), ("c", "MED"), ("hub", "CIV")]:
        G.add_node(u, name=u, sector=s, province="TH-21")
    G.add_edges_from([("a", "hub"), ("b", "hub"), ("c", "hub")])
    rec = TieRecommender(G, method="common_neighbours", communities=False)
    plain = rec.recommend("a", top=2, rank="likely")
    boosted = rec.recommend("a", top=2, cross_boost=1.5, rank="likely")
    assert [r.score for r in plain] == [1.0, 1.0]
    assert boosted[0].target == "c" and boosted[0].score == 1.5


def test_learned_scorer_runs_on_a_tiny_graph_and_leaves_it_unchanged() -> None:
    G = rayong()
    before = nx.to_dict_of_dicts(G), dict(G.nodes(data=True))
    recs = TieRecommender(G, seed=3, method="learned").recommend(top=3, lang="en")
    assert recs and all(0.0 <= r.score <= 1.0 and r.reasons for r in recs)
    default = TieRecommender(G, seed=3).recommend(top=3, lang="en")
    assert default and all(0.0 <= r.likelihood <= 1.0 and r.method for r in default)
    assert (nx.to_dict_of_dicts(G), dict(G.nodes(data=True))) == before


def test_learned_scorer_is_deterministic_for_a_seed() -> None:
    G = nx.les_miserables_graph()
    a = [(r.source, r.target, r.score) for r in TieRecommender(G, seed=7).recommend(top=10)]
    b = [(r.source, r.target, r.score) for r in TieRecommender(G, seed=7).recommend(top=10)]
    assert a == b


def test_province_filter_keeps_pairs_inside_the_province() -> None:
    G = rayong()
    G.add_node("X", name="x", sector="GOV", province="TH-20")
    G.add_edge("X", "GOV1", weight=1.0, distance=1.0)
    recs = TieRecommender(G, method="resource_allocation").recommend(top=20, province="TH-21")
    assert recs and all("X" not in (r.source, r.target) for r in recs)


def test_bad_arguments_are_refused_at_the_door() -> None:
    G = rayong()
    with pytest.raises(InvalidInput):
        TieRecommender(G, method="katz")
    rec = TieRecommender(G, method="jaccard")
    with pytest.raises(UnknownOrganisation):
        rec.recommend("NOPE")
    with pytest.raises(InvalidInput):
        rec.recommend(top=0)
    with pytest.raises(InvalidInput):
        rec.recommend(lang="fr")
