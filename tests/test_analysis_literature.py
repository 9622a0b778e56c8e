"""The analysis engine against values from the literature and small graphs with known answers."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import networkx as nx
import pytest

from graphsvc.analysis import (
    articulation_cutoffs,
    betweenness,
    bridges,
    brokerage_roles,
    constraint,
    effective_size,
    efficiency,
    eigenvector,
    harmonic_closeness,
    metrics_table,
    two_mode_betweenness,
)

DATA = Path(__file__).parent / "data" / "socnetv"


def read_paj_matrix(path: Path, relation: str) -> nx.Graph:
    """The undirected graph of one ``*Matrix`` relation of a Pajek file (names from *Vertices)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    names: list[str] = []
    G = nx.Graph()
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if line.lower().startswith("*vertices"):
            count = int(line.split()[1])
            for row in lines[i + 1:i + 1 + count]:
                names.append(row.split('"')[1])
            G.add_nodes_from(names)
            i += count
        elif line.lower().startswith("*matrix") and f'"{relation}"' in line:
            for r, row in enumerate(lines[i + 1:i + 1 + len(names)]):
                for c, cell in enumerate(row.split()):
                    if cell != "0" and r != c:
                        G.add_edge(names[r], names[c])
            break
        i += 1
    return G


# Padgett & Ansell (1993): the marriage network of 15 families (Pucci, isolated, left out).
PADGETT = {"Medici": 0.522, "Guadagni": 0.255, "Albizzi": 0.212}


@pytest.mark.parametrize("source", ["networkx", "socnetv"])
def test_padgett_florentine_betweenness(source):
    if source == "networkx":
        G = nx.florentine_families_graph()
    else:
        G = read_paj_matrix(DATA / "Padgett_Florentine_Families.paj", "Marital")
        assert G.degree("Pucci") == 0
        G.remove_node("Pucci")
        reference = nx.florentine_families_graph()
        assert {frozenset(e) for e in G.edges()} == {frozenset(e) for e in reference.edges()}
    result = betweenness(G, weighted=False)
    assert result.method == "exact"
    for family, expected in PADGETT.items():
        assert result.values[family] == pytest.approx(expected, abs=5e-4)
    table = metrics_table(G).set_index("org_id")
    assert table["betweenness"].idxmax() == "Medici"
    assert table.loc["Medici", "betweenness"] == pytest.approx(0.522, abs=5e-4)


def _borgatti() -> nx.Graph:
    # Borgatti (1997), "Structural holes: unpacking Burt's redundancy measures", Connections
    # 20(1): the ego network of G; the same edge list as networkx's test_structuralholes.py.
    return nx.Graph([("A", "B"), ("A", "F"), ("A", "G"), ("A", "E"), ("E", "G"), ("F", "G"),
                     ("B", "G"), ("B", "D"), ("D", "G"), ("G", "C")])


def test_borgatti_structural_holes():
    G = _borgatti()
    eff = effective_size(G)
    cons = constraint(G)
    assert eff["G"] == pytest.approx(4.67, abs=5e-3)
    assert eff["A"] == pytest.approx(2.50, abs=5e-3)
    assert eff["C"] == pytest.approx(1.0, abs=5e-3)
    assert cons["G"] == pytest.approx(0.400, abs=5e-4)
    assert cons["A"] == pytest.approx(0.595, abs=5e-4)
    assert cons["C"] == pytest.approx(1.000, abs=5e-4)
    assert efficiency(G)["G"] == pytest.approx(4.67 / 6, abs=5e-3)


def test_borgatti_weighted_matches_networkx_test_values():
    G = _borgatti()
    weights = {("A", "B"): 2, ("A", "F"): 3, ("A", "G"): 5, ("A", "E"): 2, ("E", "G"): 8,
               ("F", "G"): 3, ("B", "G"): 4, ("B", "D"): 1, ("D", "G"): 3, ("G", "C"): 10}
    nx.set_edge_attributes(G, weights, "weight")
    assert constraint(G, weight="weight")["G"] == pytest.approx(0.299, abs=1e-3)
    assert constraint(G, weight="weight")["A"] == pytest.approx(0.795, abs=1e-3)
    assert effective_size(G, weight="weight")["G"] == pytest.approx(5.47, abs=1e-2)
    assert effective_size(G, weight="weight")["A"] == pytest.approx(2.47, abs=1e-2)


def test_isolates_have_no_structural_holes():
    G = _borgatti()
    G.add_node("lonely")
    assert math.isnan(constraint(G)["lonely"])
    assert math.isnan(effective_size(G)["lonely"])


def test_davis_southern_women_two_mode_betweenness():
    # Borgatti & Halgin (2011), "Analyzing affiliation networks": events E8 0.24 and E9 0.23
    # with two-mode normalisation (Borgatti & Everett 1997).
    B = nx.davis_southern_women_graph()
    bc = two_mode_betweenness(B, set(B.graph["top"]))
    assert bc["E8"] == pytest.approx(0.24, abs=5e-3)
    assert bc["E9"] == pytest.approx(0.23, abs=5e-3)
    assert max(bc, key=bc.get) == "E8"


