"""Recruits, key players (KPP-Pos), sector gaps and what-if."""

from __future__ import annotations

import networkx as nx
import pytest

from graphsvc.analysis.seek import (
    key_player_set,
    reach,
    recommend_recruits,
    recruit_key_players,
    sector_gaps,
    what_if,
)
from graphsvc.errors import InvalidInput, UnknownOrganisation


def province_graph() -> nx.Graph:
    """Rayong members in GOV, EDU, MED (no religion member, one CIV); candidates outside."""
    G = nx.Graph()
    members = {
        "GOV1": ("สำนักงานวัฒนธรรมจังหวัดระยอง", "GOV"),
        "GOV2": ("ที่ว่าการอำเภอเมืองระยอง", "GOV"),
        "EDU1": ("โรงเรียนวัดป่าประดู่", "EDU"),
        "EDU2": ("วิทยาลัยเทคนิคระยอง", "EDU"),
        "MED1": ("สถานีวิทยุกระจายเสียงระยอง", "MED"),
        "CIV1": ("ชมรมผู้สูงอายุบ้านเพ", "CIV"),
    }
    for k, (name, sector) in members.items():
        G.add_node(k, name=name, sector=sector, province="TH-21", status="member")
    G.add_node("REL9", name="วัดลุ่มมหาชัยชุมพล", sector="REL", province="TH-21",
               status="candidate")
    G.add_node("BIZ9", name="บริษัท ระยองคอนกรีต จำกัด", sector="BIZ", province="TH-21",
               status="candidate")
    G.add_node("GOV9", name="เทศบาลนครระยอง", sector="GOV", province="TH-21", status="candidate")
    for a, b in [("GOV1", "GOV2"), ("GOV1", "EDU1"), ("EDU1", "EDU2"), ("GOV2", "EDU2"),
                 ("MED1", "GOV1"), ("CIV1", "GOV2")]:
        G.add_edge(a, b, weight=1.0, distance=1.0)
    G.add_edge("REL9", "EDU1", weight=0.5, distance=2.0)  # they met at an event
    return G


def test_key_player_set_on_a_barbell_picks_one_node_per_bell() -> None:
    G = nx.barbell_graph(4, 3)
    chosen = key_player_set(G, 2, distance=1)
    assert [u for u, _ in chosen] == [3, 7]
    assert sum(g for _, g in chosen) == reach(G, [3, 7], distance=1) == 8


def test_key_player_set_on_a_star_of_stars() -> None:
    # two stars whose centres are joined: at distance 2 one centre reaches everything
    G = nx.Graph([(0, 1), (0, 2), (0, 3), (0, 10), (10, 11), (10, 12)])
    assert key_player_set(G, 1, distance=2) == [(0, 6)]
    assert [u for u, _ in key_player_set(G, 2, distance=1)] == [0, 10]


def test_recruits_are_ranked_by_what_they_add_with_named_reasons() -> None:
    G = province_graph()
    recs = recommend_recruits(G, province="TH-21", lang="en")
    order = [r.org_id for r in recs]
    assert order.index("GOV9") > max(order.index("REL9"), order.index("BIZ9"))
    rel = recs[order.index("REL9")]
    assert rel.adds_sector == "missing"
    text = " | ".join(rel.reasons)
    assert "brings the Religion sector, which Rayong does not have yet" in text
    assert "already attended events with โรงเรียนวัดป่าประดู่" in text
    assert "best introduced by โรงเรียนวัดป่าประดู่" in text
    assert rel.introducers[0] == "EDU1"
    biz = next(r for r in recs if r.org_id == "BIZ9")
    assert biz.adds_sector == "missing" and biz.likely_ties
    gov = next(r for r in recs if r.org_id == "GOV9")
    assert gov.adds_sector is None
    # its likely ties are government members first (same sector and province)
    assert set(gov.likely_ties[:2]) == {"GOV1", "GOV2"}


