"""The store contract: what every GraphStore backend promises, run against each backend.

Always against SQLite (a real file in tmp_path); against Neo4j too when GRAPHSVC_TEST_NEO4J_URI
names a live server (it is wiped first, through the store's ``_wipe()`` if it has one).
Edit :func:`backend_params` to add a backend.
"""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Callable, Iterator
from typing import Any

import hypothesis.strategies as st
import networkx as nx
import pandas as pd
import pytest
from fixtures import COLLABS, EVENTS, ORGS, make_batch, network_batch
from hypothesis import HealthCheck, given, settings

from graphsvc.errors import InvalidInput, StoreChanged, UnknownOrganisation, UnknownRevision
from graphsvc.model import (
    TABLES,
    GraphFilter,
    RecordBatch,
    apply_filter,
    build_graph,
)
from graphsvc.model.reference import default_sectors
from graphsvc.store import GraphStore, open_store


def backend_params() -> list[Any]:
    """The backends the contract runs on: SQLite always, Neo4j when a live one is named."""
    params: list[Any] = ["sqlite"]
    if os.environ.get("GRAPHSVC_TEST_NEO4J_URI"):
        params.append(pytest.param("neo4j", marks=pytest.mark.neo4j))
    return params


@pytest.fixture(params=backend_params())
def store_factory(request, tmp_path) -> Iterator[Callable[[], GraphStore]]:
    """Makes empty stores of one backend (a fresh file each time for SQLite)."""
    opened: list[GraphStore] = []
    counter = itertools.count()

    def make() -> GraphStore:
        if request.param == "sqlite":
            store = open_store(f"sqlite:///{tmp_path / f'store-{next(counter)}.db'}")
        else:
            store = open_store(os.environ["GRAPHSVC_TEST_NEO4J_URI"])
            wipe = getattr(store, "_wipe", None)
            if wipe is not None:
                wipe()
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


@pytest.fixture
def any_store(store_factory) -> GraphStore:
    return store_factory()


@pytest.fixture
def filled(any_store) -> GraphStore:
    any_store.write_batch(network_batch())
    return any_store


# -- the contract -----------------------------------------------------------------------------


def test_a_new_store_is_empty_with_the_default_sectors(any_store):
    assert isinstance(any_store, GraphStore)
    any_store.check()
    assert any_store.revision() == 0
    assert any_store.counts() == {"organisations": 0, "events": 0, "attendance": 0,
                                  "collaborations": 0}
    assert [s.code for s in any_store.sectors()] == ["GOV", "BIZ", "EDU", "REL", "MED", "CIV"]
    assert any_store.sectors() == list(default_sectors())
    assert any_store.load_graph().number_of_nodes() == 0


def test_first_write_inserts_everything_and_raises_the_revision(any_store):
    report = any_store.write_batch(network_batch())
    assert {t: c.inserted for t, c in report.tables.items() if c.inserted} == {
        "organisations": 8, "events": 3, "attendance": 9, "collaborations": 5}
    assert all(c.updated == c.unchanged == 0 for c in report.tables.values())
    assert (report.revision_before, report.revision_after, report.dry_run) == (0, 1, False)
    assert report.changed
    assert any_store.revision() == 1
    assert any_store.counts() == {"organisations": 8, "events": 3, "attendance": 9,
                                  "collaborations": 5}


def test_writing_the_same_batch_again_changes_nothing(filled):
    revision = filled.revision()
    report = filled.write_batch(network_batch())
    assert not report.changed
    assert report.revision_before == report.revision_after == revision == filled.revision()
    assert {t: c.unchanged for t, c in report.tables.items() if c.unchanged} == {
        "organisations": 8, "events": 3, "attendance": 9, "collaborations": 5}


