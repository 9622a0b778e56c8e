"""Network maps as HTML: self-contained, deterministic, escaped, drawn as asked, errors at the door.
(What the browser makes of the page is in test_browser_maps.py.)"""

from __future__ import annotations

import html
import json
import re

import networkx as nx
import pandas as pd
import pytest

from graphsvc.errors import InvalidInput, UnknownOrganisation
from graphsvc.model import Sector, default_sectors
from graphsvc.viz import FONT_STACK, MapPage, ego_map, network_map, palette, strip_remote_resources

EVIL = '<img src=x onerror="window.__x=1">'


def payload(page: MapPage) -> dict:
    """The nodes, edges and options the page hands to vis-network."""
    m = re.search(r'<script id="gs-data" type="application/json">(.*?)</script>', page.html,
                  re.S)
    assert m is not None
    return json.loads(m.group(1))


def nodes_by_id(page: MapPage) -> dict:
    return {n["id"]: n for n in payload(page)["nodes"]}


@pytest.fixture
def small() -> nx.Graph:
    """Five organisations: two government offices, a temple, a school (a candidate), and one
    of a sector the default table lacks."""
    G = nx.Graph()
    G.add_node("g1", name="สำนักงานวัฒนธรรมจังหวัดระยอง", name_th="สำนักงานวัฒนธรรมจังหวัดระยอง",
               name_en="Rayong Culture Office", sector="GOV", province="TH-21", status="member")
    G.add_node("g2", name="ศาลากลางจังหวัดระยอง", name_th="ศาลากลางจังหวัดระยอง", sector="GOV",
               province="TH-21", status="member")
    G.add_node("r1", name="วัดป่าประดู่", name_th="วัดป่าประดู่", name_en="Wat Pa Pradu",
               sector="REL", province="TH-21", status="member")
    G.add_node("e1", name="Ban Chang School", name_en="Ban Chang School", sector="EDU",
               province="TH-21", status="candidate")
    G.add_node("x1", name="กลุ่มศิลปิน", name_th="กลุ่มศิลปิน", sector="ART")
    G.add_edge("g1", "g2", weight=3.0, distance=1 / 3, collab_types="mou")
    G.add_edge("g1", "r1", weight=1.0, distance=1.0, collab_types="co_host")
    G.add_edge("r1", "x1", weight=0.5, distance=2.0, collab_types="")
    return G


def test_page_is_self_contained_and_names_a_thai_font(small):
    page = network_map(small)
    assert page.html.startswith("<!DOCTYPE html>")
    assert '<html lang="th">' in page.html
    assert not re.search(r"<script[^>]*\bsrc\s*=", page.html, re.I)
    assert not re.search(r"<link[^>]*\bhref\s*=", page.html, re.I)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", page.html, re.I)
    assert FONT_STACK in page.html
    assert payload(page)["options"]["nodes"]["font"]["face"] == FONT_STACK
    assert (page.n_nodes, page.n_edges) == (5, 3)


def test_strip_remote_resources_cleans_pyvis_own_template():
    from pyvis.network import Network

    net = Network(cdn_resources="in_line")
    net.add_node("a")
    raw = net.generate_html()
    assert "cdn.jsdelivr.net" in raw  # pyvis 0.3.2 links bootstrap even in in_line mode
    clean = strip_remote_resources(raw)
    assert not re.search(r"<(script|link)\b[^>]*(src|href)\s*=\s*[\"']?(https?:)?//", clean, re.I)
    assert "vis.Network" in clean


def test_input_graph_is_left_alone(small):
    before = (nx.to_dict_of_dicts(small), dict(small.nodes(data=True)), dict(small.graph))
    network_map(small, size_by={"g1": 3.0}, highlight="g1", proposed_ties=[("g2", "r1")])
    ego_map(small, "g1", radius=2)
    assert (nx.to_dict_of_dicts(small), dict(small.nodes(data=True)), dict(small.graph)) == before


def test_same_data_same_page_whatever_the_insertion_order(small):
    shuffled = nx.Graph()
    shuffled.add_nodes_from(reversed(list(small.nodes(data=True))))
    shuffled.add_edges_from(reversed(list(small.edges(data=True))))
    a, b = network_map(small), network_map(small)
    assert a.html == b.html
    pos = {k: (n["x"], n["y"]) for k, n in nodes_by_id(a).items()}
    assert pos == {k: (n["x"], n["y"]) for k, n in nodes_by_id(network_map(shuffled)).items()}
    other_seed = nodes_by_id(network_map(small, seed=1))
    assert pos != {k: (n["x"], n["y"]) for k, n in other_seed.items()}
    assert payload(a)["options"]["physics"]["enabled"] is False