def _gould_fernandez_example() -> nx.Graph:
    """Worked by hand (sectors in brackets; '-' a tie):

    g1[GOV] - g2[GOV], g3[GOV], e1[EDU], e2[EDU], r1[REL], u1[no sector]
    e1 - e2;  r1 - e1, e3[EDU]

    Broker g1, neighbour pairs with a sector (u1's five pairs are left out):
      {g2,g3} open, all GOV                       -> coordinator 1
      {e1,e2} closed (e1-e2 tied)                 -> not brokered
      {g2,e1} {g2,e2} {g3,e1} {g3,e2} {g2,r1} {g3,r1}: one end shares GOV
                                                  -> representative/gatekeeper 6
      {e1,r1} closed; {e2,r1} EDU, REL            -> liaison 1
    Broker r1 (REL): {g1,e1} closed; {g1,e3} GOV, EDU -> liaison 1; {e1,e3} both EDU
                                                  -> consultant 1
    Broker e1 (EDU): {g1,e2} closed; {g1,r1} closed; {e2,r1}: e2 shares EDU
                                                  -> representative/gatekeeper 1
    """
    G = nx.Graph([("g1", "g2"), ("g1", "g3"), ("g1", "e1"), ("g1", "e2"), ("g1", "r1"),
                  ("g1", "u1"), ("e1", "e2"), ("r1", "e1"), ("r1", "e3")])
    sectors = {"g1": "GOV", "g2": "GOV", "g3": "GOV", "e1": "EDU", "e2": "EDU", "e3": "EDU",
               "r1": "REL"}
    nx.set_node_attributes(G, sectors, "sector")
    return G


def test_gould_fernandez_hand_worked_example():
    roles = brokerage_roles(_gould_fernandez_example())
    got = roles[["coordinator", "consultant", "representative_gatekeeper", "liaison"]]
    assert got.loc["g1"].tolist() == [1, 0, 6, 1]
    assert got.loc["r1"].tolist() == [0, 1, 0, 1]
    assert got.loc["e1"].tolist() == [0, 0, 1, 0]
    for quiet in ("g2", "g3", "e2", "e3", "u1"):
        assert roles.loc[quiet, "brokerage"] == 0
    assert roles.loc["g1", "brokerage"] == 8
    assert roles.loc["g1", "cross_sector_share"] == pytest.approx(7 / 8)
    assert roles.loc["r1", "cross_sector_share"] == pytest.approx(1 / 2)


def test_small_graphs_exact_values():
    K5 = nx.complete_graph(5)
    assert set(betweenness(K5).values.values()) == {0.0}
    assert set(harmonic_closeness(K5, normalized=False).values.values()) == {4.0}
    assert all(v == pytest.approx(1 / math.sqrt(5)) for v in eigenvector(K5).values())
    assert list(constraint(K5).values()) == pytest.approx([4 * (1 / 4 + 3 / 16) ** 2] * 5)
    P3 = nx.path_graph(3)
    assert betweenness(P3).values == {0: 0.0, 1: 1.0, 2: 0.0}
    assert harmonic_closeness(P3, normalized=False).values == {0: 1.5, 1: 2.0, 2: 1.5}
    assert articulation_cutoffs(P3) == {1: 1}
    assert sorted(map(sorted, bridges(P3))) == [[0, 1], [1, 2]]
    # Krackhardt's kite: Heather (7) has the highest betweenness, 14/36 = 0.389 normalised.
    kite = nx.krackhardt_kite_graph()
    bc = betweenness(kite).values
    assert bc[7] == pytest.approx(0.388889, abs=1e-6)
    assert bc[8] == pytest.approx(0.222222, abs=1e-6)
    assert bc[3] == pytest.approx(0.101852, abs=1e-6)
    assert articulation_cutoffs(kite) == {7: 2, 8: 1}


def test_cut_off_counts_on_a_hand_built_graph():
    # A triangle hub 0-1-2; 0 holds a tail of 3 (3-4-5); 1 holds one leaf (6).
    G = nx.Graph([(0, 1), (1, 2), (0, 2), (0, 3), (3, 4), (4, 5), (1, 6)])
    cut = articulation_cutoffs(G)
    assert cut == {0: 3, 3: 2, 4: 1, 1: 1}
    for node, n_cut in cut.items():
        H = G.copy()
        H.remove_node(node)
        largest = max(map(len, nx.connected_components(H)))
        assert n_cut == len(H) - largest


def test_gould_fernandez_counts_agree_with_brute_force():
    G = _gould_fernandez_example()
    roles = brokerage_roles(G)
    for b in G:
        counts = dict.fromkeys(("coordinator", "consultant", "representative_gatekeeper",
                                "liaison"), 0)
        gb = G.nodes[b].get("sector")
        for a, c in itertools.combinations(G[b], 2):
            ga, gc = G.nodes[a].get("sector"), G.nodes[c].get("sector")
            if G.has_edge(a, c) or None in (ga, gb, gc):
                continue
            if ga == gc:
                counts["coordinator" if ga == gb else "consultant"] += 1
            elif gb in (ga, gc):
                counts["representative_gatekeeper"] += 1
            else:
                counts["liaison"] += 1
        assert roles.loc[b, list(counts)].tolist() == list(counts.values())