def test_changed_rows_count_as_updated_and_raise_the_revision_once(filled):
    orgs = [dict(o) for o in ORGS]
    orgs[3]["status"] = "member"
    collabs = [dict(c) for c in COLLABS]
    collabs[0]["weight"] = 4.0
    new = {"org_id": "RY06", "name_th": "มูลนิธิเพื่อนบ้านระยอง", "sector": "CIV",
           "province_code": "TH-21"}
    report = filled.write_batch(make_batch(organisations=[*orgs, new], collaborations=collabs))
    assert report.tables["organisations"].as_dict() == {"inserted": 1, "updated": 1,
                                                        "unchanged": 7}
    assert report.tables["collaborations"].as_dict() == {"inserted": 0, "updated": 1,
                                                         "unchanged": 4}
    assert (report.revision_before, report.revision_after) == (1, 2)
    assert filled.get_organisation("RY04").status == "member"
    assert filled.load_graph()["RY01"]["RY02"]["collab_weight"] == 4.0


def test_the_revision_rises_strictly_with_every_change(any_store):
    seen = [any_store.revision()]
    for i in range(4):
        org = {"org_id": f"N{i}", "name_en": f"Org {i}"}
        any_store.write_batch(make_batch(organisations=[org]))
        seen.append(any_store.revision())
        any_store.write_batch(make_batch(organisations=[org]))  # no change: no new revision
        assert any_store.revision() == seen[-1]
    assert all(a < b for a, b in itertools.pairwise(seen))


FILTERS = [
    None,
    GraphFilter(province="TH-21"),
    GraphFilter(sectors=("GOV", "EDU")),
    GraphFilter(fy_from=2567, fy_to=2567),
    GraphFilter(fy_to=2566),
    GraphFilter(statuses=("member",)),
    GraphFilter(province="TH-21", sectors=("GOV", "EDU", "MED"), fy_from=2566,
                statuses=("member",)),
]


def _edges(G: nx.Graph) -> dict[frozenset, dict[str, Any]]:
    return {frozenset((u, v)): d for u, v, d in G.edges(data=True)}


@pytest.mark.parametrize("flt", FILTERS, ids=repr)
def test_filtered_graph_equals_the_model_filter_of_the_same_records(filled, flt):
    expected = build_graph(apply_filter(network_batch(), flt))
    got = filled.load_graph(flt)
    assert dict(got.nodes(data=True)) == dict(expected.nodes(data=True))
    want, have = _edges(expected), _edges(got)
    assert have.keys() == want.keys()
    for pair, data in want.items():
        assert have[pair].keys() == data.keys()
        for key, value in data.items():
            assert have[pair][key] == (pytest.approx(value) if isinstance(value, float)
                                       else value)


def test_filters_select_what_the_rules_say(filled):
    rayong = filled.load_graph(GraphFilter(province="TH-21"))
    assert set(rayong) == {"RY01", "RY02", "RY03", "RY04", "RY05"}
    # ties: two collaborations inside Rayong + RY02–RY05, co-attendance at E1 and E2
    assert {tuple(sorted(e)) for e in rayong.edges} == {
        ("RY01", "RY02"), ("RY01", "RY03"), ("RY02", "RY03"), ("RY02", "RY05"),
        ("RY01", "RY04"), ("RY01", "RY05"), ("RY04", "RY05")}
    fy2567 = filled.read_records(GraphFilter(fy_from=2567, fy_to=2567))
    assert sorted(fy2567.events["event_id"]) == ["E2", "E3"]
    # RY01–RY03 ended on 30 Sep 2023, the day before FY 2567 began
    assert ("RY01", "RY03") not in set(zip(fy2567.collaborations["org_a_id"],
                                           fy2567.collaborations["org_b_id"], strict=True))
    assert len(fy2567.collaborations) == 4
    members = filled.load_graph(GraphFilter(statuses=("member",)))
    assert "RY04" not in members and "CB02" not in members and "XX01" in members


def _ids(orgs) -> list[str]:
    return [o.org_id for o in orgs]


