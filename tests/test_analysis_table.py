"""metrics_table, network_summary and the health measures; `graphsvc analyze` on the sample data
through the real CLI and a real SQLite file."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import networkx as nx
import pandas as pd
import pytest
from click.testing import CliRunner
from stores import build_sample_db

from graphsvc.analysis import (
    METRIC_COLUMNS,
    compare_networks,
    ei_index,
    metrics_table,
    network_summary,
    sector_coverage,
    sector_mixing,
    summarise,
)
from graphsvc.cli.main import cli
from graphsvc.store import open_store


def _sectored() -> nx.Graph:
    """Two triangles (GOV, EDU) joined through a REL broker; one org without sector/province."""
    G = nx.Graph([("g1", "g2"), ("g2", "g3"), ("g1", "g3"), ("e1", "e2"), ("e2", "e3"),
                  ("e1", "e3"), ("g1", "r1"), ("r1", "e1"), ("e3", "x")])
    sector = {"g": "GOV", "e": "EDU", "r": "REL"}
    for v in G:
        if v != "x":
            G.nodes[v].update(sector=sector[v[0]], province="TH-21", name=v.upper())
    G.nodes["x"]["name"] = "X"
    for u, v in G.edges():
        G[u][v].update(weight=2.0, distance=0.5)
    return G


def test_table_has_every_column_and_says_how_betweenness_was_computed():
    G = _sectored()
    df = metrics_table(G)
    assert tuple(df.columns) == METRIC_COLUMNS
    assert len(df) == len(G)
    assert df.attrs["betweenness_method"] == "exact"
    sampled = metrics_table(G, exact_max=3, k=4, seed=7)
    assert sampled.attrs["betweenness_method"] == "sampled k=4 seed=7"
    row = df.set_index("org_id").loc["r1"]
    assert row["liaison"] == 1 and row["cross_sector_share"] == 1.0
    assert row["betweenness"] == df["betweenness"].max()
    assert pd.isna(df.set_index("org_id").loc["x", "sector"])


def test_the_table_does_not_change_the_graph_and_is_deterministic():
    G = _sectored()
    before = nx.node_link_data(G, edges="edges")
    a = metrics_table(G, exact_max=2, k=3, seed=5)
    b = metrics_table(G, exact_max=2, k=3, seed=5)
    assert nx.node_link_data(G, edges="edges") == before
    assert a.equals(b)


def test_summary_counts_unknowns_and_measures_cohesion():
    G = _sectored()
    G.add_node("lonely", sector="MED")
    s = network_summary(G, sectors=["GOV", "EDU", "REL", "MED", "BIZ"])
    assert s["organisations"] == 9 and s["ties"] == 9
    assert s["components"] == 2 and s["largest_component"] == 8 and s["isolates"] == 1
    assert s["unknown_sector"] == 1 and s["unknown_province"] == 2
    assert s["sector_counts"]["unknown"] == 1
    assert s["diameter"] == nx.diameter(G.subgraph(max(nx.connected_components(G), key=len)))
    lcc = G.subgraph(max(nx.connected_components(G), key=len))
    assert s["average_distance"] == pytest.approx(nx.average_shortest_path_length(lcc))
    assert s["articulation_points"] == 4  # g1, r1, e1, e3
    assert s["top_brokers"][0]["org_id"] in {"r1", "g1", "e1"}
    json.dumps(s, allow_nan=False, default=str)


def test_sector_mixing_and_ei_index():
    G = _sectored()
    mix = sector_mixing(G)
    assert mix.loc["GOV", "GOV"] == 3 and mix.loc["GOV", "REL"] == 1
    assert mix.loc["EDU", "unknown"] == 1
    ei = ei_index(G)
    assert ei["REL"] == 1.0
    assert ei["GOV"] == pytest.approx((1 - 6) / (1 + 6))
    assert ei["overall"] == pytest.approx((2 - 6) / (2 + 6))


def test_sector_coverage_lists_missing_sectors_and_unknowns():
    G = _sectored()
    cov = sector_coverage(G, ["GOV", "BIZ", "EDU", "REL", "MED", "CIV"]).set_index("province")
    assert cov.loc["TH-21", "missing"] == ["BIZ", "MED", "CIV"]
    assert cov.loc["TH-21", "coverage"] == pytest.approx(0.5)
    assert cov.loc["unknown", "unknown_sector"] == 1


def test_compare_networks_reports_joins_ties_and_moves():
    before = _sectored()
    after = before.copy()
    after.remove_node("x")
    after.add_edge("g2", "e2", weight=1.0, distance=1.0)
    after.add_node("m1", sector="MED", province="TH-21", name="M1")
    after.add_edge("m1", "r1", weight=1.0, distance=1.0)
    diff = compare_networks(before, after)
    assert diff["joined"] == ["m1"] and diff["left"] == ["x"]
    assert ("e2", "g2") in diff["ties_appeared"] and ("e3", "x") in diff["ties_disappeared"]
    assert diff["metrics"]["ties"] == {"before": 9, "after": 10, "change": 1}


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory) -> str:
    return f"sqlite:///{build_sample_db(tmp_path_factory.mktemp('sample') / 'sample.db')}"


def test_analyze_names_the_rayong_culture_office_among_the_top_brokers(sample_url):
    result = CliRunner().invoke(cli, ["analyze", "--store", sample_url, "--province", "TH-21",
                                      "--format", "json", "--top", "5"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"organisations", "summary"}
    top = [row["org_id"] for row in data["organisations"]]
    assert "TH21-GOV-001" in top[:3]
    office = data["organisations"][top.index("TH21-GOV-001")]
    assert office["name"] == "สำนักงานวัฒนธรรมจังหวัดระยอง"
    for key in ("org_id", "name", "sector", "province", "degree", "strength", "betweenness",
                "pagerank", "eigenvector", "constraint", "effective_size", "community"):
        assert key in office
    assert office["cross_sector_share"] > 0.5
    assert data["summary"]["betweenness_method"] == "exact"
    assert data["summary"]["top_brokers"][0]["org_id"] in top


def test_analyze_table_and_csv_through_the_installed_command(sample_url):
    table = subprocess.run([sys.executable, "-m", "graphsvc.cli.main", "analyze", "--store",
                            sample_url, "--province", "TH-21", "--top", "3"],
                           capture_output=True, text=True, check=True)
    lines = table.stdout.splitlines()
    assert lines[0].split()[:3] == ["org_id", "name", "sector"]
    assert "สำนักงานวัฒนธรรมจังหวัดระยอง" in table.stdout
    assert "betweenness exact" in table.stdout
    csv_out = CliRunner().invoke(cli, ["analyze", "--store", sample_url, "--sector", "GOV",
                                       "--fy", "2566-2567", "--format", "csv"],
                                 catch_exceptions=False)
    assert csv_out.exit_code == 0
    header, *rows = csv_out.stdout.splitlines()
    assert header.startswith("org_id,name,sector,province")
    assert rows and all(",GOV," in r for r in rows)


def test_analyze_rejects_a_bad_window(sample_url):
    result = CliRunner().invoke(cli, ["analyze", "--store", sample_url, "--fy", "2567-2566"])
    assert result.exit_code == 2
    assert "runs backwards" in result.output


def test_summary_is_json_clean_on_the_sample(sample_url):
    store = open_store(sample_url)
    try:
        G = store.load_graph()
    finally:
        store.close()
    df, summary = summarise(G, exact_max=50, k=32, seed=3)
    assert summary["betweenness_method"] == "sampled k=32 seed=3"
    assert not df["betweenness"].isna().any()
    assert all(math.isfinite(x) for x in df["pagerank"])
    assert df["pagerank"].sum() == pytest.approx(1.0)


@pytest.mark.parametrize("G", [nx.Graph(), nx.empty_graph(1), nx.empty_graph(3), nx.path_graph(2)],
                         ids=["empty", "one", "three-isolates", "one-tie"])
def test_degenerate_graphs_give_a_table_and_a_summary(G):
    df, summary = summarise(G)
    assert len(df) == len(G)
    assert summary["organisations"] == len(G)
    assert summary["components"] == nx.number_connected_components(G)
    json.dumps(summary, allow_nan=False, default=str)
