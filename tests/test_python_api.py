"""The analysts' Python API: ``graphsvc.open`` and DataFrames with names and sectors."""

from __future__ import annotations

import re

import networkx as nx
import pytest

import graphsvc
from graphsvc.errors import InvalidInput


def test_public_names_are_pinned():
    assert graphsvc.__all__ == ["IngestResult", "PartnerNetwork", "__version__", "open",
                                "sample_files"]
    for name in graphsvc.__all__:
        assert getattr(graphsvc, name) is not None


@pytest.fixture(scope="module")
def net(tmp_path_factory):
    path = tmp_path_factory.mktemp("api") / "net.db"
    with graphsvc.open(f"sqlite:///{path}") as net:
        result = net.ingest(*graphsvc.sample_files())
        assert result.loaded and result.errors.empty
        yield net


def test_ingest_twice_changes_nothing(net):
    before = net.info()["revision"]
    again = net.ingest(*graphsvc.sample_files())
    assert again.revision == before
    assert (again.counts["inserted"] == 0).all() and (again.counts["updated"] == 0).all()


def test_rejected_file_reports_file_row_column_and_writes_nothing(net, tmp_path):
    before = net.info()
    bad = tmp_path / "organisations.csv"
    bad.write_text("org_id,name_th,sector\nZ-1,ทดสอบ,NOPE\n", encoding="utf-8")
    result = net.ingest(bad)
    assert not result.loaded
    row = result.errors.iloc[0]
    assert row["file"].endswith("organisations.csv") and row["row"] == 2
    assert row["column"] == "sector"
    assert net.info() == before


def test_graph_is_a_copy(net):
    G = net.graph(province="TH-21")
    assert isinstance(G, nx.Graph) and "TH21-GOV-001" in G
    G.remove_node("TH21-GOV-001")
    assert "TH21-GOV-001" in net.graph(province="TH-21")


def test_metrics_have_names_and_sectors_and_the_culture_office_leads(net):
    df = net.metrics(province="TH-21")
    assert {"org_id", "name", "sector", "betweenness", "pagerank", "constraint"} <= set(df)
    assert df.iloc[0]["org_id"] == "TH21-GOV-001"
    assert df.iloc[0]["name"] == "สำนักงานวัฒนธรรมจังหวัดระยอง"
    assert df.attrs["betweenness_method"] == "exact"


def test_search_thai_and_english(net):
    thai = net.organisations("สนง.วัฒนธรรม", province="TH-21")
    assert "TH21-GOV-001" in set(thai["org_id"])
    english = net.organisations("culture office", province="TH-21")
    assert "TH21-GOV-001" in set(english["org_id"])


def test_recommendations_with_reasons(net):
    ties = net.recommend_ties(province="TH-21", top=5, lang="en")
    assert len(ties) == 5 and (ties["score"].diff().dropna() <= 1e-12).all()
    assert all(isinstance(r, list) and r for r in ties["reasons"])
    recruits = net.recommend_recruits(province="TH-21", top=3, lang="en")
    assert len(recruits) == 3 and all(recruits["reasons"].map(len) > 0)


def test_what_if_shows_before_and_after(net):
    ties = net.recommend_ties(province="TH-21", top=2)
    frame = net.what_if(ties=list(zip(ties["source"], ties["target"], strict=True)),
                        province="TH-21")
    assert {"metric", "before", "after"} <= set(frame)
    rows = frame.set_index("metric")
    assert rows.loc["ties", "after"] == rows.loc["ties", "before"] + 2  # two new ties
    assert rows.loc["reach_2", "after"] > rows.loc["reach_2", "before"]  # more within 2 steps
    assert rows.loc["average_distance", "after"] < rows.loc["average_distance", "before"]


def test_map_displays_inline_without_cdn(net):
    page = net.map(province="TH-21")
    html = page._repr_html_()
    assert "<iframe" in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page.html)


def test_sector_gaps_and_backtest(net):
    gaps = net.sector_gaps("TH-21", lang="en")
    # The sample is built with few media organisations and no religion–media collaboration;
    # co-attendance at provincial meetings does not hide that gap.
    assert ("thin", "MED") in set(zip(gaps["gap"], gaps["sectors"], strict=True))
    assert ("unlinked_pair", "REL–MED") in set(zip(gaps["gap"], gaps["sectors"], strict=True))
    bt = net.backtest(province="TH-21", seeds=2, methods=["resource_allocation", "random"])
    assert len(bt) == 2


@pytest.mark.parametrize("fy", ["25x6", "2567-2566"])
def test_bad_selection_is_invalid_input(net, fy):
    with pytest.raises(InvalidInput):
        net.metrics(fy=fy)