def test_search_in_thai_expands_abbreviations(filled):
    assert _ids(filled.search_organisations("สนง.วัฒนธรรม")) == ["CB01", "RY01"]
    assert _ids(filled.search_organisations("สนง.วัฒนธรรม จ.ระยอง")) == ["RY01"]
    assert _ids(filled.search_organisations("สนง.วัฒนธรรม", province="TH-21")) == ["RY01"]
    assert _ids(filled.search_organisations("ร.ร.วัดป่า")) == ["RY02"]


def test_search_in_english_by_alias_and_by_id(filled):
    assert _ids(filled.search_organisations("culture OFFICE")) == ["CB01", "RY01"]
    assert _ids(filled.search_organisations("pa pradu school")) == ["RY02"]
    assert _ids(filled.search_organisations("Pa Pradu")) == ["RY02"]
    assert _ids(filled.search_organisations("xx0")) == ["XX01"]
    assert filled.search_organisations("no such organisation") == []


#: By hand, Thai dictionary order: English first (Latin sorts before Thai), then by the first
#: consonant with leading vowels (เ โ) skipped: ค บ ร ว ส; สถ before สำ; ชลบุรี before ระยอง.
#: Plain sorted() would put โรงเรียน… and เครือข่าย… last.
THAI_ORDER = ["XX01", "CB02", "RY04", "RY02", "RY03", "RY05", "CB01", "RY01"]


def test_search_results_come_in_thai_dictionary_order(filled):
    assert _ids(filled.search_organisations()) == THAI_ORDER
    assert _ids(filled.search_organisations(limit=3, offset=2)) == THAI_ORDER[2:5]
    assert _ids(filled.search_organisations(status="candidate")) == ["CB02", "RY04"]
    assert _ids(filled.search_organisations(sector="GOV")) == ["CB01", "RY01"]
    with pytest.raises(InvalidInput):
        filled.search_organisations(status="partner")


def test_get_organisation(filled):
    org = filled.get_organisation("RY02")
    assert (org.name, org.sector, org.province_code, org.status) == (
        "โรงเรียนวัดป่าประดู่", "EDU", "TH-21", "member")
    assert org.aliases == ("ร.ร.วัดป่าประดู่", "Pa Pradu School")
    assert filled.get_organisation("RY03").extra == {"fictional": True}
    assert filled.get_organisation("RY01").joined_date.isoformat() == "2022-10-01"
    with pytest.raises(UnknownOrganisation) as err:
        filled.get_organisation("NOPE")
    assert err.value.org_id == "NOPE"


@pytest.mark.parametrize(
    ("tables", "table", "column", "value"),
    [
        ({"collaborations": [{"org_a_id": "RY01", "org_b_id": "ZZ99"}]},
         "collaborations", "org_b_id", "ZZ99"),
        ({"attendance": [{"event_id": "E9", "org_id": "RY01", "delegates": 1}]},
         "attendance", "event_id", "E9"),
        ({"attendance": [{"event_id": "E1", "org_id": "QQ1", "delegates": 1}]},
         "attendance", "org_id", "QQ1"),
    ],
    ids=["dangling-tie", "unknown-event", "unknown-org"],
)
def test_a_batch_naming_unknown_ids_writes_nothing(filled, tables, table, column, value):
    before = (filled.counts(), filled.revision())
    new_org = {"org_id": "RY07", "name_th": "ชมรมผู้สูงอายุระยอง", "province_code": "TH-21"}
    good = {"org_a_id": "RY01", "org_b_id": "RY07"}
    batch = make_batch(organisations=[new_org], events=[],
                       attendance=tables.get("attendance", []),
                       collaborations=[good, *tables.get("collaborations", [])])
    with pytest.raises(InvalidInput) as err:
        filled.write_batch(batch)
    rows = 2 if table == "collaborations" else 1
    assert {"table": table, "row": rows, "column": column, "value": value}.items() <= (
        err.value.details[0].items())
    assert (filled.counts(), filled.revision()) == before
    with pytest.raises(UnknownOrganisation):
        filled.get_organisation("RY07")


def test_ties_may_name_organisations_of_the_same_batch(any_store):
    batch = make_batch(organisations=ORGS[:2], collaborations=COLLABS[:1])
    assert any_store.write_batch(batch).tables["collaborations"].inserted == 1