def test_sector_colours_candidates_highlight_and_proposed_ties(small):
    page = network_map(small, highlight="r1", proposed_ties=[
        {"source": "g2", "target": "e1", "score": 0.9, "reasons": ["joins GOV to EDU"]}])
    nodes = nodes_by_id(page)
    assert nodes["g1"]["color"]["background"] == palette.SECTOR_COLOURS["GOV"]
    assert nodes["x1"]["color"]["background"] not in palette.SECTOR_COLOURS.values()
    assert nodes["e1"]["color"]["background"] == "#FFFFFF"  # hollow candidate
    assert nodes["e1"]["shapeProperties"]["borderDashes"]
    assert nodes["r1"]["color"]["border"] == palette.HIGHLIGHT_COLOUR
    assert nodes["r1"]["borderWidth"] > nodes["g1"].get("borderWidth", 1.5)
    proposed = [e for e in payload(page)["edges"] if e.get("proposed")]
    assert [(e["from"], e["to"]) for e in proposed] == [("g2", "e1")]
    assert proposed[0]["dashes"] and proposed[0]["color"]["color"] == palette.PROPOSED_TIE_COLOUR
    assert "joins GOV to EDU" in proposed[0]["title"]
    plain = [e for e in payload(page)["edges"] if not e.get("proposed")]
    assert all("dashes" not in e for e in plain)
    assert max(plain, key=lambda e: e["width"])["from"] == "g1"  # the mou is the widest


def test_legend_names_sectors_in_both_languages(small):
    th = network_map(small).html
    assert "ภาครัฐ" in th and "ไม่ระบุภาคส่วน" not in th
    assert "ART" in th  # a sector not in the table is listed by its code
    en = network_map(small, lang="en",
                     sectors=[*default_sectors(), Sector("ART", "ภาคศิลปะ", "Arts")])
    assert '<html lang="en">' in en.html and "Arts" in en.html and "Legend" in en.html
    assert nodes_by_id(en)["r1"]["nm"] == "Wat Pa Pradu"
    assert nodes_by_id(network_map(small))["r1"]["nm"] == "วัดป่าประดู่"
    small.nodes["x1"].pop("sector")
    assert "ไม่ระบุภาคส่วน" in network_map(small).html


def test_tooltips_hold_names_sector_province_and_metrics(small):
    metrics = pd.DataFrame({"org_id": ["g1", "g2", "r1", "e1", "x1"],
                            "degree": [2, 1, 2, 0, 1], "betweenness": [0.5, 0, 0.667, 0, 0]})
    tip = nodes_by_id(network_map(small, metrics=metrics))["g1"]["title"]
    assert tip.splitlines()[:2] == ["สำนักงานวัฒนธรรมจังหวัดระยอง", "Rayong Culture Office"]
    assert "ภาครัฐ" in tip and "ระยอง" in tip and "บทบาทตัวกลาง: อันดับ 2 จาก 5" in tip
    assert "ทำงานร่วมกับ 2 องค์กร" in tip and "0.5" not in tip  # counts and ranks, no decimals
    tip_en = nodes_by_id(network_map(small, metrics=metrics, lang="en"))["e1"]["title"]
    assert "Rayong" in tip_en and "Not yet a partner" in tip_en and "Works with 0" in tip_en


def test_size_follows_the_chosen_metric(small):
    metrics = pd.DataFrame({"betweenness": [0.0, 0.1, 0.9, 0.0, 0.4]},
                           index=["g1", "g2", "r1", "e1", "x1"])
    nodes = nodes_by_id(network_map(small, metrics=metrics, size_by="betweenness"))
    order = sorted(nodes, key=lambda k: (nodes[k]["size"], k))
    assert order[-1] == "r1" and nodes["x1"]["size"] > nodes["g2"]["size"] > nodes["g1"]["size"]
    assert nodes["g1"]["size"] == nodes["e1"]["size"]
    by_dict = nodes_by_id(network_map(small, size_by={"g1": 10.0, "g2": 1.0}))
    assert by_dict["g1"]["size"] > by_dict["g2"]["size"]


