"""The bundled sample data: reproducible, consistent, and with the features it was designed to have
(the culture office as hub and top broker, thin sectors, candidates, isolates, messy sheets)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from openpyxl import load_workbook
from rapidfuzz import fuzz

from graphsvc.model import (
    TABLES,
    GraphFilter,
    RecordBatch,
    apply_filter,
    build_graph,
    default_sectors,
    fiscal_year_be,
    match_key,
    parse_date,
    provinces,
)
from ingest.sample import (
    FILES_DIR,
    raw_signin_sheet,
    raw_signin_sheets,
    sample_files,
    sample_workbook,
    signin_expected,
)
from tools.sample_data.generate import generate_tables

ROOT = Path(__file__).resolve().parents[1]
HUB = "TH21-GOV-001"
SECTORS = ("GOV", "BIZ", "EDU", "REL", "MED", "CIV")
HEADERS = "ลำดับ,รหัสกิจกรรม,วันที่,หน่วยงาน,ภาคีเครือข่าย,จังหวัด,จำนวนผู้เข้าร่วม"
GENERATED = [
    "organisations.csv", "events.csv", "attendance.csv", "collaborations.csv", "sample.xlsx",
    "raw/signin_TH-21_2567.csv", "raw/signin_TH-21_2567_utf8bom.csv",
    "expected/signin_expected.csv",
]  # fmt: skip


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return generate_tables()


@pytest.fixture(scope="module")
def rayong(tables) -> dict[str, pd.DataFrame]:
    orgs = tables["organisations"]
    ids = set(orgs.loc[orgs["province_code"] == "TH-21", "org_id"])
    collabs = tables["collaborations"]
    return {
        "organisations": orgs[orgs["org_id"].isin(ids)],
        "events": tables["events"][tables["events"]["province_code"] == "TH-21"],
        "attendance": tables["attendance"][tables["attendance"]["org_id"].isin(ids)],
        "collaborations": collabs[collabs["org_a_id"].isin(ids) & collabs["org_b_id"].isin(ids)],
    }


def record_batch(tables: dict[str, pd.DataFrame]) -> RecordBatch:
    """The tables as a RecordBatch, with the derived columns computed as ingest computes them."""
    orgs = tables["organisations"].assign(
        match_key=lambda d: d["name_th"].map(match_key),
        extra=lambda d: d["fictional"].map(lambda f: json.dumps({"fictional": f == "true"})),
    )
    events = tables["events"].assign(
        fiscal_year_be=lambda d: d["start_date"].map(date.fromisoformat).map(fiscal_year_be)
    )
    return RecordBatch(
        organisations=orgs[list(TABLES["organisations"].columns)],
        events=events[list(TABLES["events"].columns)],
        attendance=tables["attendance"][list(TABLES["attendance"].columns)],
        collaborations=tables["collaborations"][list(TABLES["collaborations"].columns)],
    )


@pytest.fixture(scope="module")
def rayong_graph(tables) -> nx.Graph:
    return build_graph(apply_filter(record_batch(tables), GraphFilter(province="TH-21")))


# -- reproducible ------------------------------------------------------------------------------
def test_regenerating_gives_the_committed_bytes(tmp_path):
    env = {**os.environ, "PYTHONHASHSEED": "12345"}  # set iteration order must not matter
    subprocess.run([sys.executable, "-m", "tools.sample_data.generate", "--out", str(tmp_path)],
                   check=True, cwd=ROOT, env=env, capture_output=True)
    for name in GENERATED:
        assert (tmp_path / name).read_bytes() == (FILES_DIR / name).read_bytes(), name


def test_another_seed_gives_other_data():
    assert not generate_tables(seed=1)["collaborations"].equals(generate_tables()["collaborations"])


def test_the_tables_are_what_the_files_hold(tables):
    for path in sample_files():
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        expected = tables[path.stem].map(lambda v: "" if pd.isna(v) else str(v))
        assert df.columns.tolist() == expected.columns.tolist()
        assert df.values.tolist() == expected.values.tolist(), path.name


def test_public_paths():
    assert [p.name for p in sample_files()] == [
        "organisations.csv", "events.csv", "attendance.csv", "collaborations.csv"]
    for path in [*sample_files(), sample_workbook(), *raw_signin_sheets(), signin_expected()]:
        assert path.is_file(), path
    assert raw_signin_sheet() == raw_signin_sheets()[0]


def test_the_workbook_holds_the_same_tables(tables):
    wb = load_workbook(sample_workbook(), read_only=True)
    assert wb.sheetnames == ["organisations", "events", "attendance", "collaborations"]
    for name in wb.sheetnames:
        rows = list(wb[name].iter_rows(values_only=True))
        assert list(rows[0]) == tables[name].columns.tolist()
        assert len(rows) - 1 == len(tables[name])
    first = next(wb["events"].iter_rows(min_row=2, max_row=2, values_only=True))
    assert first[5].date() == date.fromisoformat(tables["events"]["start_date"].iloc[0])
    wb.close()


# -- consistent --------------------------------------------------------------------------------
def test_columns_are_the_model_columns_minus_derived_ones(tables):
    derived = {"match_key", "fiscal_year_be", "extra"}
    for name, df in tables.items():
        model = [c for c in TABLES[name].columns if c not in derived]
        assert df.columns.tolist()[: len(model)] == model
    assert tables["organisations"].columns.tolist()[-1] == "fictional"


def test_counts(tables, rayong):
    orgs = tables["organisations"]
    assert 110 <= len(rayong["organisations"]) <= 130
    assert 20 <= len(rayong["events"]) <= 28
    rayong_att = tables["attendance"][tables["attendance"]["event_id"].str.startswith("EV-TH21")]
    assert 600 <= len(rayong_att) <= 800
    assert 150 <= len(rayong["collaborations"]) <= 210
    per_province = orgs[orgs["province_code"] != ""].groupby("province_code").size()
    others = per_province.drop("TH-21")
    assert len(others) == 7 and others.between(20, 30).all()
    national = orgs[orgs["province_code"] == ""]
    assert 4 <= len(national) <= 6 and national["org_id"].str.startswith("NAT-").all()
    candidates = rayong["organisations"]["status"] == "candidate"
    assert 8 <= candidates.sum() <= 12


def test_keys_are_unique_and_references_exist(tables):
    orgs, events = tables["organisations"], tables["events"]
    att, collabs = tables["attendance"], tables["collaborations"]
    for name, df in tables.items():
        assert not df.duplicated(list(TABLES[name].key)).any(), name
    ids = set(orgs["org_id"])
    assert set(att["org_id"]) <= ids
    assert set(att["event_id"]) <= set(events["event_id"])
    assert set(collabs["org_a_id"]) | set(collabs["org_b_id"]) <= ids
    assert (collabs["org_a_id"] < collabs["org_b_id"]).all()  # undirected, no self-ties
    assert att["delegates"].between(1, 20).all()
    assert att["role"].isin(["host", "speaker", "participant"]).all()


def test_values_are_valid(tables):
    orgs, events, collabs = tables["organisations"], tables["events"], tables["collaborations"]
    assert set(orgs["sector"]) <= {s.code for s in default_sectors()}
    assert set(orgs["province_code"]) - {""} <= set(provinces())
    assert set(events["province_code"]) <= set(provinces())
    assert set(orgs["status"]) == {"member", "candidate"}
    assert (orgs["fictional"] == "true").all()
    assert (orgs["name_th"] != "").all() and (orgs["name_en"] != "").all()
    for column in ("start_date", "end_date"):
        dated = collabs[collabs[column] != ""][column]
        assert dated.map(date.fromisoformat).notna().all()
    both = collabs[(collabs["start_date"] != "") & (collabs["end_date"] != "")]
    assert (both["start_date"] <= both["end_date"]).all()
    assert collabs["weight"].isna().mean() > 0.8  # blank for most


def test_no_person_names(tables):
    titles = ("นาย", "นาง", "นางสาว", "ด.ช.", "ด.ญ.", "Mr ", "Mrs ", "Ms ", "Mr.", "Dr.")
    orgs = tables["organisations"]
    for name in [*orgs["name_th"], *orgs["name_en"]]:
        assert not name.startswith(titles), name


def test_rayong_events_fall_in_fiscal_years_2566_and_2567(rayong):
    years = rayong["events"]["start_date"].map(lambda s: fiscal_year_be(date.fromisoformat(s)))
    assert set(years) == {2566, 2567}
    assert {"meeting", "workshop", "mou_signing", "campaign", "assembly"} <= set(
        rayong["events"]["event_type"])


# -- designed features -------------------------------------------------------------------------
def test_all_six_sectors_in_rayong_and_media_is_thin(rayong):
    members = rayong["organisations"][rayong["organisations"]["status"] == "member"]
    sizes = members.groupby("sector").size()
    assert set(sizes.index) == set(SECTORS)
    assert sizes.idxmin() == "MED"


def test_candidates_have_no_collaborations_and_little_attendance(tables):
    orgs, att, collabs = tables["organisations"], tables["attendance"], tables["collaborations"]
    candidates = set(orgs.loc[orgs["status"] == "candidate", "org_id"])
    assert candidates
    assert not candidates & (set(collabs["org_a_id"]) | set(collabs["org_b_id"]))
    assert att[att["org_id"].isin(candidates)].groupby("org_id").size().max() <= 1
    assert (orgs.loc[orgs["status"] == "candidate", "joined_date"] == "").all()


def test_the_culture_office_is_the_top_broker(rayong_graph, rayong):
    bc = nx.betweenness_centrality(rayong_graph, weight="distance")
    assert max(bc, key=bc.get) == HUB
    collab_sectors = {rayong_graph.nodes[n]["sector"] for n in rayong_graph[HUB]
                      if rayong_graph[HUB][n]["n_collabs"]}
    assert collab_sectors == set(SECTORS)
    hub_name = rayong["organisations"].set_index("org_id").loc[HUB]
    assert hub_name["name_th"] == "สำนักงานวัฒนธรรมจังหวัดระยอง"
    assert match_key("สนง.วัฒนธรรม จ.ระยอง") == match_key(hub_name["name_th"])


def test_designed_brokers_reach_across_sectors(rayong_graph):
    """The temple and the radio station collaborate with three sectors besides their own, more
    than any other organisation but the hub."""
    def reach(n):
        own = rayong_graph.nodes[n]["sector"]
        return len({rayong_graph.nodes[m]["sector"] for m in rayong_graph[n]
                    if rayong_graph[n][m]["n_collabs"]} - {own})

    spans = {n: reach(n) for n in rayong_graph}
    assert spans[HUB] == 5
    for broker in ("TH21-REL-001", "TH21-MED-001"):  # วัดเนินสุขาราม, the community radio
        assert spans[broker] >= 3
        assert spans[broker] >= max(v for n, v in spans.items() if n != HUB) - 1


def test_sector_homophily_and_no_religion_media_tie(rayong):
    c = rayong["collaborations"]
    a, b = c["org_a_id"].str.split("-").str[1], c["org_b_id"].str.split("-").str[1]
    assert (a == b).mean() > 0.6
    pairs = {tuple(sorted(p)) for p in zip(a, b, strict=True)}
    assert ("MED", "REL") not in pairs


def test_a_few_isolates(rayong_graph):
    isolates = [n for n in nx.isolates(rayong_graph) if rayong_graph.nodes[n]["status"] == "member"]
    assert 2 <= len(isolates) <= 5


def test_national_bodies_link_provinces(tables):
    G = build_graph(record_batch(tables))
    provinces_reached = {G.nodes[n].get("province") for n in G["NAT-GOV-001"]}
    assert len(provinces_reached - {None}) == 8
    assert nx.is_connected(G.subgraph(max(nx.connected_components(G), key=len)))
    hubs = [n for n in G if n.endswith("-GOV-001") and not n.startswith("NAT")]
    assert nx.has_path(G, hubs[0], hubs[-1])


# -- the raw sign-in sheets --------------------------------------------------------------------
def test_the_raw_sheet_is_cp874_and_not_utf8():
    raw = raw_signin_sheet().read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("cp874")
    lines = text.split("\r\n")
    assert lines[0] == HEADERS
    assert 25 <= len([line for line in lines[1:] if line]) <= 35
    assert "สนง." in text and "จ." in text and "รร." in text and "\u00a0" in text
    assert any(ch in text for ch in "๐๑๒๓๔๕๖๗๘๙")


def test_the_utf8_sheet_has_a_bom_and_zero_width_spaces():
    raw = raw_signin_sheets()[1].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == HEADERS
    assert "\u200b" in text


@pytest.mark.parametrize("sheet", [0, 1])
def test_sheet_dates_are_buddhist_era_and_give_the_event_date(tables, sheet):
    path = raw_signin_sheets()[sheet]
    df = pd.read_csv(path, dtype=str, keep_default_na=False,
                     encoding="cp874" if sheet == 0 else "utf-8-sig")
    events = tables["events"].set_index("event_id")["start_date"]
    for event_id, written in zip(df["รหัสกิจกรรม"], df["วันที่"], strict=True):
        assert parse_date(written).value.isoformat() == events[event_id]
    sector_names = {s.name_th for s in default_sectors()}
    assert set(df["ภาคีเครือข่าย"]) <= sector_names
    assert {p.strip() for p in df["จังหวัด"]} <= {"ระยอง", "จ.ระยอง"}


def test_the_answer_key_matches_names_and_attendance(tables):
    key = pd.read_csv(signin_expected(), dtype=str, keep_default_na=False)
    orgs = tables["organisations"]
    rayong = orgs[orgs["province_code"] == "TH-21"]
    keys = {match_key(n): oid for n, oid in zip(rayong["name_th"], rayong["org_id"], strict=True)}
    counts = key.groupby(["file", "expect"]).size()
    for file, encoding in (("raw/signin_TH-21_2567.csv", "cp874"),
                           ("raw/signin_TH-21_2567_utf8bom.csv", "utf-8-sig")):
        assert counts[(file, "new")] == 1 and 2 <= counts[(file, "near_miss")] <= 3
        sheet = pd.read_csv(FILES_DIR / file, dtype=str, keep_default_na=False, encoding=encoding)
        assert sheet["หน่วยงาน"].tolist() == key.loc[key["file"] == file, "written_name"].tolist()
    for row in key.itertuples(index=False):
        k = match_key(row.written_name)
        if row.expect == "resolves":
            assert keys.get(k) == row.org_id, row.written_name
            continue
        assert k not in keys, row.written_name
        nearest = max(keys, key=lambda other: fuzz.ratio(k, other))
        if row.expect == "near_miss":
            assert keys[nearest] == row.org_id and fuzz.ratio(k, nearest) >= 85
        else:
            assert row.org_id == "" and fuzz.ratio(k, nearest) < 80
    att = tables["attendance"]
    for event_id, rows in key[key["expect"] != "new"].groupby("event_id"):
        clean = att[att["event_id"] == event_id]
        assert sorted(zip(rows["org_id"], rows["delegates"].astype(int), strict=True)) == sorted(
            zip(clean["org_id"], clean["delegates"], strict=True))