def test_a_dry_run_reports_and_writes_nothing(filled):
    before = (filled.counts(), filled.revision())
    new = {"org_id": "RY08", "name_th": "ศูนย์การเรียนรู้ชุมชน"}
    orgs = [dict(o) for o in ORGS]
    orgs[0]["name_en"] = "Rayong Culture Office"
    report = filled.write_batch(make_batch(organisations=[*orgs, new]), dry_run=True)
    assert report.dry_run
    assert report.tables["organisations"].as_dict() == {"inserted": 1, "updated": 1,
                                                        "unchanged": 7}
    assert report.revision_before == report.revision_after == before[1]
    assert (filled.counts(), filled.revision()) == before
    assert filled.get_organisation("RY01").name_en == "Rayong Provincial Culture Office"


def test_sectors_are_extensible_by_data(any_store):
    batch = make_batch(sectors=[{"code": "ART", "name_th": "ภาคศิลปวัฒนธรรม",
                                 "name_en": "Arts and culture"}],
                       organisations=[{"org_id": "A1", "name_th": "คณะลิเกระยอง",
                                       "sector": "ART"}])
    any_store.write_batch(batch)
    assert [s.code for s in any_store.sectors()][-1] == "ART"
    assert any_store.load_graph().nodes["A1"]["sector"] == "ART"


# -- round trip -------------------------------------------------------------------------------

_THAI = "กขคงจฉชซณดตถทนบปผพฟมยรลวศสหอฮะาำิีึืุูเแโใไ่้๊๋"
_names = st.one_of(st.none(), st.text(alphabet=_THAI + " .'\"%_|", min_size=1, max_size=14))
_english = st.one_of(st.none(), st.text(alphabet="AbcDefXyz '%_-", min_size=1, max_size=12))
_dates = st.dates(min_value=pd.Timestamp("2015-01-01").date(),
                  max_value=pd.Timestamp("2030-12-31").date())


@st.composite
def valid_batches(draw) -> RecordBatch:
    ids = draw(st.lists(st.text(alphabet="ABCZ0189", min_size=1, max_size=5), min_size=1,
                        max_size=8, unique=True))
    orgs = [{
        "org_id": org_id, "name_th": draw(_names), "name_en": draw(_english),
        "sector": draw(st.sampled_from([None, "GOV", "BIZ", "EDU", "REL", "MED", "CIV"])),
        "province_code": draw(st.sampled_from([None, "TH-21", "TH-20", "TH-10"])),
        "org_type": draw(st.sampled_from([None, "school", "temple"])),
        "aliases": draw(st.sampled_from([None, "", "ร.ร.ก|School A"])),
        "status": draw(st.sampled_from(["member", "candidate"])),
        "joined_date": draw(st.one_of(st.none(), _dates.map(str))),
        "extra": draw(st.sampled_from([None, "{}", '{"fictional": true, "note": "ทดสอบ"}'])),
    } for org_id in ids]
    event_ids = draw(st.lists(st.text(alphabet="EV0123", min_size=1, max_size=4), max_size=4,
                              unique=True))
    events = [{"event_id": e, "title_th": draw(_names), "title_en": draw(_english),
               "event_type": draw(st.sampled_from([None, "meeting", "workshop"])),
               "province_code": draw(st.sampled_from([None, "TH-21"])),
               "start_date": str(draw(_dates))} for e in event_ids]
    pairs = [(e, o) for e in event_ids for o in ids]
    attendance = [{"event_id": e, "org_id": o, "role": draw(st.sampled_from([None, "host"])),
                   "delegates": draw(st.integers(1, 40))}
                  for e, o in draw(st.lists(st.sampled_from(pairs), unique=True, max_size=10)
                                   if pairs else st.just([]))]
    ties = [(a, b) for a, b in itertools.combinations(sorted(ids), 2)]
    collab_keys = draw(st.lists(
        st.tuples(st.sampled_from(ties), st.sampled_from(["mou", "funding", "other"]),
                  st.one_of(st.just(""), _dates.map(str))),
        unique=True, max_size=10) if ties else st.just([]))
    collabs = [{"org_a_id": a, "org_b_id": b, "collab_type": t, "start_date": s,
                "weight": draw(st.one_of(st.none(), st.floats(0.1, 10, allow_nan=False))),
                "end_date": draw(st.one_of(st.none(), _dates.map(str)))}
               for (a, b), t, s in collab_keys]
    return make_batch(organisations=orgs, events=events, attendance=attendance,
                      collaborations=collabs)