def test_recruit_reasons_in_thai() -> None:
    recs = recommend_recruits(province_graph(), province="TH-21", lang="th")
    rel = next(r for r in recs if r.org_id == "REL9")
    assert "เพิ่มภาคศาสนา ซึ่งจังหวัดระยองยังไม่มี" in rel.reasons
    assert "เคยร่วมกิจกรรมกับโรงเรียนวัดป่าประดู่แล้ว" in rel.reasons


def test_recruit_key_players_and_bad_input() -> None:
    G = province_graph()
    picks = recruit_key_players(G, 2, province="TH-21", distance=1)
    assert len(picks) == 2 and picks[0][1] >= picks[1][1]
    with pytest.raises(InvalidInput):
        recruit_key_players(G, 0)
    with pytest.raises(InvalidInput):
        recommend_recruits(G, top=0)


def test_sector_gaps_name_missing_sectors_candidates_and_brokers() -> None:
    G = province_graph()
    gaps = sector_gaps(G, "TH-21", lang="en")[0]
    assert gaps["province_name"] == "Rayong"
    missing = {g["sector"]: g for g in gaps["missing"]}
    assert set(missing) == {"REL", "BIZ"}
    assert missing["REL"]["candidates"] == [{"org_id": "REL9", "name": "วัดลุ่มมหาชัยชุมพล"}]
    assert {g["sector"] for g in gaps["thin"]} == {"MED", "CIV"}
    unlinked = {tuple(g["sectors"]): g for g in gaps["unlinked"]}
    # media and civil society have no tie; both government offices touch one side each, GOV1
    # touches media, GOV2 civil society: no single broker. Education–media: GOV1 is the broker.
    assert ("MED", "CIV") in unlinked and unlinked[("MED", "CIV")]["brokers"] == []
    assert [b["org_id"] for b in unlinked[("EDU", "MED")]["brokers"]] == ["GOV1"]
    assert "first tie between the Education, children and youth and Mass media" in \
        unlinked[("EDU", "MED")]["reason"]


def test_what_if_on_a_path() -> None:
    G = nx.path_graph(5)
    snapshot = nx.to_dict_of_dicts(G)
    r = what_if(G, ties=[(0, 4)])
    assert r["before"]["average_distance"] == 2.0
    assert r["after"]["average_distance"] == 1.5
    assert r["change"]["ties"] == 1
    assert r["before"]["reach_2"] == pytest.approx(0.7) and r["after"]["reach_2"] == 1.0
    ends = {c["org_id"]: c for c in r["constraint"]}
    assert ends[0]["before"] == 1.0 and ends[0]["after"] == 0.5
    assert nx.to_dict_of_dicts(G) == snapshot


def test_what_if_joins_two_paths_and_counts_sectors() -> None:
    G = province_graph()
    r = what_if(G, ties=[("MED1", "EDU2")], recruits={"REL9": ["GOV1"]})
    assert r["before"]["components"] == 3  # the main group (REL9 met EDU1), BIZ9, GOV9
    assert r["after"]["sectors_covered"] == r["before"]["sectors_covered"] + 1
    assert r["after"]["cross_sector_share"] > r["before"]["cross_sector_share"]
    assert G.nodes["REL9"]["status"] == "candidate"
    with pytest.raises(UnknownOrganisation):
        what_if(G, ties=[("MED1", "NOPE")])
    with pytest.raises(InvalidInput):
        what_if(G, ties=[("MED1", "MED1")])


def test_gaps_count_working_ties_not_co_attendance():
    import networkx as nx

    from graphsvc.analysis.seek import sector_gaps

    G = nx.Graph()
    for org, sector in [("r", "REL"), ("m", "MED"), ("g", "GOV")]:
        G.add_node(org, sector=sector, province="TH-21", status="member", name=org)
    G.add_edge("r", "m", n_collabs=0, n_events=3, weight=0.2)  # met at meetings only
    G.add_edge("r", "g", n_collabs=1, n_events=0, weight=3.0)
    G.add_edge("g", "m", n_collabs=1, n_events=0, weight=3.0)
    gaps = sector_gaps(G, "TH-21")[0]
    assert [u["sectors"] for u in gaps["unlinked"]] == [["REL", "MED"]]
    assert gaps["unlinked"][0]["brokers"][0]["org_id"] == "g"