def test_community_colours_on_two_cliques():
    G = nx.barbell_graph(5, 0)  # two K5 joined by one edge: the two cliques are the communities
    G = nx.relabel_nodes(G, {i: f"o{i}" for i in G})
    nodes = nodes_by_id(network_map(G, color_by="community", seed=3))
    left = {nodes[f"o{i}"]["color"]["background"] for i in range(5)}
    right = {nodes[f"o{i}"]["color"]["background"] for i in range(5, 10)}
    assert len(left) == len(right) == 1 and left != right
    given = network_map(G, color_by="community", communities=[{"o0", "o1"}, set(G) - {"o0", "o1"}])
    n = nodes_by_id(given)
    assert n["o9"]["color"]["background"] == palette.community_colour(0)  # largest first
    assert n["o0"]["color"]["background"] == palette.community_colour(1)


def test_karate_club_coloured_by_the_two_clubs():
    G = nx.relabel_nodes(nx.karate_club_graph(), str)
    clubs = {v: d["club"] for v, d in G.nodes(data=True)}
    nodes = nodes_by_id(network_map(G, color_by="community", communities=clubs))
    assert {nodes[v]["color"]["background"] for v in G} == {palette.community_colour(0),
                                                             palette.community_colour(1)}
    assert nodes["0"]["color"] != nodes["33"]["color"]  # Mr Hi and the officer part ways


def test_user_data_never_reaches_the_page_as_markup(small):
    small.add_node("evil", name=EVIL, name_th=EVIL, name_en=EVIL, sector=EVIL, province=EVIL)
    small.add_edge("evil", "g1", weight=1.0, collab_types=EVIL)
    page = network_map(small, title=EVIL, metrics={"evil": {"degree": EVIL}},
                       proposed_ties=[{"source": "evil", "target": "r1", "reasons": [EVIL]}])
    assert "<img" not in page.html.lower()
    assert "&lt;img src=x onerror=" in page.html  # the title and legend, as text
    node = nodes_by_id(page)["evil"]
    assert node["nm"] == EVIL and node["title"].startswith(EVIL)  # vis shows these as text


def test_embed_mode_keeps_title_legend_and_search_but_no_options(small):
    page = network_map(small, embed=True, height="480px")
    assert 'id="gs-search"' in page.html and 'id="gs-legend"' in page.html
    assert 'id="gs-title"' in page.html and 'id="gs-options"' not in page.html
    assert 'id="gs-map"' in page.html and "gs-embed" in page.html


def test_jupyter_display_is_an_escaped_srcdoc_iframe(small, tmp_path):
    page = network_map(small)
    shown = page._repr_html_()
    assert shown.startswith("<iframe srcdoc=") and shown.count("<") == 2  # only the iframe tags
    assert html.unescape(re.search(r'srcdoc="([^"]*)"', shown).group(1)) == page.html
    out = page.save(tmp_path / "map.html")
    assert out.read_text(encoding="utf-8") == page.html == str(page)


@pytest.mark.parametrize("kwargs", [
    {"color_by": "province"}, {"lang": "fr"}, {"height": "100vh; background:red"},
    {"size_by": "pagerank"}, {"size_by": 3}, {"metrics": [1, 2]},
    {"proposed_ties": [("g1",)]},
])  # fmt: skip
def test_bad_options_are_refused(small, kwargs):
    with pytest.raises(InvalidInput):
        network_map(small, **kwargs)


@pytest.mark.parametrize("kwargs", [{"highlight": "nobody"},
                                    {"proposed_ties": [("g1", "nobody")]}])
def test_unknown_organisations_are_refused(small, kwargs):
    with pytest.raises(UnknownOrganisation):
        network_map(small, **kwargs)


def test_not_a_graph_is_refused():
    with pytest.raises(InvalidInput):
        network_map({"a": ["b"]})


def test_ego_map_radius_and_proposals():
    G = nx.path_graph([f"p{i}" for i in range(9)])
    assert ego_map(G, "p4").n_nodes == 3
    assert ego_map(G, "p4", radius=2).n_nodes == 5
    assert ego_map(G, "p4", radius=3).n_nodes == 7
    page = ego_map(G, "p4", proposed_ties=[("p4", "p8"), ("p0", "p1")])
    assert set(nodes_by_id(page)) == {"p3", "p4", "p5", "p8"}
    assert [(e["from"], e["to"]) for e in payload(page)["edges"] if e.get("proposed")] == [
        ("p4", "p8")]
    assert nodes_by_id(page)["p4"]["color"]["border"] == palette.HIGHLIGHT_COLOUR
    assert "เครือข่ายของ p4" in page.html and "Network of p4" in ego_map(G, "p4", lang="en").html


@pytest.mark.parametrize("radius", [0, 4, True, 1.5, "2"])
def test_ego_map_refuses_bad_radius(radius):
    with pytest.raises(InvalidInput):
        ego_map(nx.path_graph(["a", "b"]), "a", radius=radius)


