"""`graphsvc info` and `graphsvc export` through the real CLI on a real SQLite store."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys

import networkx as nx
import pytest
from click.testing import CliRunner
from fixtures import network_batch

from graphsvc.cli.main import cli
from graphsvc.exporting import nodes_path
from graphsvc.model import GraphFilter
from graphsvc.store import open_store


@pytest.fixture
def filled_url(store_url) -> str:
    with open_store(store_url) as store:
        store.write_batch(network_batch())
    return store_url


def run(*args: str):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result


def test_info_json_has_the_documented_shape(filled_url):
    result = run("info", "--store", filled_url, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data == {
        "store": "sqlite",
        "location": filled_url.removeprefix("sqlite:///"),
        "revision": 1,
        "counts": {"organisations": 8, "events": 3, "attendance": 9, "collaborations": 5},
    }


def test_info_table_and_the_environment_default(filled_url, monkeypatch):
    monkeypatch.setenv("GRAPHSVC_STORE", filled_url)
    result = run("info")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["item", "value"]
    assert ["revision", "1"] in [line.split() for line in lines]
    assert ["collaborations", "5"] in [line.split() for line in lines]


def test_info_on_an_unusable_store_is_one_clear_error(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 200)
    result = run("info", "--store", f"sqlite:///{junk}")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: SQLite store")
    assert "Traceback" not in result.output
    result = run("info", "--store", "mysql://nowhere/db")
    assert result.exit_code == 2 and "unknown store URL" in result.stderr


def test_the_installed_command_prints_info_json(filled_url):
    env = {**os.environ, "GRAPHSVC_STORE": filled_url}
    out = subprocess.run([sys.executable, "-m", "graphsvc.cli.main", "info", "--format", "json"],
                         capture_output=True, text=True, env=env, timeout=120, check=True)
    assert json.loads(out.stdout)["counts"]["organisations"] == 8


def _same_graph(got: nx.Graph, want: nx.Graph) -> None:
    assert set(got) == set(want)
    assert {frozenset(e) for e in got.edges} == {frozenset(e) for e in want.edges}
    for u, v, w in want.edges(data="weight"):
        assert got[u][v]["weight"] == pytest.approx(w)


@pytest.mark.parametrize(("fmt", "read"), [
    ("graphml", nx.read_graphml),
    ("gexf", nx.read_gexf),
    ("json", lambda p: nx.node_link_graph(json.loads(p.read_text(encoding="utf-8")),
                                          edges="edges")),
])
def test_export_round_trips_organisations_and_ties(filled_url, tmp_path, fmt, read):
    out = tmp_path / f"net.{fmt}"
    result = run("export", "--store", filled_url, "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "wrote 8 organisations" in result.stderr
    with open_store(filled_url) as store:
        want = store.load_graph()
    got = read(out)
    _same_graph(got, want)
    name = "สำนักงานวัฒนธรรมจังหวัดระยอง"
    if fmt == "gexf":
        assert got.nodes["RY01"]["label"] == name
    else:
        assert got.nodes["RY01"]["name"] == name and got.nodes["RY01"]["sector"] == "GOV"
    assert "XX01" in got and got.degree("XX01") == 0  # the isolate survives


def test_export_csv_writes_an_edge_list_and_a_node_table(filled_url, tmp_path):
    out = tmp_path / "net.csv"
    result = run("export", "--store", filled_url, "--format", "csv", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads Thai
    with open(out, encoding="utf-8-sig", newline="") as fh:
        edges = list(csv.DictReader(fh))
    with open(nodes_path(out), encoding="utf-8-sig", newline="") as fh:
        nodes = list(csv.DictReader(fh))
    assert nodes_path(out).name == "net.nodes.csv"
    with open_store(filled_url) as store:
        want = store.load_graph()
    got = nx.Graph()
    got.add_nodes_from(n["id"] for n in nodes)
    got.add_weighted_edges_from((e["source"], e["target"], float(e["weight"])) for e in edges)
    _same_graph(got, want)
    assert {n["id"]: n["label"] for n in nodes}["RY02"] == "โรงเรียนวัดป่าประดู่"


def test_export_filters_by_province_and_sector(filled_url, tmp_path):
    out = tmp_path / "rayong.graphml"
    run("export", "--store", filled_url, "--province", "TH-21", "--sector", "GOV",
        "--sector", "EDU", "-o", str(out))
    with open_store(filled_url) as store:
        want = store.load_graph(GraphFilter(province="TH-21", sectors=("GOV", "EDU")))
    got = nx.read_graphml(out)
    assert set(got) == {"RY01", "RY02"}
    _same_graph(got, want)


def test_export_rejects_a_backwards_fiscal_year_window(filled_url, tmp_path):
    result = run("export", "--store", filled_url, "--fy", "2567-2566",
                 "-o", str(tmp_path / "x.graphml"))
    assert result.exit_code == 2 and "runs backwards" in result.stderr
    assert not (tmp_path / "x.graphml").exists()


@pytest.mark.parametrize("command", ["info", "export"])
def test_help_documents_every_option(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "--store" in result.stdout and "--format" in result.stdout
    if command == "export":
        for word in ("graphml", "gexf", "json", "csv", "--province", "--sector", ".nodes.csv"):
            assert word in result.stdout