_NUMERIC = {"weight": float, "delegates": int, "fiscal_year_be": int}


def _rows(frame: pd.DataFrame, table: str) -> set[tuple]:
    def norm(column: str, value: Any) -> Any:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        return _NUMERIC[column](value) if column in _NUMERIC else value

    columns = TABLES[table].columns
    return {tuple(norm(c, v) for c, v in zip(columns, row, strict=True))
            for row in frame[list(columns)].itertuples(index=False, name=None)}


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(batch=valid_batches())
def test_round_trip_reads_back_exactly_what_was_written(store_factory, batch):
    store = store_factory()
    store.write_batch(batch)
    back = store.read_records()
    for table in ("organisations", "events", "attendance", "collaborations"):
        assert _rows(back.tables()[table], table) == _rows(batch.tables()[table], table), table
    assert not store.write_batch(batch).changed


# -- history and undo -------------------------------------------------------------------------


def _content(store: GraphStore) -> dict[str, set[tuple]]:
    """Every stored row of every table (sectors included)."""
    return {t: _rows(f, t) for t, f in store.read_records().tables().items()}


def _second_write() -> RecordBatch:
    """An alias added to RY02, a new organisation RY07 and its attendance at E1."""
    orgs = [dict(o) for o in ORGS]
    orgs[1]["aliases"] = "ร.ร.วัดป่าประดู่|Pa Pradu School|รร.ป่าประดู่"
    new = {"org_id": "RY07", "name_th": "ชมรมผู้สูงอายุบ้านเพ", "sector": "CIV",
           "province_code": "TH-21", "status": "member"}
    return make_batch(organisations=[*orgs, new],
                      attendance=[{"event_id": "E1", "org_id": "RY07", "delegates": 3}])


def test_every_write_is_recorded_with_office_files_and_counts(any_store):
    assert any_store.history() == []
    any_store.write_batch(network_batch(), office="rayong", files=["organisations.csv"])
    any_store.write_batch(network_batch(), office="nan")  # changes nothing: not recorded
    any_store.write_batch(_second_write(), dry_run=True)  # a dry run: not recorded
    any_store.write_batch(_second_write(), files=["signin.csv", "extra.csv"])
    history = any_store.history()
    assert [h.revision for h in history] == [2, 1]
    newest, first = history
    assert (first.office, first.files, first.undoes, first.undone_by) == (
        "rayong", ("organisations.csv",), None, None)
    assert first.counts == {t: {"inserted": n, "updated": 0, "deleted": 0} for t, n in
                            (("organisations", 8), ("events", 3), ("attendance", 9),
                             ("collaborations", 5))}
    assert (newest.office, newest.files) == (None, ("signin.csv", "extra.csv"))
    assert newest.counts == {"organisations": {"inserted": 1, "updated": 1, "deleted": 0},
                             "attendance": {"inserted": 1, "updated": 0, "deleted": 0}}
    assert newest.at.endswith("+00:00") and newest.at >= first.at
    assert [h.revision for h in any_store.history(limit=1)] == [2]
    assert set(newest.as_dict()) >= {"revision", "at", "office", "files", "counts"}


