"""The one graph builder: Newman's co-attendance projection, collaboration weights, filters."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from graphsvc.errors import InvalidInput
from graphsvc.model import COLLAB_TYPES, GraphFilter, RecordBatch, apply_filter, build_graph
from graphsvc.model.network import bipartite_graph


def _batch() -> RecordBatch:
    orgs = pd.DataFrame(
        [
            ("a", "เอ", "A", None, "GOV", "TH-21", None, "", "member", None, "{}"),
            ("b", "บี", "B", None, "EDU", "TH-21", None, "", "member", None, "{}"),
            ("c", None, "C", None, "REL", "TH-21", None, "", "member", None, "{}"),
            ("d", "ดี", None, None, "MED", "TH-20", None, "", "candidate", None, "{}"),
            ("e", "อี", "E", None, None, None, None, "", "member", None, "{}"),
        ],
        columns=["org_id", "name_th", "name_en", "match_key", "sector", "province_code",
                 "org_type", "aliases", "status", "joined_date", "extra"],
    )
    events = pd.DataFrame(
        [("e1", "ประชุม", None, "meeting", "TH-21", "2023-01-12", 2566),
         ("e2", "อบรม", None, "workshop", "TH-21", "2024-02-01", 2567)],
        columns=["event_id", "title_th", "title_en", "event_type", "province_code", "start_date",
                 "fiscal_year_be"],
    )
    attendance = pd.DataFrame(
        [("e1", "a", "host", 3), ("e1", "b", None, 1), ("e1", "c", None, 2),
         ("e2", "a", None, 1), ("e2", "b", None, 1)],
        columns=["event_id", "org_id", "role", "delegates"],
    )
    collabs = pd.DataFrame(
        [("a", "b", "mou", None, "2022-11-01", ""), ("a", "b", "funding", 5.0, "", ""),
         ("b", "d", "referral", None, "2024-03-01", ""), ("a", "e", "other", None, "2021-01-01",
                                                          "2021-12-31")],
        columns=["org_a_id", "org_b_id", "collab_type", "weight", "start_date", "end_date"],
    )
    return RecordBatch(organisations=orgs, events=events, attendance=attendance,
                       collaborations=collabs)


def test_newman_projection_and_collaboration_weights():
    G = build_graph(_batch())
    # e1 has 3 organisations: each pair gets 1/2; e2 has 2: the pair gets 1.
    assert G["a"]["c"]["coattend_weight"] == pytest.approx(0.5)
    assert G["a"]["b"]["coattend_weight"] == pytest.approx(0.5 + 1.0)
    assert G["a"]["b"]["n_events"] == 2
    # mou default weight plus an explicit weight 5.
    assert G["a"]["b"]["collab_weight"] == pytest.approx(COLLAB_TYPES["mou"] + 5.0)
    assert G["a"]["b"]["collab_types"] == "funding|mou"
    assert G["a"]["b"]["weight"] == pytest.approx(COLLAB_TYPES["mou"] + 5.0 + 1.5)
    assert G["a"]["b"]["distance"] == pytest.approx(1 / G["a"]["b"]["weight"])


def test_node_attributes_omit_unknowns():
    G = build_graph(_batch())
    assert G.nodes["c"]["name"] == "C"  # no Thai name: English
    assert G.nodes["a"]["name"] == "เอ"
    assert "sector" not in G.nodes["e"] and "province" not in G.nodes["e"]
    assert G.nodes["d"]["status"] == "candidate"
    nx.generate_graphml(G)  # exportable: no None attributes anywhere


def test_coattendance_can_be_switched_off_and_large_events_are_left_out():
    G = build_graph(_batch(), coattendance_factor=0)
    assert not G.has_edge("a", "c")
    G = build_graph(_batch(), max_event_size=2)  # e1 (3 organisations) is left out
    assert not G.has_edge("a", "c")
    assert G["a"]["b"]["n_events"] == 1


def test_filters_province_sector_and_fiscal_years():
    batch = _batch()
    G = build_graph(apply_filter(batch, GraphFilter(province="TH-21")))
    assert set(G) == {"a", "b", "c"}
    G = build_graph(apply_filter(batch, GraphFilter(sectors=("GOV", "EDU"))))
    assert set(G) == {"a", "b"}
    G = build_graph(apply_filter(batch, GraphFilter(fy_from=2566, fy_to=2566)))
    # e2 (FY2567) and the 2024 referral drop out; the 2021 tie ended before FY2566.
    assert G["a"]["b"]["n_events"] == 1
    assert not G.has_edge("b", "d") and not G.has_edge("a", "e")
    G = build_graph(apply_filter(batch, GraphFilter(statuses=("member",))))
    assert "d" not in G


@pytest.mark.parametrize("window", [(2567, 2566), (1990, 2000)])
def test_bad_fiscal_windows_are_refused(window):
    with pytest.raises(InvalidInput):
        GraphFilter(fy_from=window[0], fy_to=window[1])


def test_bipartite_graph():
    B = bipartite_graph(_batch())
    assert B.nodes["event:e1"]["bipartite"] == 1 and B.nodes["a"]["bipartite"] == 0
    assert B["a"]["event:e1"] == {"delegates": 3, "role": "host"}
    assert B.degree("event:e1") == 3


def test_build_graph_never_mutates_its_input():
    batch = _batch()
    before = {k: v.copy() for k, v in batch.tables().items()}
    build_graph(batch)
    for name, df in batch.tables().items():
        pd.testing.assert_frame_equal(df, before[name])


def test_weak_co_attendance_alone_is_not_a_tie():
    batch = _batch()
    # a-c met once at an event of 3 (weight 1/2); with a floor above that they are not tied,
    # while a-b, who also collaborate, keep their co-attendance weight.
    G = build_graph(batch, min_coattendance=0.6)
    assert not G.has_edge("a", "c")
    assert G["a"]["b"]["coattend_weight"] == pytest.approx(1.5)
    G = build_graph(batch, min_coattendance=0)
    assert G.has_edge("a", "c") and G.has_edge("b", "c")