def test_ego_map_refuses_unknown_organisation():
    with pytest.raises(UnknownOrganisation):
        ego_map(nx.path_graph(["a", "b"]), "c")


def test_any_hashable_node_ids_stay_consistent_between_nodes_and_ties():
    G = nx.grid_2d_graph(2, 2)  # tuple ids
    data = payload(network_map(G, proposed_ties=[((0, 0), (1, 1))]))
    ids = {n["id"] for n in data["nodes"]}
    assert ids == {"(0, 0)", "(0, 1)", "(1, 0)", "(1, 1)"}
    assert all(e["from"] in ids and e["to"] in ids for e in data["edges"])


def test_no_node_carries_a_label_the_page_labels_by_importance():
    """The page, not Python, decides which names fit on screen; Python ranks who goes first."""
    G = nx.relabel_nodes(nx.star_graph(60), lambda i: f"o{i:05d}")
    for v in G:
        G.nodes[v]["name_th"] = f"องค์กร {v}"
    page = network_map(G, highlight="o00050",
                       metrics={v: {"degree": d} for v, d in G.degree()}, size_by="degree")
    nodes = nodes_by_id(page)
    assert all("label" not in n and n["nm"] == f"องค์กร {k}" for k, n in nodes.items())
    assert nodes["o00050"]["r"] == 0 and nodes["o00000"]["r"] == 1  # highlight, then the hub
    assert sorted(n["r"] for n in nodes.values()) == list(range(61))


def test_legend_lists_only_what_is_on_the_map_and_every_community(small):
    temple_only = small.subgraph(["r1"]).copy()
    temple_only.add_node("r2", name_th="วัดเนินสุขาราม", sector="REL", province="TH-21")
    temple_only.add_edge("r1", "r2", weight=1.0)
    html_ = network_map(temple_only).html
    legend = html_[html_.index('id="gs-legend"'):html_.index('id="gs-panel"')]
    assert "ภาคศาสนา" in legend and "ภาครัฐ" not in legend and "ภาคเอกชน" not in legend
    G = nx.relabel_nodes(nx.disjoint_union_all([nx.complete_graph(3) for _ in range(22)]), str)
    page = network_map(G, color_by="community").html
    legend = page[page.index('id="gs-legend-community"'):page.index('id="gs-panel"')]
    assert legend.count("<li>") == 22 and "กลุ่ม 1 (" in legend and "กลุ่ม 22 (" in legend
    colours = {n["cm"] for n in nodes_by_id(network_map(G, color_by="community")).values()}
    assert len(colours) >= 20


def test_the_default_title_names_the_province_sector_or_network(small):
    rayong = small.subgraph(["g1", "g2", "r1", "e1"]).copy()
    assert network_map(rayong).title == "เครือข่ายภาคีจังหวัดระยอง"
    assert network_map(rayong, lang="en").title == "Partner network of Rayong"
    temples = small.subgraph(["r1"]).copy()
    temples.add_node("r2", name_th="วัดเนินสุขาราม", sector="REL", province="TH-21")
    assert network_map(temples).title == "เครือข่ายภาคีจังหวัดระยอง · ภาคศาสนา"
    small.nodes["x1"]["province"] = "TH-20"
    assert network_map(small).title == "แผนที่เครือข่ายภาคีทุกจังหวัด"
    assert ego_map(small, "g1").title == "เครือข่ายของ สำนักงานวัฒนธรรมจังหวัดระยอง"


def test_a_tie_says_what_the_two_do_together_in_words(small):
    edges = {(e["from"], e["to"]): e for e in payload(network_map(small))["edges"]}
    assert edges[("g1", "g2")]["title"] == "บันทึกข้อตกลงความร่วมมือ (MOU)"
    assert payload(network_map(small, lang="en"))["edges"][1]["title"] == "Co-hosted event"
    assert "title" not in edges[("r1", "x1")]  # no recorded kind: nothing to say


def test_the_legend_explains_the_band_of_organisations_with_no_tie(small):
    small.add_node("lone", name_th="ชมรมผู้สูงอายุ", sector="CIV", province="TH-21")
    page = network_map(small).html
    legend = page[page.index('id="gs-legend"'):page.index('id="gs-panel"')]
    assert "แถวล่าง: องค์กรที่ยังไม่เชื่อมกับใคร" in legend
    small.remove_node("lone")
    small.remove_node("e1")  # the candidate had no tie either
    assert "แถวล่าง" not in network_map(small).html