def test_the_rows_a_write_changed_are_kept_before_and_after(filled):
    filled.write_batch(_second_write())
    rows = {(c.table, c.key): c for c in filled.history_rows(2)}
    assert set(rows) == {("organisations", ("RY02",)), ("organisations", ("RY07",)),
                         ("attendance", ("E1", "RY07"))}
    alias = rows[("organisations", ("RY02",))]
    assert alias.change == "updated"
    assert alias.before["aliases"] == "ร.ร.วัดป่าประดู่|Pa Pradu School"
    assert alias.after["aliases"].endswith("|รร.ป่าประดู่")
    assert rows[("organisations", ("RY07",))].before is None
    assert rows[("attendance", ("E1", "RY07"))].after["delegates"] == 3
    with pytest.raises(UnknownRevision):
        filled.history_rows(99)


def test_undoing_the_latest_write_restores_the_previous_content_as_a_new_revision(filled):
    before = _content(filled)
    filled.write_batch(_second_write(), office="rayong")
    assert _content(filled) != before
    record = filled.undo(2, office="nan")
    assert (record.revision, record.undoes, record.office, record.files) == (3, 2, "nan", ())
    assert record.counts == {"organisations": {"inserted": 0, "updated": 1, "deleted": 1},
                             "attendance": {"inserted": 0, "updated": 0, "deleted": 1}}
    assert filled.revision() == 3
    assert _content(filled) == before
    assert filled.search_organisations("รร.ป่าประดู่") == []
    assert [(h.revision, h.undone_by) for h in filled.history()] == [(3, None), (2, 3),
                                                                      (1, None)]
    with pytest.raises(InvalidInput, match="undone already"):
        filled.undo(2)
    filled.undo(3)  # undoing the undo writes revision 2's rows again
    assert filled.get_organisation("RY07").name_th == "ชมรมผู้สูงอายุบ้านเพ"
    assert filled.history()[-2].undone_by is None


def test_an_older_write_is_undone_when_no_later_write_touched_its_rows(filled):
    filled.write_batch(_second_write())
    filled.write_batch(make_batch(events=[{"event_id": "E9", "title_th": "เสวนา",
                                           "start_date": "2024-05-01"}]))
    filled.undo(2)
    assert filled.counts()["organisations"] == 8
    assert [e for e in filled.read_records().events["event_id"]] == ["E1", "E2", "E3", "E9"]


def test_an_older_write_whose_rows_changed_later_is_not_undone(filled):
    filled.write_batch(_second_write())
    orgs = [dict(o) for o in ORGS]
    orgs[1]["aliases"] = "something else"
    filled.write_batch(make_batch(organisations=orgs))
    before = (_content(filled), filled.revision())
    with pytest.raises(InvalidInput, match="changed since") as caught:
        filled.undo(2)
    assert caught.value.details[0]["key"] == ["RY02"]
    assert caught.value.details[0]["changed_by"] == 3
    assert (_content(filled), filled.revision()) == before


def test_an_organisation_named_by_a_later_write_is_not_undone(any_store):
    any_store.write_batch(make_batch(organisations=ORGS[:2], events=EVENTS[:1]))
    any_store.write_batch(make_batch(attendance=[{"event_id": "E1", "org_id": "RY02"}]))
    before = (_content(any_store), any_store.revision())
    with pytest.raises(InvalidInput, match="still name"):
        any_store.undo(1)
    assert (_content(any_store), any_store.revision()) == before
    with pytest.raises(UnknownRevision):
        any_store.undo(42)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(first=valid_batches(), second=valid_batches())
def test_undoing_the_latest_of_two_random_writes_gives_back_the_first(store_factory, first,
                                                                      second):
    store = store_factory()
    store.write_batch(first)
    after_first = _content(store)
    if store.write_batch(second).changed:
        store.undo(store.revision())
    assert _content(store) == after_first


def test_a_write_expecting_another_revision_writes_nothing(filled):
    before = (_content(filled), filled.revision())
    with pytest.raises(StoreChanged):
        filled.write_batch(_second_write(), expect_revision=0)
    assert (_content(filled), filled.revision()) == before
    assert filled.write_batch(_second_write(), expect_revision=1).revision_after == 2
